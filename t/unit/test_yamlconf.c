/*
 * Unit tests of lib/yamlconf and the lib/yamltree under it: the tree
 * (scalars as strings, nulls, order), marks of nodes, keys and items,
 * typed reads and their messages, duplicate keys, libyaml syntax errors,
 * aliases, documents, the caps (file size, depth, nodes, warnings),
 * unknown-key warnings, yamltree_read_file, yamltree_has_top_key, and
 * yamlconf's old names for the lib/varexpand expansions.
 */
#include "config.h"

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <pwd.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tap.h"
#include "varexpand.h"
#include "yamlconf.h"
#include "yamltree.h"

static struct errbuf eb;
static char	tmpdir[] = "/tmp/test_yamlconf.XXXXXX";

static int	 rm_entry(const char *, const struct stat *, int,
		    struct FTW *);
static struct yamlconf *load(const char *);
static const char *load_error(const char *);
static char	*write_file(const char *, const char *, size_t);
static void	 test_tree(void);
static void	 test_marks(void);
static void	 test_typed(void);
static void	 test_typed_errors(void);
static void	 test_structure_errors(void);
static void	 test_syntax(void);
static void	 test_caps(void);
static void	 test_files(void);
static void	 test_warnings(void);
static void	 test_expand_names(void);
static void	 test_read_file(void);
static void	 test_has_top_key(void);

static int
rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)remove(path);
	return 0;
}

static struct yamlconf *
load(const char *text)
{
	return yamlconf_load_buffer("t.yaml", text, strlen(text), &eb);
}

/* The message of a failed load of text, or "(loaded)". */
static const char *
load_error(const char *text)
{
	struct yamlconf *yc = load(text);

	if (yc != NULL) {
		yamlconf_free(yc);
		return "(loaded)";
	}
	return eb.msg;
}

static char *
write_file(const char *name, const char *data, size_t len)
{
	char *path;
	FILE *f;

	if (asprintf(&path, "%s/%s", tmpdir, name) < 0) {
		abort();
	}
	if ((f = fopen(path, "w")) == NULL) {
		abort();
	}
	fwrite(data, 1, len, f);
	fclose(f);
	return path;
}

static void
test_tree(void)
{
	struct yamlconf *yc;
	const char *key;
	json_t *root, *v;
	char order[64] = "";

	yc = load("zeta: 1\nalpha: yes\nmid: [a, 'b', \"c\"]\nnothing:\n"
	    "tilde: ~\nnul: null\nquoted: 'null'\nempty: ''\n"
	    "tagged: !!str ~\nmap: {x: 1}\n");
	ok(yc != NULL, "a document loads");
	root = yamlconf_root(yc);
	ok(json_is_object(root), "a mapping is an object");
	json_object_foreach(root, key, v) {
		strncat(order, key, 2);
	}
	is_str(order, "zealminotinuquemtama", "keys keep file order");
	is_str(json_string_value(json_object_get(root, "zeta")), "1",
	    "numbers stay strings");
	is_str(json_string_value(json_object_get(root, "alpha")), "yes",
	    "booleans stay strings");
	v = json_object_get(root, "mid");
	ok(json_is_array(v) && json_array_size(v) == 3, "a sequence");
	is_str(json_string_value(json_array_get(v, 1)), "b", "quoted item");
	ok(json_is_null(json_object_get(root, "nothing")), "empty is null");
	ok(json_is_null(json_object_get(root, "tilde")), "~ is null");
	ok(json_is_null(json_object_get(root, "nul")), "null is null");
	is_str(json_string_value(json_object_get(root, "quoted")), "null",
	    "'null' is a string");
	is_str(json_string_value(json_object_get(root, "empty")), "",
	    "'' is an empty string");
	is_str(json_string_value(json_object_get(root, "tagged")), "~",
	    "a tagged ~ is a string");
	is_str(yamlconf_name(yc), "t.yaml", "name");
	yamlconf_free(yc);

	yc = load("");
	ok(yc != NULL && yamlconf_root(yc) == NULL, "empty file: no root");
	yamlconf_free(yc);
	yc = load("# only a comment\n");
	ok(yc != NULL && yamlconf_root(yc) == NULL, "comments only: no root");
	yamlconf_free(yc);
	yc = load("---\n");
	ok(yc != NULL && json_is_null(yamlconf_root(yc)), "--- alone: null");
	yamlconf_free(yc);
	yc = load("- a\n- b\n");
	ok(yc != NULL && json_is_array(yamlconf_root(yc)), "a top sequence");
	yamlconf_free(yc);
	yc = load("a: &anchor 1\n");
	ok(yc != NULL, "an anchor without alias is accepted");
	yamlconf_free(yc);
}

