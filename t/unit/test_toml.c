/*
 * Unit tests of lib/toml (and lib/tomlval under it): every string form
 * and escape, integers, floats, booleans, date-times kept as text,
 * arrays, inline tables, keys (bare, quoted, dotted, empty), [tables],
 * [[arrays of tables]], every redefinition TOML forbids, comments, CRLF,
 * invalid UTF-8, control characters and NUL bytes, the depth cap, and
 * the line numbers of the messages.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "tap.h"
#include "toml.h"

static struct errbuf eb;

static const char *dumpn(const char *, size_t);
static const char *dump(const char *);
static const char *err(const char *);
static double	 real(const char *);
static long	 integer(const char *);
static char	*nest(size_t);
static void	 test_strings(void);
static void	 test_integers(void);
static void	 test_floats(void);
static void	 test_bool_dates(void);
static void	 test_arrays(void);
static void	 test_inline(void);
static void	 test_keys(void);
static void	 test_tables(void);
static void	 test_redefinition(void);
static void	 test_text(void);
static void	 test_lines(void);
static void	 test_limits(void);
static void	 test_config(void);

/*
 * buf[0..n) parsed and dumped as compact JSON (keys in document order),
 * or "ERR " and the message.  Valid until the next call.
 */
static const char *
dumpn(const char *buf, size_t n)
{
	static char *last;
	json_t *t;

	free(last);
	memset(&eb, 0, sizeof(eb));
	if ((t = toml_parse(buf, n, &eb)) == NULL) {
		if ((last = malloc(sizeof(eb.msg) + 4)) != NULL) {
			snprintf(last, sizeof(eb.msg) + 4, "ERR %s", eb.msg);
		}
		return last;
	}
	last = json_is_object(t) ?
	    json_dumps(t, JSON_COMPACT | JSON_ENSURE_ASCII) : NULL;
	json_decref(t);
	return last != NULL ? last : "(not an object)";
}

static const char *
dump(const char *s)
{
	return dumpn(s, strlen(s));
}

/* The message s is refused with, or "(accepted)". */
static const char *
err(const char *s)
{
	const char *d = dump(s);

	return strncmp(d, "ERR ", 4) == 0 ? d + 4 : "(accepted)";
}

/* The value of "x" in s, a float; -1 when it is not one. */
static double
real(const char *s)
{
	json_t *t = toml_parse(s, strlen(s), &eb);
	double d = -1;

	if (t != NULL && json_is_real(json_object_get(t, "x"))) {
		d = json_real_value(json_object_get(t, "x"));
	}
	json_decref(t);
	return d;
}

/* The value of "x" in s, an integer; -1 when it is not one. */
static long
integer(const char *s)
{
	json_t *t = toml_parse(s, strlen(s), &eb);
	long v = -1;

	if (t != NULL && json_is_integer(json_object_get(t, "x"))) {
		v = (long)json_integer_value(json_object_get(t, "x"));
	}
	json_decref(t);
	return v;
}

/* "a = " and n nested arrays (malloc'd). */
static char *
nest(size_t n)
{
	char *s = repeat("a = ", n, "[", ""), *p;

	if ((p = realloc(s, strlen(s) + n + 1)) != NULL) {
		memset(p + 4 + n, ']', n);
		p[4 + 2 * n] = '\0';
	}
	return p;
}

