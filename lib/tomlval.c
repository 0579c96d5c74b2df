/*
 * tomlval: the lexical half of the TOML reader; see tomlval.h.
 *
 * The input is checked for NUL bytes and UTF-8 once, before anything
 * else, so the rest copies any byte >= 0x80 as is.  Values are read from
 * their first byte: a quote starts a string, anything else is a bare word
 * (letters, digits and "_.:+-", plus the space of a date-time) that is
 * then classified, so "truex" or "1__2" is reported whole.
 */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "tomldate.h"
#include "tomlval.h"
#include "utf8.h"

static int	skip_comment(struct tomlval *);
static int	sc_put(struct tomlval *, const char *, size_t);
static int	put_utf8(struct tomlval *, unsigned long);
static int	digval(int);
static int	is_bare(int);
static const char *unescape(struct tomlval *, const char *, int);
static int	scan_string(struct tomlval *, int);
static size_t	token_len(const char *, const char *);
static size_t	digits(const char *, size_t, int);
static json_t	*made(struct tomlval *, json_t *);
static json_t	*parse_float(struct tomlval *, const char *, size_t, size_t);
static json_t	*parse_number(struct tomlval *, const char *, size_t);
static json_t	*parse_string(struct tomlval *);

/* ---------------------------------------------------------------- errors */

/* Set eb to "line N: msg", N being the line of at.  Returns -1. */
int
tomlval_fail(const struct tomlval *ps, const char *at, const char *fmt, ...)
{
	char msg[sizeof(ps->eb->msg)];
	unsigned long line = 1;
	const char *p = ps->buf;
	va_list ap;

	while (p < at && (p = memchr(p, '\n', (size_t)(at - p))) != NULL) {
		line++;
		p++;
	}
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return err_set(ps->eb, "line %lu: %s", line, msg);
}

/* s[0..n) for a message, in q: cut short, control bytes as '?'. */
const char *
tomlval_shorten(char *q, const char *s, size_t n)
{
	size_t i, m = n > TOMLVAL_QUOTE_MAX ? TOMLVAL_QUOTE_MAX : n;

	while (m > 0 && m < n && ((unsigned char)s[m] & 0xc0) == 0x80) {
		m--;	/* not in the middle of a character */
	}
	for (i = 0; i < m; i++) {
		q[i] = (unsigned char)s[i] < 0x20 || s[i] == 0x7f ? '?' : s[i];
	}
	snprintf(q + m, TOMLVAL_QBUF - m, "%s", m < n ? "..." : "");
	return q;
}

/* ---------------------------------------------------------------- input */

int
tomlval_check(struct tomlval *ps)
{
	const unsigned char *s = (const unsigned char *)ps->buf;
	const unsigned char *e = (const unsigned char *)ps->end;
	size_t n;

	while (s < e) {
		if (*s == '\0') {
			return tomlval_fail(ps, (const char *)s, "NUL byte");
		}
		if (*s < 0x80) {
			s++;
		} else if ((n = utf8_seq(s, (size_t)(e - s))) == 0) {
			return tomlval_fail(ps, (const char *)s,
			    "invalid UTF-8");
		} else {
			s += n;
		}
	}
	return 0;
}

/* ---------------------------------------------------------------- lexing */

/* The byte at ps->p + off, or -1 past the end. */
int
tomlval_peek(const struct tomlval *ps, size_t off)
{
	return (size_t)(ps->end - ps->p) > off ?
	    (unsigned char)ps->p[off] : -1;
}

/* Length of the newline (LF or CRLF) at p, or 0. */
int
tomlval_newline(const struct tomlval *ps, const char *p)
{
	if (p < ps->end && *p == '\n') {
		return 1;
	}
	return ps->end - p >= 2 && p[0] == '\r' && p[1] == '\n' ? 2 : 0;
}

void
tomlval_skip_ws(struct tomlval *ps)
{
	while (ps->p < ps->end && (*ps->p == ' ' || *ps->p == '\t')) {
		ps->p++;
	}
}

/* A '#' comment up to (not including) the newline. */
static int
skip_comment(struct tomlval *ps)
{
	unsigned char c;

	for (ps->p++; ps->p < ps->end && !tomlval_newline(ps, ps->p); ps->p++) {
		c = (unsigned char)*ps->p;
		if ((c < 0x20 && c != '\t') || c == 0x7f) {
			return tomlval_fail(ps, ps->p,
			    "control character in comment");
		}
	}
	return 0;
}

/* Whitespace, comments and newlines, as allowed inside arrays. */
int
tomlval_skip_wscnl(struct tomlval *ps)
{
	int n;

	for (;;) {
		tomlval_skip_ws(ps);
		if (tomlval_peek(ps, 0) == '#' && skip_comment(ps) != 0) {
			return -1;
		}
		if ((n = tomlval_newline(ps, ps->p)) == 0) {
			return 0;
		}
		ps->p += n;
	}
}