static void
test_marks(void)
{
	struct yamlconf *yc;
	struct yamlconf_mark m;
	json_t *root, *list, *sub;

	yc = load("a: 1\nlist:\n  - x\n  -\n  - {k: v}\nsub:\n  deep: 2\n"
	    "  none:\n");
	root = yamlconf_root(yc);
	list = json_object_get(root, "list");
	sub = json_object_get(root, "sub");
	m = yamlconf_node_mark(yc, root);
	ok(m.line == 1 && m.col == 1, "root at 1:1");
	m = yamlconf_key_mark(yc, root, "list");
	ok(m.line == 2 && m.col == 1, "key list at 2:1");
	m = yamlconf_node_mark(yc, json_object_get(root, "a"));
	ok(m.line == 1 && m.col == 4, "scalar at 1:4");
	m = yamlconf_item_mark(yc, list, 0);
	ok(m.line == 3 && m.col == 5, "item 0 at 3:5");
	m = yamlconf_node_mark(yc, json_array_get(list, 1));
	is_long(m.line, 0, "a null item has no node mark");
	m = yamlconf_item_mark(yc, list, 1);
	ok(m.line >= 4, "but its item mark is known");
	m = yamlconf_node_mark(yc, json_array_get(list, 2));
	ok(m.line == 5 && m.col == 5, "flow mapping at 5:5");
	is_long(yamlconf_member_line(yc, sub, "deep"), 7, "member line");
	is_long(yamlconf_member_line(yc, sub, "none"), 8,
	    "null member: the key's line");
	is_long(yamlconf_member_line(yc, sub, "absent"), 0, "absent: 0");
	m = yamlconf_item_mark(yc, list, 9);
	is_long(m.line, 0, "item out of range: 0");
	m = yamlconf_key_mark(yc, list, "x");
	is_long(m.line, 0, "key mark of a sequence: 0");
	m = yamlconf_node_mark(yc, NULL);
	is_long(m.line, 0, "NULL node: 0");
	yamlconf_free(yc);
}

static void
test_typed(void)
{
	struct yamlconf *yc;
	const char *s = NULL;
	json_t *root, *m = NULL;
	int64_t ms = 0;
	long l = 0;
	int b = -1;

	yc = load("s: text\nn: 42\nneg: -7\nt: Yes\nf: off\nT: TRUE\n"
	    "sec: 1.5\nsec0: 0\nm: {a: 1}\nq: [1]\nnul:\n");
	root = yamlconf_root(yc);
	is_long(yamlconf_string(yc, root, "", "s", &s, &eb), 1, "string");
	is_str(s, "text", "string value");
	is_long(yamlconf_string(yc, root, "", "n", &s, &eb), 1, "number ok");
	is_long(yamlconf_int(yc, root, "", "n", 1, 100, &l, &eb), 1, "int");
	is_long(l, 42, "int value");
	is_long(yamlconf_int(yc, root, NULL, "neg", -10, 0, &l, &eb), 1,
	    "negative int");
	is_long(l, -7, "negative value");
	is_long(yamlconf_bool(yc, root, "", "t", &b, &eb), 1, "bool Yes");
	is_long(b, 1, "Yes is true");
	yamlconf_bool(yc, root, "", "f", &b, &eb);
	is_long(b, 0, "off is false");
	yamlconf_bool(yc, root, "", "T", &b, &eb);
	is_long(b, 1, "TRUE is true");
	is_long(yamlconf_seconds(yc, root, "", "sec", 10, &ms, &eb), 1,
	    "seconds");
	is_long(ms, 1500, "1.5 s = 1500 ms");
	yamlconf_seconds(yc, root, "", "sec0", 10, &ms, &eb);
	is_long(ms, 0, "0 s");
	is_long(yamlconf_map(yc, root, "", "m", &m, &eb), 1, "map");
	ok(json_is_object(m), "map value");
	is_long(yamlconf_seq(yc, root, "", "q", &m, &eb), 1, "seq");
	ok(json_is_array(m), "seq value");
	s = "unchanged";
	is_long(yamlconf_string(yc, root, "", "absent", &s, &eb), 0,
	    "absent: 0");
	is_long(yamlconf_string(yc, root, "", "nul", &s, &eb), 0, "null: 0");
	is_str(s, "unchanged", "out untouched");
	is_long(yamlconf_int(yc, json_object_get(root, "q"), "", "x", 0, 1, &l,
	    &eb), 0, "not a mapping: absent");
	yamlconf_free(yc);
}