static void
test_strings(void)
{
	is_str(dump("s = \"plain\""), "{\"s\":\"plain\"}", "basic string");
	is_str(dump("s = \"\""), "{\"s\":\"\"}", "empty basic string");
	is_str(dump("s = \"\\b\\t\\n\\f\\r\\\"\\\\\""),
	    "{\"s\":\"\\b\\t\\n\\f\\r\\\"\\\\\"}", "all short escapes");
	is_str(dump("s = \"\\u00e9\\u20AC\""), "{\"s\":\"\\u00E9\\u20AC\"}",
	    "\\uXXXX (either case)");
	is_str(dump("s = \"\\U0001F600\""), "{\"s\":\"\\uD83D\\uDE00\"}",
	    "\\UXXXXXXXX beyond the BMP");
	is_str(dump("s = \"a\\u0000b\""), "{\"s\":\"a\\u0000b\"}",
	    "\\u0000 makes a NUL inside the string");
	is_str(dump("s = \"tab\there\""), "{\"s\":\"tab\\there\"}",
	    "a raw tab is allowed");
	is_str(dump("s = \"\xc3\xa9\""), "{\"s\":\"\\u00E9\"}", "raw UTF-8");
	is_str(err("s = \"\\q\""), "line 1: invalid escape '\\q'",
	    "unknown escape");
	is_str(err("s = \"\\x41\""), "line 1: invalid escape '\\x'",
	    "no \\x escape");
	is_str(err("s = \"\\e\""), "line 1: invalid escape '\\e'",
	    "no \\e in TOML 1.0");
	ok(strstr(err("s = \"\\u12\""), "needs 4 hex digits") != NULL,
	    "short \\u");
	ok(strstr(err("s = \"\\uD800\""), "not a Unicode scalar") != NULL,
	    "surrogate escape refused");
	ok(strstr(err("s = \"\\U00110000\""), "not a Unicode scalar") != NULL,
	    "escape beyond U+10FFFF refused");
	is_str(err("s = \"abc"), "line 1: unterminated string",
	    "unterminated basic string");
	is_str(err("s = \"ab\nc\""), "line 1: unterminated string",
	    "no newline in a basic string");
	is_str(dump("s = 'C:\\path\\n'"), "{\"s\":\"C:\\\\path\\\\n\"}",
	    "literal string: no escapes");
	is_str(err("s = 'it's'"), "line 1: expected end of line, found 's'",
	    "no quote in a literal string");
	is_str(dump("s = \"\"\"\nline1\nline2\"\"\""),
	    "{\"s\":\"line1\\nline2\"}",
	    "multi-line basic: leading newline trimmed");
	is_str(dump("s = \"\"\"\n\nx\"\"\""), "{\"s\":\"\\nx\"}",
	    "only the first newline is trimmed");
	is_str(dump("s = \"\"\"one \\\n    two \\\n\n   three\"\"\""),
	    "{\"s\":\"one two three\"}", "line-ending backslash");
	is_str(dump("s = \"\"\"a\\   \t\n  b\"\"\""), "{\"s\":\"ab\"}",
	    "line-ending backslash with trailing whitespace");
	ok(strstr(err("s = \"\"\"a\\ b\"\"\""), "invalid escape") != NULL,
	    "backslash-space not at the end of a line");
	is_str(dump("s = \"\"\"a\"b\"\"c\"\"\""), "{\"s\":\"a\\\"b\\\"\\\"c\"}",
	    "one or two quotes inside a multi-line basic");
	is_str(dump("s = \"\"\"\"x\"\"\"\"\""), "{\"s\":\"\\\"x\\\"\\\"\"}",
	    "quotes right inside the delimiters");
	is_str(dump("s = '''\nC:\\x\n'''"), "{\"s\":\"C:\\\\x\\n\"}",
	    "multi-line literal");
	is_str(dump("s = '''it's'''"), "{\"s\":\"it's\"}",
	    "a quote inside a multi-line literal");
	is_str(dump("s = \"\"\"\r\na\r\nb\"\"\""), "{\"s\":\"a\\nb\"}",
	    "CRLF in a multi-line string becomes LF");
	is_str(err("s = \"\"\"abc"), "line 1: unterminated string",
	    "unterminated multi-line basic");
	is_str(err("s = '''\n\nabc"), "line 1: unterminated string",
	    "unterminated multi-line literal, at its opening line");
	is_str(err("s = \"a\x01b\""), "line 1: control character in string",
	    "control character in a basic string");
	is_str(err("s = 'a\x7f'"), "line 1: control character in string",
	    "DEL in a literal string");
	is_str(err("s = \"\"\"a\rb\"\"\""), "line 1: control character in string",
	    "a CR without LF in a multi-line string");
}

