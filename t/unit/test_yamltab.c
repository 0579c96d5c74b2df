/*
 * Unit tests of lib/yamltab on documents loaded with lib/yamlconf: every
 * field type (STR, EXP, PATH, INT, SECS, BOOL, WORD, MAP, FUNC, a checked
 * EXP), the set bits, unknown keys and the allowed extras, messages with
 * file:line and key path, keep and oom, and merging of levels.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "varexpand.h"
#include "yamlconf.h"
#include "yamltab.h"

/* The struct a yamltab test table reads. */
struct tt_sub {
	unsigned	 set;
	const char	*a;
	long		 b;
};

struct tt {
	unsigned	 set;
	const char	*s;
	const char	*e;
	const char	*p;
	long		 i;
	int64_t		 ms;
	int		 b;
	int		 w;
	struct tt_sub	 sub;
	const char	*f;
	const char	*c;
};

static struct errbuf eb;

static struct yamlconf *load(const char *);
static const char *no_caps(const char *);
static int	 read_f(struct yamltab *, const json_t *, const char *,
		    const char *, void *);
static void	 test_tab_read(void);
static const char *tab_error(const char *);
static void	 test_tab_errors(void);
static void	 test_tab_merge(void);

static const char *const colours[] = { "red", "green", "blue", NULL };

static const struct yamltab_field sub_tab[] = {
	YAMLTAB_FIELD(struct tt_sub, "a", YAMLTAB_STR, a, 0, 0),
	YAMLTAB_FIELD(struct tt_sub, "b", YAMLTAB_INT, b, 0, 9),
	YAMLTAB_END
};

static const struct yamltab_field tt_tab[] = {
	YAMLTAB_FIELD(struct tt, "s", YAMLTAB_STR, s, 0, 0),
	YAMLTAB_FIELD(struct tt, "e", YAMLTAB_EXP, e, 0, 0),
	YAMLTAB_FIELD(struct tt, "p", YAMLTAB_PATH, p, 0, 0),
	YAMLTAB_FIELD(struct tt, "i", YAMLTAB_INT, i, 1, 10),
	YAMLTAB_FIELD(struct tt, "ms", YAMLTAB_SECS, ms, 0, 60),
	YAMLTAB_FIELD(struct tt, "b", YAMLTAB_BOOL, b, 0, 0),
	YAMLTAB_WORDS(struct tt, "w", w, colours, 5),
	YAMLTAB_SUBMAP(struct tt, "sub", sub, sub_tab),
	YAMLTAB_CUSTOM(struct tt, "f", f, read_f),
	YAMLTAB_CHECKED(struct tt, "c", c, no_caps),
	YAMLTAB_END
};

static struct yamlconf *
load(const char *text)
{
	return yamlconf_load_buffer("t.yaml", text, strlen(text), &eb);
}