/* The end of an expression: whitespace, a comment, a newline or EOF. */
int
tomlval_end_line(struct tomlval *ps)
{
	int c;

	tomlval_skip_ws(ps);
	if (tomlval_peek(ps, 0) == '#' && skip_comment(ps) != 0) {
		return -1;
	}
	if (ps->p == ps->end) {
		return 0;
	}
	if ((c = tomlval_newline(ps, ps->p)) > 0) {
		ps->p += c;
		return 0;
	}
	c = tomlval_peek(ps, 0);
	if (c > ' ' && c < 0x7f) {
		return tomlval_fail(ps, ps->p,
		    "expected end of line, found '%c'", c);
	}
	return tomlval_fail(ps, ps->p, "expected end of line");
}

/* ---------------------------------------------------------------- strings */

/* Push s[0..n) on the scratch stack (the size argument makes it fit). */
static int
sc_put(struct tomlval *ps, const char *s, size_t n)
{
	if (n > ps->sccap - ps->sclen) {
		return tomlval_fail(ps, ps->p,
		    "internal error: scratch overflow");
	}
	memcpy(ps->sc + ps->sclen, s, n);
	ps->sclen += n;
	return 0;
}

static int
put_utf8(struct tomlval *ps, unsigned long cp)
{
	char b[4];

	if (cp < 0x80) {
		b[0] = (char)cp;
		return sc_put(ps, b, 1);
	}
	if (cp < 0x800) {
		b[0] = (char)(0xc0 | cp >> 6);
		b[1] = (char)(0x80 | (cp & 0x3f));
		return sc_put(ps, b, 2);
	}
	if (cp < 0x10000) {
		b[0] = (char)(0xe0 | cp >> 12);
		b[1] = (char)(0x80 | (cp >> 6 & 0x3f));
		b[2] = (char)(0x80 | (cp & 0x3f));
		return sc_put(ps, b, 3);
	}
	b[0] = (char)(0xf0 | cp >> 18);
	b[1] = (char)(0x80 | (cp >> 12 & 0x3f));
	b[2] = (char)(0x80 | (cp >> 6 & 0x3f));
	b[3] = (char)(0x80 | (cp & 0x3f));
	return sc_put(ps, b, 4);
}