static void
test_integers(void)
{
	is_str(dump("a = 42\nb = -17\nc = +5\nd = 0\ne = -0\nf = +0"),
	    "{\"a\":42,\"b\":-17,\"c\":5,\"d\":0,\"e\":0,\"f\":0}",
	    "decimal integers with signs");
	is_str(dump("a = 1_000\nb = 5_349_221\nc = 1_2_3"),
	    "{\"a\":1000,\"b\":5349221,\"c\":123}", "underscores");
	is_str(dump("a = 0xDEADbeef\nb = 0xdead_beef\nc = 0o755\nd = 0b1101"),
	    "{\"a\":3735928559,\"b\":3735928559,\"c\":493,\"d\":13}",
	    "hex, octal, binary");
	is_str(dump("a = 9223372036854775807\nb = -9223372036854775808"),
	    "{\"a\":9223372036854775807,\"b\":-9223372036854775808}",
	    "the int64 limits");
	is_long(integer("x = 0b1111_0000"), 240, "binary with underscores");
	is_long(integer("x = 0o7_7"), 63, "octal with underscores");
	is_long(integer("x = 0x00ff"), 255, "hex with leading zeros");
	is_str(dump("a = 0x7fffffffffffffff"), "{\"a\":9223372036854775807}",
	    "hex int64 max");
	is_str(err("a = 9223372036854775808"), "line 1: integer out of range",
	    "INT64_MAX + 1");
	is_str(err("a = -9223372036854775809"), "line 1: integer out of range",
	    "INT64_MIN - 1");
	is_str(err("a = 0x8000000000000000"), "line 1: integer out of range",
	    "hex overflow");
	is_str(err("a = 99999999999999999999999"),
	    "line 1: integer out of range", "long overflow");
	is_str(err("a = 012"), "line 1: leading zero in '012'",
	    "leading zero");
	is_str(err("a = -01"), "line 1: leading zero in '-01'",
	    "signed leading zero");
	is_str(err("a = 0_0"), "line 1: leading zero in '0_0'",
	    "leading zero with underscore");
	is_str(err("a = 1__2"), "line 1: invalid number '1__2'",
	    "double underscore");
	is_str(err("a = 1_"), "line 1: invalid number '1_'",
	    "trailing underscore");
	is_str(err("a = _1"), "line 1: invalid value '_1'",
	    "leading underscore");
	ok(strncmp(err("a = +0x10"), "line 1: invalid", 15) == 0,
	    "no sign on hex");
	ok(strncmp(err("a = 0X10"), "line 1: invalid", 15) == 0,
	    "upper-case 0X refused");
	ok(strncmp(err("a = 0x_1"), "line 1: invalid", 15) == 0,
	    "underscore after 0x");
	ok(strncmp(err("a = 0o8"), "line 1: invalid", 15) == 0,
	    "8 is not octal");
	ok(strncmp(err("a = 0b102"), "line 1: invalid", 15) == 0,
	    "2 is not binary");
	ok(strncmp(err("a = ++1"), "line 1: invalid", 15) == 0, "two signs");
}

static void
test_floats(void)
{
	ok(real("x = 3.1415") == 3.1415, "fraction");
	ok(real("x = -0.01") == -0.01, "negative fraction");
	ok(real("x = 5e+22") == 5e22, "exponent");
	ok(real("x = 1e06") == 1e6, "exponent with leading zero");
	ok(real("x = -2E-2") == -2e-2, "negative exponent, capital E");
	ok(real("x = 6.626e-34") == 6.626e-34, "fraction and exponent");
	ok(real("x = 224_617.445_991") == 224617.445991,
	    "underscores in a float");
	ok(real("x = 1e-400") == 0.0, "underflow is zero");
	is_str(dump("x = 1.0"), "{\"x\":1.0}", "a float stays a real");
	is_str(dump("a = inf\nb = +inf\nc = -inf\nd = nan\ne = -nan"),
	    "{\"a\":\"inf\",\"b\":\"+inf\",\"c\":\"-inf\",\"d\":\"nan\","
	    "\"e\":\"-nan\"}", "inf and nan: strings as written");
	is_str(err("x = .5"), "line 1: invalid value '.5'", "no .5");
	is_str(err("x = 5."), "line 1: invalid number '5.'", "no 5.");
	is_str(err("x = 1.e5"), "line 1: invalid number '1.e5'", "no 1.e5");
	is_str(err("x = 1e"), "line 1: invalid number '1e'", "no 1e");
	is_str(err("x = 1._5"), "line 1: invalid number '1._5'",
	    "underscore after the point");
	is_str(err("x = 1e_5"), "line 1: invalid number '1e_5'",
	    "underscore after e");
	is_str(err("x = 03.14"), "line 1: leading zero in '03.14'",
	    "leading zero in a float");
	is_str(err("x = 1e400"), "line 1: float out of range",
	    "overflowing float");
	ok(strncmp(err("x = infinity"), "line 1: invalid", 15) == 0,
	    "infinity is not inf");
	ok(strncmp(err("x = NaN"), "line 1: invalid", 15) == 0,
	    "NaN is not nan");
}