/* A check: no capital letters. */
static const char *
no_caps(const char *v)
{
	return strpbrk(v, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") != NULL ?
	    "has capitals" : NULL;
}

/* A FUNC reader: the scalar with "f:" in front, kept by t. */
static int
read_f(struct yamltab *t, const json_t *obj, const char *path,
    const char *key, void *dst)
{
	const char *s = NULL;
	char *v;
	int rc;

	if ((rc = yamlconf_string(t->yc, obj, path, key, &s, t->eb)) != 1) {
		return rc;
	}
	if (asprintf(&v, "f:%s", s) < 0 || yamltab_keep(t, v) == NULL) {
		return yamltab_oom(t);
	}
	*(const char **)dst = v;
	return 1;
}

static void
test_tab_read(void)
{
	struct yamlconf *yc;
	struct yamltab t;
	struct tt v;

	setenv("HOME", "/home/tester", 1);
	setenv("YC_A", "alpha", 1);
	yc = load("top:\n  s: $YC_A\n  e: x$YC_A\n  p: ~/k\n  i: 7\n"
	    "  ms: 1.5\n  b: on\n  w: blue\n  sub: {a: A, b: 3}\n  f: z\n"
	    "  c: ok\n  extra: 1\n  more: 2\n  bogus: 3\n");
	yamltab_init(&t, yc, "none", &eb);
	memset(&v, 0, sizeof(v));
	is_long(yamltab_read_map(&t, yamlconf_root(yc), "", "top", tt_tab,
	    &v), 1, "read_map: read");
	is_long(v.set, 0x3ff, "every bit set");
	is_str(v.s, "$YC_A", "STR as written");
	is_str(v.e, "xalpha", "EXP expanded");
	is_str(v.p, "/home/tester/k", "PATH ~ expanded");
	ok(v.i == 7 && v.ms == 1500 && v.b == 1, "INT, SECS, BOOL");
	is_long(v.w, 7, "WORD: base + index");
	ok(v.sub.set == 3 && strcmp(v.sub.a, "A") == 0 && v.sub.b == 3,
	    "MAP: the nested struct and its bits");
	is_str(v.f, "f:z", "FUNC");
	is_str(v.c, "ok", "a checked EXP");
	is_long(yamlconf_nwarnings(yc), 3, "unknown keys warned about");
	is_str(yamlconf_warning(yc, 0), "t.yaml:12: unknown key \"extra\" "
	    "(ignored)", "with their lines");
	yamltab_check_keys(&t, json_object_get(yamlconf_root(yc), "top"),
	    tt_tab, "extra", "more");
	is_long(yamlconf_nwarnings(yc), 4, "extra keys allowed");
	is_str(yamlconf_warning(yc, 3), "t.yaml:14: unknown key \"bogus\" "
	    "(ignored)", "only the others warned about");
	memset(&v, 0, sizeof(v));
	is_long(yamltab_read_map(&t, yamlconf_root(yc), "", "absent", tt_tab,
	    &v), 0, "read_map: absent");
	is_long(v.set, 0, "nothing set");
	is_long(yamltab_store(&t, "w", 1, &tt_tab[6], "red", &v.w), 1,
	    "store a WORD");
	is_long(v.w, 5, "the first word is base");
	is_long(yamltab_store(&t, "p", 1, &tt_tab[2], "", &v.p), 1,
	    "store a PATH \"\"");
	ok(v.p == NULL, "is NULL: none");
	yamltab_clear(&t);
	yamlconf_free(yc);
}

/* The message of reading text's top mapping with tt_tab. */
static const char *
tab_error(const char *text)
{
	struct yamlconf *yc = load(text);
	struct yamltab t;
	struct tt v;
	int rc;

	if (yc == NULL) {
		return eb.msg;
	}
	yamltab_init(&t, yc, "none", &eb);
	memset(&v, 0, sizeof(v));
	rc = yamltab_read_map(&t, yamlconf_root(yc), "", "top", tt_tab, &v);
	yamltab_clear(&t);
	yamlconf_free(yc);
	return rc < 0 ? eb.msg : "(read)";
}

static void
test_tab_errors(void)
{
	struct yamltab t;
	char *s;

	is_str(tab_error("top:\n  w: pink\n"),
	    "t.yaml:2: top.w: not red, green or blue: \"pink\"",
	    "WORD: every word in the message");
	is_str(tab_error("top:\n  c: aBc\n"),
	    "t.yaml:2: top.c: has capitals: \"aBc\"", "a failed check");
	is_str(tab_error("top:\n  i: 11\n"),
	    "t.yaml:2: top.i: out of range 1-10: \"11\"", "INT range");
	is_str(tab_error("top:\n  ms: 61\n"),
	    "t.yaml:2: top.ms: more than 60 seconds: \"61\"", "SECS max");
	is_str(tab_error("top:\n  sub:\n    b: x\n"),
	    "t.yaml:3: top.sub.b: not a number: \"x\"", "nested path");
	is_str(tab_error("top:\n  sub: [1]\n"),
	    "t.yaml:2: top.sub: expected a mapping, not a sequence",
	    "MAP not a mapping");
	is_str(tab_error("top: 5\n"),
	    "t.yaml:1: top: expected a mapping, not a scalar",
	    "read_map: not a mapping");
	is_str(tab_error("top:\n  f: [1]\n"),
	    "t.yaml:2: top.f: expected a scalar, not a sequence",
	    "FUNC errors pass through");
	s = repeat("top:\n  e: ", VAREXPAND_MAX + 1, "y", "\n");
	is_str(tab_error(s), "t.yaml:2: top.e: longer than 4096 bytes once "
	    "expanded", "EXP too long");
	free(s);
	is_str(tab_error("top:\n  s: [1]\n  i: x\n"),
	    "t.yaml:2: top.s: expected a scalar, not a sequence",
	    "the first error in table order");
	yamltab_init(&t, NULL, "env", &eb);
	ok(yamltab_keep(&t, NULL) == NULL, "keep NULL: NULL");
	is_long(yamltab_oom(&t), -1, "oom: -1");
	is_str(eb.msg, "env: out of memory", "oom without a document");
	yamltab_clear(&t);
}

static void
test_tab_merge(void)
{
	struct tt top, mid, builtin, out;
	const void *lv[3] = { &top, &mid, &builtin };

	memset(&top, 0, sizeof(top));
	memset(&mid, 0, sizeof(mid));
	memset(&builtin, 0, sizeof(builtin));
	builtin.set = ~0u;
	builtin.sub.set = ~0u;
	builtin.s = "bs";
	builtin.i = 1;
	builtin.sub.a = "ba";
	builtin.sub.b = 9;
	mid.set = 1u << 0 | 1u << 3;
	mid.s = "ms";
	mid.i = 5;
	mid.sub.set = 1u << 1;
	mid.sub.b = 4;
	top.set = 1u << 3 | 1u << 2;
	top.i = 8;
	top.p = NULL;
	top.sub.set = 1u << 0;
	top.sub.a = "ta";
	memset(&out, 0xff, sizeof(out));
	yamltab_merge(tt_tab, &out, lv, 3);
	is_str(out.s, "ms", "a field the top level lacks: the next");
	is_long(out.i, 8, "the top level first");
	ok(out.p == NULL, "a NULL that was given wins");
	is_str(out.e, NULL, "nothing given: built-in");
	is_long(out.set, 0xd, "set: the bits of the levels above built-in");
	is_str(out.sub.a, "ta", "nested: top");
	is_long(out.sub.b, 4, "nested: middle");
	is_long(out.sub.set, 3, "nested set bits");
	yamltab_merge(tt_tab, &out, lv + 1, 2);
	ok(out.i == 5 && strcmp(out.s, "ms") == 0 && out.set == 9,
	    "two levels");
}

int
main(void)
{
	test_tab_read();
	test_tab_errors();
	test_tab_merge();
	return tap_done();
}