static void
test_typed_errors(void)
{
	struct yamlconf *yc;
	const char *s;
	json_t *root, *web;
	int64_t ms;
	long l;
	int b;

	yc = load("clusters:\n  web:\n    port: abc\n    big: 70000\n"
	    "    m: {a: 1}\n    b: maybe\n    t: 1h\n    huge: 99999999999\n"
	    "    s:\n      - 1\n    hex: 0x10\n    plus: +3\n    lng: "
	    "99999999999999999999999\n    neg: -1.5\n");
	root = yamlconf_root(yc);
	web = json_object_get(json_object_get(root, "clusters"), "web");
	is_long(yamlconf_int(yc, web, "clusters.web", "port", 1, 65535, &l,
	    &eb), -1, "bad int");
	is_str(eb.msg, "t.yaml:3: clusters.web.port: not a number: \"abc\"",
	    "not a number: file, line, path, value");
	yamlconf_int(yc, web, "clusters.web", "big", 1, 65535, &l, &eb);
	is_str(eb.msg, "t.yaml:4: clusters.web.big: out of range 1-65535: "
	    "\"70000\"", "out of range");
	yamlconf_int(yc, web, "clusters.web", "m", 1, 2, &l, &eb);
	is_str(eb.msg, "t.yaml:5: clusters.web.m: expected a scalar, not a "
	    "mapping", "a mapping for a number");
	yamlconf_bool(yc, web, "clusters.web", "b", &b, &eb);
	is_str(eb.msg, "t.yaml:6: clusters.web.b: not a boolean "
	    "(yes/no/true/false): \"maybe\"", "not a boolean");
	yamlconf_seconds(yc, web, "clusters.web", "t", 100, &ms, &eb);
	is_str(eb.msg, "t.yaml:7: clusters.web.t: not a number of seconds: "
	    "\"1h\"", "not seconds");
	yamlconf_seconds(yc, web, "clusters.web", "huge", 100, &ms, &eb);
	is_str(eb.msg, "t.yaml:8: clusters.web.huge: more than 100 seconds: "
	    "\"99999999999\"", "too many seconds");
	yamlconf_string(yc, web, "clusters.web", "s", &s, &eb);
	is_str(eb.msg, "t.yaml:10: clusters.web.s: expected a scalar, not a "
	    "sequence", "a block sequence: its own line");
	yamlconf_int(yc, web, "clusters.web", "hex", 0, 100, &l, &eb);
	is_str(eb.msg, "t.yaml:11: clusters.web.hex: not a number: \"0x10\"",
	    "no hex");
	is_long(yamlconf_int(yc, web, "clusters.web", "plus", 0, 100, &l, &eb),
	    -1, "no leading +");
	yamlconf_int(yc, web, "clusters.web", "lng", 0, 100, &l, &eb);
	is_str(eb.msg, "t.yaml:13: clusters.web.lng: out of range 0-100: "
	    "\"99999999999999999999999\"", "overflow is out of range");
	is_long(yamlconf_seconds(yc, web, "clusters.web", "neg", 100, &ms,
	    &eb), -1, "negative seconds");
	yamlconf_map(yc, root, "", "clusters", &web, &eb);
	is_long(yamlconf_seq(yc, root, NULL, "clusters", &web, &eb), -1,
	    "mapping for a sequence");
	is_str(eb.msg, "t.yaml:2: clusters: expected a sequence, not a "
	    "mapping", "top-level path");
	is_long(yamlconf_fail(yc, 9, "x.y", &eb, "bad %d", 1), -1, "fail");
	is_str(eb.msg, "t.yaml:9: x.y: bad 1", "fail format");
	yamlconf_fail(yc, 0, NULL, &eb, "no line");
	is_str(eb.msg, "t.yaml: no line", "fail without line or path");
	yamlconf_free(yc);
}