static void
test_bool_dates(void)
{
	is_str(dump("t = true\nf = false"), "{\"t\":true,\"f\":false}",
	    "booleans");
	is_str(err("t = True"), "line 1: invalid value 'True'",
	    "booleans are lower case");
	is_str(err("t = truex"), "line 1: invalid value 'truex'",
	    "a word that starts like true");
	is_str(dump("a = 1979-05-27T07:32:00Z\n"
	    "b = 1979-05-27T00:32:00.999999-07:00\n"
	    "c = 1979-05-27 07:32:00+05:30\n"
	    "d = 1979-05-27t07:32:00z"),
	    "{\"a\":\"1979-05-27T07:32:00Z\","
	    "\"b\":\"1979-05-27T00:32:00.999999-07:00\","
	    "\"c\":\"1979-05-27 07:32:00+05:30\","
	    "\"d\":\"1979-05-27t07:32:00z\"}",
	    "offset date-times kept as written");
	is_str(dump("a = 1979-05-27T07:32:00\nb = 1979-05-27\nc = 07:32:00\n"
	    "d = 00:32:00.999999"),
	    "{\"a\":\"1979-05-27T07:32:00\",\"b\":\"1979-05-27\","
	    "\"c\":\"07:32:00\",\"d\":\"00:32:00.999999\"}",
	    "local date-time, date and times");
	is_str(dump("a = 2000-02-29\nb = 1990-12-31T23:59:60Z"),
	    "{\"a\":\"2000-02-29\",\"b\":\"1990-12-31T23:59:60Z\"}",
	    "leap day and leap second");
	is_str(err("a = 2001-02-29"),
	    "line 1: invalid date-time '2001-02-29'", "no such leap day");
	ok(strstr(err("a = 1900-02-29"), "invalid date-time") != NULL,
	    "1900 is not a leap year");
	ok(strstr(err("a = 1979-13-01"), "invalid date-time") != NULL,
	    "month 13");
	ok(strstr(err("a = 1979-04-31"), "invalid date-time") != NULL,
	    "April 31");
	ok(strstr(err("a = 1979-05-27T24:00:00"), "invalid date-time") !=
	    NULL, "hour 24");
	ok(strstr(err("a = 1979-05-27T07:32Z"), "invalid date-time") != NULL,
	    "seconds are required in TOML 1.0");
	ok(strstr(err("a = 1979-05-27T07:32:00+0100"), "invalid date-time") !=
	    NULL, "offset needs a colon");
	ok(strstr(err("a = 1979-05-27T07:32:00."), "invalid date-time") !=
	    NULL, "empty fraction");
	ok(strstr(err("a = 7:32:00"), "invalid") != NULL,
	    "a one-digit hour");
	ok(strstr(err("a = 07:32:00Z"), "invalid date-time") != NULL,
	    "a local time has no offset");
}

static void
test_arrays(void)
{
	is_str(dump("a = [1, 2, 3]\nb = []\nc = [ ]"),
	    "{\"a\":[1,2,3],\"b\":[],\"c\":[]}", "arrays");
	is_str(dump("a = [1, 'two', 3.0, [4], {five = 5}, true]"),
	    "{\"a\":[1,\"two\",3.0,[4],{\"five\":5},true]}",
	    "mixed types are allowed in TOML 1.0");
	is_str(dump("a = [1, 2,]"), "{\"a\":[1,2]}", "trailing comma");
	is_str(dump("a = [\n  1,  # one\n  # alone\n  2\n  ,3\n]  # end"),
	    "{\"a\":[1,2,3]}", "newlines and comments inside");
	is_str(dump("a = [[1, 2], [\"x\"], []]"),
	    "{\"a\":[[1,2],[\"x\"],[]]}", "nested arrays");
	is_str(err("a = [,]"), "line 1: expected a value, found ','",
	    "no lone comma");
	is_str(err("a = [1,,2]"), "line 1: expected a value, found ','",
	    "no double comma");
	is_str(err("a = [1 2]"), "line 1: expected ',' or ']' in array",
	    "a comma between values");
	is_str(err("a = [1,\n2"), "line 1: unterminated array",
	    "unterminated array, at its opening line");
}