/* The value of a hex digit, 99 for anything else. */
static int
digval(int c)
{
	if (c >= '0' && c <= '9') {
		return c - '0';
	}
	if ((c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')) {
		return (c | 0x20) - 'a' + 10;
	}
	return 99;
}

/* A character of a bare key: A-Za-z0-9_- */
static int
is_bare(int c)
{
	return digval(c) < 10 || c == '_' || c == '-' ||
	    ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
}

/* The escape at p (a backslash) decoded; returns what follows, or NULL. */
static const char *
unescape(struct tomlval *ps, const char *p, int ml)
{
	static const char from[] = "btnfr\"\\", to[] = "\b\t\n\f\r\"\\";
	const char *q, *hit;
	unsigned long cp = 0;
	int c = p + 1 < ps->end ? (unsigned char)p[1] : -1, i, n, d;

	if (ml && (c == ' ' || c == '\t' || c == '\n' || c == '\r')) {
		/* line-ending backslash: eats all whitespace and newlines */
		for (q = p + 1; q < ps->end && (*q == ' ' || *q == '\t'); q++)
			;
		if (!tomlval_newline(ps, q)) {
			tomlval_fail(ps, p,
			    "invalid escape: '\\' before whitespace");
			return NULL;
		}
		while (q < ps->end && (*q == ' ' || *q == '\t' ||
		    tomlval_newline(ps, q))) {
			q += *q == '\r' ? 2 : 1;
		}
		return q;
	}
	if (c > 0 && (hit = strchr(from, c)) != NULL) {
		return sc_put(ps, &to[hit - from], 1) == 0 ? p + 2 : NULL;
	}
	if (c != 'u' && c != 'U') {
		if (c > ' ' && c < 0x7f) {
			tomlval_fail(ps, p, "invalid escape '\\%c'", c);
		} else {
			tomlval_fail(ps, p, "invalid escape");
		}
		return NULL;
	}
	n = c == 'u' ? 4 : 8;
	for (i = 0; i < n; i++) {
		if (p + 2 + i >= ps->end || (d = digval(p[2 + i])) > 15) {
			tomlval_fail(ps, p,
			    "invalid escape: \\%c needs %d hex digits", c, n);
			return NULL;
		}
		cp = cp << 4 | (unsigned long)d;
	}
	if ((cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff) {
		tomlval_fail(ps, p,
		    "invalid escape: U+%lX is not a Unicode scalar value", cp);
		return NULL;
	}
	return put_utf8(ps, cp) == 0 ? p + 2 + n : NULL;
}

/*
 * The string at ps->p (basic or literal; multi-line too when ml_ok)
 * decoded onto the scratch stack.  In multi-line strings a newline right
 * after the opening quotes is dropped and CRLF becomes LF.
 */
static int
scan_string(struct tomlval *ps, int ml_ok)
{
	const char *start = ps->p, *p;
	char q = *ps->p;
	int ml = ml_ok && tomlval_peek(ps, 1) == q && tomlval_peek(ps, 2) == q;
	unsigned char c;
	size_t n;

	p = ps->p + (ml ? 3 : 1);
	if (ml) {
		p += tomlval_newline(ps, p);
	}
	for (;;) {
		if (p == ps->end) {
			return tomlval_fail(ps, start, "unterminated string");
		}
		c = (unsigned char)*p;
		if (c == (unsigned char)q) {
			/* up to two quotes may end the body of a multi-line */
			for (n = 1; ml && n < 5 && p + n < ps->end && p[n] == q;
			    n++)
				;
			if (!ml || n >= 3) {
				ps->p = p + n;
				return ml ? sc_put(ps, p, n - 3) : 0;
			}
			if (sc_put(ps, p, n) != 0) {
				return -1;
			}
			p += n;
		} else if (c == '\\' && q == '"') {
			if ((p = unescape(ps, p, ml)) == NULL) {
				return -1;
			}
		} else if ((n = (size_t)tomlval_newline(ps, p)) > 0) {
			if (!ml) {
				return tomlval_fail(ps, start,
				    "unterminated string");
			}
			if (sc_put(ps, "\n", 1) != 0) {
				return -1;
			}
			p += n;
		} else if ((c < 0x20 && c != '\t') || c == 0x7f) {
			return tomlval_fail(ps, p,
			    "control character in string");
		} else if (sc_put(ps, p++, 1) != 0) {
			return -1;
		}
	}
}

/* A string value. */
static json_t *
parse_string(struct tomlval *ps)
{
	size_t mark = ps->sclen;
	json_t *v;

	if (scan_string(ps, 1) != 0) {
		return NULL;
	}
	v = made(ps, json_stringn(ps->sc + mark, ps->sclen - mark));
	ps->sclen = mark;
	return v;
}

/* One part of a key (bare or quoted) onto the scratch stack. */
int
tomlval_key(struct tomlval *ps, const char **k, size_t *kn)
{
	size_t mark = ps->sclen;
	const char *q = ps->p;
	int c = tomlval_peek(ps, 0);

	if (c == '"' || c == '\'') {
		if (scan_string(ps, 0) != 0) {
			return -1;
		}
	} else {
		while (q < ps->end && is_bare(*q)) {
			q++;
		}
		if (q == ps->p) {
			return tomlval_fail(ps, ps->p, "expected a key");
		}
		if (sc_put(ps, ps->p, (size_t)(q - ps->p)) != 0) {
			return -1;
		}
		ps->p = q;
	}
	*k = ps->sc + mark;
	*kn = ps->sclen - mark;
	return 0;
}

/* ---------------------------------------------------------------- scalars */

/* The bare word at p: a number, boolean or date-time. */
static size_t
token_len(const char *p, const char *end)
{
	const char *q = p;

	for (;;) {
		while (q < end && (is_bare(*q) || *q == '.' || *q == ':' ||
		    *q == '+')) {
			q++;
		}
		/* a date, a space and a time: "1979-05-27 07:32:00" */
		if (q - p == 10 && p[4] == '-' && end - q > 3 && q[0] == ' ' &&
		    digval(q[1]) < 10 && digval(q[2]) < 10 && q[3] == ':') {
			q++;
			continue;
		}
		return (size_t)(q - p);
	}
}

/* The length of DIGIT *( DIGIT / "_" DIGIT ) in base at s. */
static size_t
digits(const char *s, size_t n, int base)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (s[i] == '_' && i > 0 && i + 1 < n &&
		    digval(s[i + 1]) < base) {
			continue;
		}
		if (digval(s[i]) >= base) {
			break;
		}
	}
	return i;
}

/* v, or NULL with "out of memory" when jansson could not make it. */
static json_t *
made(struct tomlval *ps, json_t *v)
{
	if (v == NULL) {
		tomlval_fail(ps, ps->p, "out of memory");
	}
	return v;
}

/*
 * t[0..n) as a float, its integer part t[0..i) already checked: then a
 * fraction, an exponent or both.  strtod reads it in the C locale
 * (nothing in this toolkit calls setlocale).
 */