static void
test_structure_errors(void)
{
	is_str(load_error("a: 1\nb: 2\na: 3\n"),
	    "t.yaml:3: duplicate key \"a\" (first at line 1)",
	    "duplicate key");
	is_str(load_error("top:\n  x: 1\n  y:\n    - 1\n  x: 2\n"),
	    "t.yaml:5: duplicate key \"x\" (first at line 2)",
	    "duplicate nested key");
	is_str(load_error("m: {a: 1, a: 2}\n"),
	    "t.yaml:1: duplicate key \"a\" (first at line 1)",
	    "duplicate key in a flow mapping");
	is_str(load_error("a: 1\n'a': 2\n"),
	    "t.yaml:2: duplicate key \"a\" (first at line 1)",
	    "quoting does not make a key different");
	is_str(load_error("a: 1\nb: 2\n"), "(loaded)", "distinct keys load");
	is_str(load_error("a: &x 1\nb: *x\n"),
	    "t.yaml:2: aliases (*name) are not supported", "aliases refused");
	is_str(load_error("base: &b {x: 1}\nc:\n  <<: *b\n"),
	    "t.yaml:3: aliases (*name) are not supported", "merge keys too");
	is_str(load_error("a: 1\n---\nb: 2\n"),
	    "t.yaml:2: more than one YAML document", "two documents");
	is_str(load_error("? [a, b]\n: 1\n"),
	    "t.yaml:1: a mapping key must be a scalar", "sequence as key");
	is_str(load_error("? {a: 1}\n: 1\n"),
	    "t.yaml:1: a mapping key must be a scalar", "mapping as key");
	is_str(load_error("a: \"x\\0y\"\n"), "t.yaml:1: NUL byte in a scalar",
	    "NUL in a value");
	is_str(load_error("\"k\\0\": 1\n"), "t.yaml:1: NUL byte in a scalar",
	    "NUL in a key");
}

static void
test_syntax(void)
{
	is_str(load_error("a: [1, 2\nb: 3\n"),
	    "t.yaml:2:2: did not find expected ',' or ']' (while parsing a "
	    "flow sequence at line 1)", "unclosed flow sequence");
	is_str(load_error("a: 1\n b: 2\n"),
	    "t.yaml:2:3: mapping values are not allowed in this context",
	    "bad indentation");
	is_str(load_error("a:\n  - 1\n  b: 2\n"),
	    "t.yaml:3:3: did not find expected '-' indicator (while parsing "
	    "a block collection at line 2)", "mixed sequence and mapping");
	is_str(load_error("a: 'open\n"),
	    "t.yaml:2:1: found unexpected end of stream (while scanning a "
	    "quoted scalar at line 1)", "unclosed quote");
	is_str(load_error("a: \"\\q\"\n"),
	    "t.yaml:1:5: found unknown escape character (while parsing a "
	    "quoted scalar at line 1)", "bad escape");
	is_str(load_error("a: \xff\n"),
	    "t.yaml: byte 3: invalid leading UTF-8 octet", "bad UTF-8");
	is_str(load_error("\ta: 1\n"),
	    "t.yaml:1:1: found character that cannot start any token (while "
	    "scanning for the next token at line 1)", "tab indentation");
}

static void
test_caps(void)
{
	char *s;

	s = repeat("", YAMLCONF_DEPTH_MAX, "[", "");
	is_str(load_error(s), "t.yaml:2:1: did not find expected node content "
	    "(while parsing a flow node at line 2)",
	    "64 levels: as deep as allowed (then a syntax error)");
	free(s);
	s = repeat("", YAMLCONF_DEPTH_MAX + 1, "[", "");
	is_str(load_error(s), "t.yaml:1: nested deeper than 64 levels",
	    "65 levels: refused");
	free(s);
	s = repeat("", YAMLCONF_DEPTH_MAX + 1, "- ", "x\n");
	is_str(load_error(s), "t.yaml:1: nested deeper than 64 levels",
	    "block nesting refused too");
	free(s);
	s = repeat("[", YAMLCONF_NODES_MAX - 1, "a,", "]");
	is_str(load_error(s), "(loaded)", "nodes: as many as allowed");
	free(s);
	s = repeat("[", YAMLCONF_NODES_MAX, "a,", "]");
	is_str(load_error(s), "t.yaml:1: more than 262144 nodes",
	    "nodes: one too many");
	free(s);
	s = repeat("a: '", YAMLCONF_FILE_MAX, "x", "'\n");
	ok(yamlconf_load_buffer("big", s, strlen(s), &eb) == NULL,
	    "buffer over the cap");
	is_str(eb.msg, "big: larger than 4194304 bytes", "size message");
	free(s);
}