static void
test_inline(void)
{
	is_str(dump("p = { x = 1, y = 2 }\ne = {}"),
	    "{\"p\":{\"x\":1,\"y\":2},\"e\":{}}", "inline tables");
	is_str(dump("p = {a.b = 1, a.c = 2, \"q\" = {r = []}}"),
	    "{\"p\":{\"a\":{\"b\":1,\"c\":2},\"q\":{\"r\":[]}}}",
	    "dotted and quoted keys inside");
	is_str(dump("p = { a = [\n1,\n2] }"), "{\"p\":{\"a\":[1,2]}}",
	    "newlines inside a value inside are fine");
	is_str(err("p = { x = 1, }"), "line 1: trailing comma in inline table",
	    "no trailing comma");
	is_str(err("p = { x = 1,\n y = 2 }"),
	    "line 1: newline in inline table", "no newline");
	is_str(err("p = {\n}"), "line 1: newline in inline table",
	    "no newline after the brace");
	is_str(err("p = { x = 1 y = 2 }"),
	    "line 1: expected ',' or '}' in inline table", "a comma between");
	is_str(err("p = { x = 1"), "line 1: unterminated inline table",
	    "unterminated inline table");
	is_str(err("p = { x = 1, x = 2 }"), "line 1: duplicate key 'x'",
	    "duplicate key inside");
	is_str(err("p = {a = {b = 1}, a.c = 2}"),
	    "line 1: cannot extend inline table 'a'",
	    "a nested inline table is closed too");
	is_str(err("p = {x = 1}\np.y = 2"),
	    "line 2: cannot extend inline table 'p'",
	    "dotted keys cannot extend an inline table");
	is_str(err("p = {x = 1}\n[p]"), "line 2: cannot extend inline table 'p'",
	    "[p] cannot reopen an inline table");
	is_str(err("p = {x = 1}\n[p.q]"),
	    "line 2: cannot extend inline table 'p'",
	    "[p.q] cannot go into an inline table");
	is_str(err("p = {}\n[[p.q]]"), "line 2: cannot extend inline table 'p'",
	    "nor [[p.q]]");
}

static void
test_keys(void)
{
	is_str(dump("key = 1\nbare_key = 2\nbare-key = 3\n1234 = 4\n"
	    "ABC-xyz_09 = 5\n-_- = 6"),
	    "{\"key\":1,\"bare_key\":2,\"bare-key\":3,\"1234\":4,"
	    "\"ABC-xyz_09\":5,\"-_-\":6}", "bare keys of [A-Za-z0-9_-]");
	is_str(dump("\"127.0.0.1\" = 1\n\"k y\" = 2\n'q \"x\"' = 3\n"
	    "\"\\u00e9\" = 4"),
	    "{\"127.0.0.1\":1,\"k y\":2,\"q \\\"x\\\"\":3,\"\\u00E9\":4}",
	    "quoted keys");
	is_str(dump("\"\" = 1"), "{\"\":1}", "empty quoted key \"\"");
	is_str(dump("'' = 1"), "{\"\":1}", "empty literal key ''");
	is_str(dump("\"a\\u0000b\" = 1"), "{\"a\\u0000b\":1}",
	    "a key holding NUL");
	is_str(dump("a.b.c = 1\na . \"b\" . d = 2\nx.'y.z' = 3"),
	    "{\"a\":{\"b\":{\"c\":1,\"d\":2}},\"x\":{\"y.z\":3}}",
	    "dotted keys, with whitespace and quoted parts");
	is_str(dump("3.14159 = 'pi'"), "{\"3\":{\"14159\":\"pi\"}}",
	    "a float-looking key is dotted");
	is_str(dump("true = 1\ninf = 2"), "{\"true\":1,\"inf\":2}",
	    "words that are values elsewhere are keys here");
	is_str(dump("b = 1\na = 2\nc = 3"), "{\"b\":1,\"a\":2,\"c\":3}",
	    "document order is kept");
	is_str(err("= 1"), "line 1: expected a key", "empty bare key");
	is_str(err("a b = 1"), "line 1: expected '=' after key",
	    "space inside a bare key");
	is_str(err("a. = 1"), "line 1: expected a key", "dangling dot");
	is_str(err("\xc3\xa9 = 1"), "line 1: expected a key",
	    "non-ASCII bare key refused");
	is_str(err("a = 1\na = 2"), "line 2: duplicate key 'a'",
	    "duplicate key");
	is_str(err("a = 1\n\"a\" = 2"), "line 2: duplicate key '\"a\"'",
	    "bare and quoted keys are the same");
	is_str(err("a.b = 1\na.b = 2"), "line 2: duplicate key 'a.b'",
	    "duplicate dotted key");
	is_str(err("a = 1\na.b = 2"), "line 2: key 'a' is not a table",
	    "dotted key through a value");
	is_str(err("\"\"\"a\"\"\" = 1"), "line 1: expected '=' after key",
	    "no multi-line string as a key");
	is_str(err("a"), "line 1: expected '=' after key", "a key alone");
	is_str(err("a ="), "line 1: expected a value", "no value");
}