static json_t *
parse_float(struct tomlval *ps, const char *t, size_t n, size_t i)
{
	size_t k, mark = ps->sclen;
	char q[TOMLVAL_QBUF];
	double d;

	if (i < n && t[i] == '.') {
		if ((k = digits(t + i + 1, n - i - 1, 10)) == 0) {
			goto bad;
		}
		i += 1 + k;
	}
	if (i < n && (t[i] == 'e' || t[i] == 'E')) {
		i += 1 + (i + 1 < n && (t[i + 1] == '+' || t[i + 1] == '-'));
		if ((k = digits(t + i, n - i, 10)) == 0) {
			goto bad;
		}
		i += k;
	}
	if (i != n) {
		goto bad;
	}
	for (i = 0; i < n; i++) {
		if (t[i] != '_' && sc_put(ps, &t[i], 1) != 0) {
			return NULL;
		}
	}
	if (sc_put(ps, "", 1) != 0) {
		return NULL;
	}
	errno = 0;
	d = strtod(ps->sc + mark, NULL);
	ps->sclen = mark;
	if (errno == ERANGE && (d > 1.0 || d < -1.0)) {
		tomlval_fail(ps, t, "float out of range");
		return NULL;
	}
	return made(ps, json_real(d));	/* an underflow is 0 or subnormal */
bad:
	tomlval_fail(ps, t, "invalid number '%s'", tomlval_shorten(q, t, n));
	return NULL;
}

/* t[0..n) as an integer (decimal, 0x, 0o, 0b) or a float. */
static json_t *
parse_number(struct tomlval *ps, const char *t, size_t n)
{
	static const char prefix[] = "xob";
	static const int bases[] = { 16, 8, 2 };
	const char *hit;
	uint64_t v = 0, lim = INT64_MAX;
	size_t i = 0, k;
	int base = 10, d;
	char q[TOMLVAL_QBUF];

	if (n > 2 && t[0] == '0' && t[1] != '\0' &&
	    (hit = strchr(prefix, t[1])) != NULL) {
		base = bases[hit - prefix];	/* no sign allowed */
		i = 2;
	} else if (t[0] == '+' || t[0] == '-') {
		lim += t[0] == '-';
		i = 1;
	}
	if ((k = digits(t + i, n - i, base)) == 0) {
		tomlval_fail(ps, t, "invalid value '%s'",
		    tomlval_shorten(q, t, n));
		return NULL;
	}
	if (base == 10 && k > 1 && t[i] == '0') {
		tomlval_fail(ps, t, "leading zero in '%s'",
		    tomlval_shorten(q, t, n));
		return NULL;
	}
	if (i + k < n && base == 10) {
		return parse_float(ps, t, n, i + k);
	}
	if (i + k < n) {
		tomlval_fail(ps, t, "invalid number '%s'",
		    tomlval_shorten(q, t, n));
		return NULL;
	}
	for (; i < n; i++) {
		if ((d = digval(t[i])) > 15) {
			continue;	/* '_' */
		}
		if (v > (lim - (uint64_t)d) / (uint64_t)base) {
			tomlval_fail(ps, t, "integer out of range");
			return NULL;
		}
		v = v * (uint64_t)base + (uint64_t)d;
	}
	if (v == 0 || t[0] != '-') {
		return made(ps, json_integer((json_int_t)v));
	}
	return made(ps, json_integer(-(json_int_t)(v - 1) - 1));
}

/*
 * A string, boolean, number or date-time.  inf and nan become strings as
 * written: jansson has no real for them.  Date-times stay strings too.
 */
json_t *
tomlval_scalar(struct tomlval *ps)
{
	static const char *const special[] = {
		"inf", "+inf", "-inf", "nan", "+nan", "-nan", NULL
	};
	const char *t = ps->p;
	size_t n, i;
	char q[TOMLVAL_QBUF];
	int c = tomlval_peek(ps, 0);

	if (c == '"' || c == '\'') {
		return parse_string(ps);
	}
	n = token_len(ps->p, ps->end);
	ps->p += n;
	if (n == 0 && c > ' ' && c < 0x7f) {
		tomlval_fail(ps, t, "expected a value, found '%c'", c);
		return NULL;
	}
	if (n == 0) {
		tomlval_fail(ps, t, "expected a value");
		return NULL;
	}
	if (n == 4 && memcmp(t, "true", 4) == 0) {
		return made(ps, json_true());
	}
	if (n == 5 && memcmp(t, "false", 5) == 0) {
		return made(ps, json_false());
	}
	for (i = 0; special[i] != NULL; i++) {
		if (strlen(special[i]) == n && memcmp(t, special[i], n) == 0) {
			return made(ps, json_stringn(t, n));
		}
	}
	if (tomldate_looks(t, n)) {
		if (!tomldate_valid(t, n)) {
			tomlval_fail(ps, t, "invalid date-time '%s'",
			    tomlval_shorten(q, t, n));
			return NULL;
		}
		return made(ps, json_stringn(t, n));
	}
	return parse_number(ps, t, n);
}