static void
test_files(void)
{
	struct yamlconf *yc;
	char *path, *big;
	size_t n = YAMLCONF_FILE_MAX + 1;

	path = write_file("ok.yaml", "k: v\n", 5);
	yc = yamlconf_load_file(path, &eb);
	ok(yc != NULL, "a file loads");
	is_str(yamlconf_name(yc), path, "named by its path");
	yamlconf_free(yc);
	free(path);
	path = write_file("bad.yaml", "k: v\nk: w\n", 10);
	ok(yamlconf_load_file(path, &eb) == NULL, "a bad file fails");
	ok(strstr(eb.msg, "bad.yaml:2: duplicate key") != NULL,
	    "file:line of a file");
	free(path);
	errno = 0;
	ok(yamlconf_load_file("/nonexistent/x.yaml", &eb) == NULL &&
	    errno == ENOENT, "missing file: ENOENT");
	is_str(eb.msg, "/nonexistent/x.yaml: No such file or directory",
	    "missing file message");
	ok(yamlconf_load_file(tmpdir, &eb) == NULL &&
	    strstr(eb.msg, "not a regular file") != NULL, "a directory");
	big = malloc(n);
	memset(big, '#', n);
	path = write_file("big.yaml", big, n);
	ok(yamlconf_load_file(path, &eb) == NULL &&
	    strstr(eb.msg, "larger than 4194304 bytes") != NULL,
	    "a file over the cap");
	free(path);
	path = write_file("max.yaml", big, n - 1);
	yc = yamlconf_load_file(path, &eb);
	ok(yc != NULL, "a file at the cap loads");
	yamlconf_free(yc);
	free(path);
	free(big);
}

static void
test_warnings(void)
{
	static const char *const allowed[] = { "a", "b", NULL };
	struct yamlconf *yc;
	char *s;
	size_t i;

	yc = load("a: 1\nfoo: 2\nb:\n  c: 3\nbar:\n");
	is_long(yamlconf_check_keys(yc, yamlconf_root(yc), allowed), 2,
	    "two unknown keys");
	is_long(yamlconf_nwarnings(yc), 2, "two warnings");
	is_str(yamlconf_warning(yc, 0), "t.yaml:2: unknown key \"foo\" "
	    "(ignored)", "warning text");
	is_str(yamlconf_warning(yc, 1), "t.yaml:5: unknown key \"bar\" "
	    "(ignored)", "null value: the key's line");
	ok(yamlconf_warning(yc, 2) == NULL, "no third warning");
	yamlconf_warn(yc, 0, "plain %s", "note");
	is_str(yamlconf_warning(yc, 2), "t.yaml: plain note", "line 0");
	yamlconf_free(yc);

	s = repeat("", 150, "- x\n", "");
	yc = load(s);
	for (i = 0; i < 150; i++) {
		yamlconf_warn(yc, i + 1, "w%zu", i);
	}
	is_long(yamlconf_nwarnings(yc), YAMLCONF_WARN_MAX + 1, "capped");
	is_str(yamlconf_warning(yc, YAMLCONF_WARN_MAX - 1), "t.yaml:100: w99",
	    "last kept");
	is_str(yamlconf_warning(yc, YAMLCONF_WARN_MAX),
	    "t.yaml: 50 more warnings", "then a count");
	yamlconf_free(yc);
	free(s);
}