static void
test_tables(void)
{
	is_str(dump("[t]\na = 1\n[u]\nb = 2"),
	    "{\"t\":{\"a\":1},\"u\":{\"b\":2}}", "tables");
	is_str(dump("[a.b.c]\nx = 1"), "{\"a\":{\"b\":{\"c\":{\"x\":1}}}}",
	    "[a.b.c] makes a and a.b");
	is_str(dump("[a.b.c]\n[a]\nx = 1"),
	    "{\"a\":{\"b\":{\"c\":{}},\"x\":1}}",
	    "an implicit table may be defined later");
	is_str(dump("[ a . \"b c\" . 'd' ]"),
	    "{\"a\":{\"b c\":{\"d\":{}}}}", "whitespace and quotes in a header");
	is_str(dump("[x]\n[x.y]\n[x.z]\nk = 1"),
	    "{\"x\":{\"y\":{},\"z\":{\"k\":1}}}", "sub-tables");
	is_str(dump("[[p]]\nn = 1\n[[p]]\n[[p]]\nn = 3"),
	    "{\"p\":[{\"n\":1},{},{\"n\":3}]}", "[[array of tables]]");
	is_str(dump("[[f]]\nn = 'a'\n[f.g]\nc = 1\n[[f.v]]\nn = 1\n"
	    "[[f]]\nn = 'b'\n[[f.v]]\nn = 2"),
	    "{\"f\":[{\"n\":\"a\",\"g\":{\"c\":1},\"v\":[{\"n\":1}]},"
	    "{\"n\":\"b\",\"v\":[{\"n\":2}]}]}",
	    "sub-tables go into the last element");
	is_str(dump("[[a.b]]\nx = 1\n[a]\ny = 2"),
	    "{\"a\":{\"b\":[{\"x\":1}],\"y\":2}}",
	    "[[a.b]] then [a]");
	is_str(dump("fruit.apple.color = 'red'\n[fruit.apple.texture]\n"
	    "smooth = true"),
	    "{\"fruit\":{\"apple\":{\"color\":\"red\",\"texture\":"
	    "{\"smooth\":true}}}}", "a header below a dotted-key table");
	is_str(dump("[a]\nb.c = 1\nb.d = 2"),
	    "{\"a\":{\"b\":{\"c\":1,\"d\":2}}}",
	    "dotted keys may extend their own tables in a section");
	is_str(err("[]"), "line 1: expected a key", "empty header");
	is_str(err("[a"), "line 1: expected ']' after table name",
	    "unclosed header");
	is_str(err("[[a]"), "line 1: expected ']]' after table name",
	    "unclosed array header");
	is_str(err("[ [a] ]"), "line 1: expected a key",
	    "[[ must not be split");
	is_str(err("[a] b = 1"), "line 1: expected end of line, found 'b'",
	    "a key after a header on the same line");
}

static void
test_redefinition(void)
{
	is_str(err("[a]\n[a]"), "line 2: table [a] defined twice",
	    "table defined twice");
	is_str(err("[a]\nx = 1\n[b]\n[ a ]"),
	    "line 4: table [a] defined twice", "... also spelled otherwise");
	is_str(err("[a.b]\n[a]\n[a]"), "line 3: table [a] defined twice",
	    "an implicit table defined twice");
	is_str(err("[a]\nb = 1\n[a.b]"), "line 3: duplicate key 'a.b'",
	    "a key, then a table of the same name");
	is_str(err("a = 1\n[a]"), "line 2: duplicate key 'a'",
	    "a value, then [a]");
	is_str(err("[a]\nb.c = 1\n[a.b]"),
	    "line 3: table [a.b] already defined by dotted keys",
	    "[header] for a dotted-key table");
	is_str(err("[a.b]\nz = 1\n[a]\nb.y = 2"),
	    "line 4: table 'b' already defined",
	    "dotted keys into a [header] table");
	is_str(err("[a.b.c]\n[a]\nb.c.t = 1"),
	    "line 3: table 'b.c' already defined",
	    "dotted keys through implicit tables into a [header] one");
	is_str(err("a = []\n[[a]]"), "line 2: cannot append to static array 'a'",
	    "[[ ]] on a static array");
	is_str(err("a = [{b = 1}]\n[a.c]"), "line 2: key 'a' is not a table",
	    "[a.c] into a static array");
	is_str(err("[a]\n[[a]]"), "line 2: key 'a' is not an array of tables",
	    "[[a]] after [a]");
	is_str(err("[[a]]\n[a]"), "line 2: table [a] defined twice",
	    "[a] after [[a]]");
	is_str(err("[[a.b]]\n[a]\nb.c = 1"), "line 3: key 'b' is not a table",
	    "dotted keys into an array of tables");
	is_str(err("[[x.y]]\n[[x]]"),
	    "line 2: key 'x' is not an array of tables",
	    "[[x]] after x was made a table by [[x.y]]");
}

static void
test_text(void)
{
	static const char nul[] = "a = 1\nb = \"x\0y\"";
	char *s;

	is_str(dump("# head\na = 1 # tail\n#\n  # indented\n[t] # t\n"
	    "b = 'x' #c"), "{\"a\":1,\"t\":{\"b\":\"x\"}}", "comments");
	is_str(dump("# \xc3\xa9 \t unicode and tab\na = 1"), "{\"a\":1}",
	    "UTF-8 and tab in comments");
	is_str(dump("a = 1\r\n[t]\r\nb = [\r\n1,\r\n]\r\n"),
	    "{\"a\":1,\"t\":{\"b\":[1]}}", "CRLF line ends");
	is_str(err("a = 1\rb = 2"), "line 1: expected end of line",
	    "a CR alone is not a line end");
	is_str(err("# a\x01"), "line 1: control character in comment",
	    "control character in a comment");
	is_str(err("# a\x7f"), "line 1: control character in comment",
	    "DEL in a comment");
	is_str(err("# a\rb"), "line 1: control character in comment",
	    "a CR alone in a comment");
	is_str(dumpn(nul, sizeof(nul) - 1), "ERR line 2: NUL byte",
	    "a raw NUL byte is refused");
	is_str(err("a = \"\xff\""), "line 1: invalid UTF-8", "0xff");
	is_str(err("\n\n# \xc3\n"), "line 3: invalid UTF-8",
	    "truncated sequence");
	is_str(err("a = '\xc0\xaf'"), "line 1: invalid UTF-8", "overlong");
	is_str(err("a = '\xed\xa0\x80'"), "line 1: invalid UTF-8",
	    "encoded surrogate");
	is_str(err("a = '\xf4\x90\x80\x80'"), "line 1: invalid UTF-8",
	    "beyond U+10FFFF");
	is_str(err("\xef\xbb\xbf" "a = 1"), "line 1: expected a key",
	    "no byte order mark");
	is_str(dump(""), "{}", "empty document");
	is_str(dump("\n \t\n# only a comment"), "{}", "blank document");
	is_str(dump("a=1"), "{\"a\":1}", "no newline at the end");
	is_str(dumpn(NULL, 0), "{}", "NULL, 0");
	s = repeat("a = '", 1000, "\xe2\x82\xac", "'");
	ok(strlen(dump(s)) == 6 + 6 * 1000 + 2, "long UTF-8 string");
	free(s);
}