/* yamlconf's names for the expansions are varexpand's. */
static void
test_expand_names(void)
{
	char *a, *b;

	setenv("YC_A", "alpha", 1);
	setenv("HOME", "/home/tester", 1);
	a = yamlconf_expand_vars("x$YC_A${YC_A}$YC_NOPE");
	b = varexpand_vars("x$YC_A${YC_A}$YC_NOPE");
	is_str(a, b, "yamlconf_expand_vars = varexpand_vars");
	free(a);
	free(b);
	a = yamlconf_expand_tilde("~/k");
	is_str(a, "/home/tester/k", "yamlconf_expand_tilde = varexpand_tilde");
	free(a);
	a = repeat("", YAMLCONF_EXPAND_MAX - 2, "x", "$YC_A");
	errno = 0;
	ok(yamlconf_expand_vars(a) == NULL && errno == ENAMETOOLONG,
	    "the same cap");
	free(a);
}

static void
test_read_file(void)
{
	char *path, *buf = (char *)"x";
	size_t len = 7;

	path = write_file("five.yaml", "a: b\n", 5);
	is_long(yamltree_read_file(path, 5, &buf, &len, &eb), 0,
	    "read_file: at the cap");
	ok(buf != NULL && len == 5 && memcmp(buf, "a: b\n", 5) == 0,
	    "read_file: the bytes");
	free(buf);
	is_long(yamltree_read_file(path, 4, &buf, &len, &eb), -1,
	    "read_file: past the cap");
	ok(buf == NULL && strstr(eb.msg, "five.yaml: larger than 4 bytes"),
	    "read_file: buf NULL, the cap in the message");
	free(path);
	errno = 0;
	ok(yamltree_read_file("/nonexistent/x", 5, &buf, &len, &eb) == -1 &&
	    errno == ENOENT && buf == NULL, "read_file: ENOENT");
	ok(yamltree_read_file(tmpdir, 5, &buf, &len, &eb) == -1 &&
	    strstr(eb.msg, "not a regular file") != NULL,
	    "read_file: a directory");
}

static void
test_has_top_key(void)
{
	static const char *const keys[] = { "clusters", "defaults", NULL };
	static const struct {
		const char	*text;
		int		 want;
		const char	*what;
	} cases[] = {
		{ "clusters: {}\n", 1, "a key" },
		{ "x: 1\ndefaults:\n", 1, "a later key, null value" },
		{ "\"clusters\": 1\n", 1, "quoted" },
		{ "!!str defaults: 1\n", 1, "tagged" },
		{ "a: &x 1\nb: *x\nclusters: 2\n", 1, "after an alias" },
		{ "a: 1\n---\nclusters: 2\n", 1, "in a later document" },
		{ "clusters: 1\nclusters: 2\n", 1, "duplicated" },
		{ "{a: [clusters], defaults: 1}\n", 1, "flow mapping" },
		{ "x: 1\n", 0, "other keys" },
		{ "x:\n  clusters: 1\n", 0, "nested deeper" },
		{ "x: clusters\n", 0, "a value" },
		{ "? [clusters]\n: 1\n", 0, "inside a complex key" },
		{ "? {clusters: 1}\n: 1\nk: [defaults]\n", 0,
		    "complex key, then a sequence value" },
		{ "*a : 1\nx: *b\n", 0, "aliases, even undefined ones" },
		{ "- clusters\n", 0, "a sequence" },
		{ "clusters\n", 0, "a scalar" },
		{ "", 0, "empty" },
		{ "Clusters: 1\n", 0, "case matters" },
		{ "x: [1, 2\nclusters: 1\n", -1, "a syntax error" },
		{ "x: 1\n---\ny: [\n", -1, "a syntax error in a later doc" },
		{ "x: \xff\n", -1, "bad UTF-8" },
	};
	size_t i;
	int rc;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		rc = yamltree_has_top_key(cases[i].text, strlen(cases[i].text),
		    keys);
		is_long(rc, cases[i].want, cases[i].what);
	}
	ok(yamltree_has_top_key("clusters\0: 1\n", 13, keys) != 1,
	    "a NUL byte does not make a key");
}

int
main(void)
{
	if (mkdtemp(tmpdir) == NULL) {
		perror("mkdtemp");
		return 1;
	}
	test_tree();
	test_marks();
	test_typed();
	test_typed_errors();
	test_structure_errors();
	test_syntax();
	test_caps();
	test_files();
	test_warnings();
	test_expand_names();
	test_read_file();
	test_has_top_key();
	(void)nftw(tmpdir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
	return tap_done();
}