static void
test_lines(void)
{
	is_str(err("a = 1\nb = 2\n\n# c\nb = 3"), "line 5: duplicate key 'b'",
	    "line of a duplicate key");
	is_str(err("[a]\nx = 1\n\n\n\n\n[a]"), "line 7: table [a] defined twice",
	    "line of a table defined twice");
	is_str(err("a = 1\r\nb = \"\\q\""), "line 2: invalid escape '\\q'",
	    "lines counted over CRLF");
	is_str(err("s = \"\"\"\n\n\\q\"\"\""), "line 3: invalid escape '\\q'",
	    "line inside a multi-line string");
	is_str(err("a = [\n1,\n2,\n99999999999999999999]"),
	    "line 4: integer out of range", "line inside an array");
	is_str(err("\n\n\n\n\n\n\n\nx = 1\ny = 2 3"),
	    "line 10: expected end of line, found '3'", "junk after a value");
}

static void
test_limits(void)
{
	char *s;

	s = nest(128);
	ok(strncmp(dump(s), "{\"a\":[[[", 8) == 0, "128 nested arrays");
	free(s);
	s = nest(129);
	is_str(err(s), "line 1: nested deeper than 128 levels",
	    "129 nested arrays");
	free(s);
	s = repeat("a = ", 200, "{b = ", "");
	is_str(err(s), "line 1: nested deeper than 128 levels",
	    "deep inline tables");
	free(s);
	s = repeat("a", 200, ".b", " = 1");
	is_str(err(s), "line 1: nested deeper than 128 levels",
	    "a long dotted key");
	free(s);
	s = repeat("[a", 200, ".b", "]");
	is_str(err(s), "line 1: nested deeper than 128 levels",
	    "a long table name");
	free(s);
	s = repeat("", 5000, "[[t]]\nx = 1\n", "");
	ok(strncmp(dump(s), "{\"t\":[{\"x\":1},", 14) == 0,
	    "5000 array-of-tables elements");
	free(s);
}

static void
test_config(void)
{
	static const char cfg[] =
	    "[global]\n"
	    "log_file = \"/var/log/x.json\"\n"
	    "default_timeout = 60\n"
	    "[domains.app]\n"
	    "description = \"Application operations\"\n"
	    "[domains.app.actions.deploy]\n"
	    "description = \"Deploy\"\n"
	    "level = \"ops\"\n"
	    "tags = [\"app\"]\n"
	    "execute = \"/usr/bin/sudo /usr/local/bin/app-deploy "
	    "--channel={channel} {note}\"\n"
	    "[domains.app.actions.deploy.args]\n"
	    "channel = { type = \"enum\", values = [\"stable\", \"canary\"], "
	    "default = \"stable\" }\n"
	    "note    = { free = true, default = \"\" }\n"
	    "[auth.tokens.ci-runner]\n"
	    "secret = \"b64:c2VjcmV0\"\n"
	    "level = \"ops\"\n";

	is_str(dump(cfg),
	    "{\"global\":{\"log_file\":\"/var/log/x.json\","
	    "\"default_timeout\":60},"
	    "\"domains\":{\"app\":{\"description\":\"Application operations\","
	    "\"actions\":{\"deploy\":{\"description\":\"Deploy\","
	    "\"level\":\"ops\",\"tags\":[\"app\"],"
	    "\"execute\":\"/usr/bin/sudo /usr/local/bin/app-deploy "
	    "--channel={channel} {note}\","
	    "\"args\":{\"channel\":{\"type\":\"enum\","
	    "\"values\":[\"stable\",\"canary\"],\"default\":\"stable\"},"
	    "\"note\":{\"free\":true,\"default\":\"\"}}}}}},"
	    "\"auth\":{\"tokens\":{\"ci-runner\":{\"secret\":\"b64:c2VjcmV0\","
	    "\"level\":\"ops\"}}}}", "the frontiere configuration");
}

int
main(void)
{
	test_strings();
	test_integers();
	test_floats();
	test_bool_dates();
	test_arrays();
	test_inline();
	test_keys();
	test_tables();
	test_redefinition();
	test_text();
	test_lines();
	test_limits();
	test_config();
	return tap_done();
}
