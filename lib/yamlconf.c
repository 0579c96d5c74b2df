/*
 * yamlconf: the configuration reader on a yamltree: typed reads that say
 * "FILE:LINE: key.path: what: why", and the warnings of a load; see
 * yamlconf.h.  The expansions are varexpand's, under their old names.
 */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "err.h"
#include "varexpand.h"
#include "yamlconf.h"
#include "yamltree.h"

#define QUOTE_MAX	64	/* bytes of a value quoted in a message */

_Static_assert(YAMLCONF_DEPTH_MAX == YAMLTREE_DEPTH_MAX, "depth cap");
_Static_assert(YAMLCONF_NODES_MAX == YAMLTREE_NODES_MAX, "node cap");
_Static_assert(YAMLCONF_EXPAND_MAX == VAREXPAND_MAX, "expansion cap");

struct yamlconf {
	char		*name;
	struct yamltree	*tree;
	char		**warn;
	size_t		 nwarn;
	size_t		 dropped;	/* warnings past YAMLCONF_WARN_MAX */
	char		 more[128];	/* "FILE: N more warnings" */
};

static struct yamlconf_mark mark_of(struct yamltree_mark);
static const char *kind(json_type);
static int	member_fail(const struct yamlconf *, const json_t *,
		    const char *, const char *, struct errbuf *, const char *,
		    ...) ERR_PRINTF(6, 7);
static int	member(const struct yamlconf *, const json_t *, const char *,
		    const char *, json_type, json_t **, struct errbuf *);
static int	parse_long(const char *, long *);
static int	parse_ms(const char *, int64_t, int64_t *);
static int	vwarn(struct yamlconf *, unsigned long, const char *, va_list)
		    ERR_PRINTF(3, 0);

/* ---------------------------------------------------------------- loading */

struct yamlconf *
yamlconf_load_buffer(const char *name, const void *buf, size_t len,
    struct errbuf *eb)
{
	struct yamlconf *yc;

	if (len > YAMLCONF_FILE_MAX) {
		err_set(eb, "%s: larger than %d bytes", name,
		    YAMLCONF_FILE_MAX);
		return NULL;
	}
	if ((yc = calloc(1, sizeof(*yc))) == NULL ||
	    (yc->name = strdup(name)) == NULL) {
		free(yc);
		err_set(eb, "%s: out of memory", name);
		return NULL;
	}
	if ((yc->tree = yamltree_parse(name, buf, len, eb)) == NULL) {
		yamlconf_free(yc);
		return NULL;
	}
	return yc;
}

struct yamlconf *
yamlconf_load_file(const char *path, struct errbuf *eb)
{
	struct yamlconf *yc;
	char *buf;
	size_t len;

	if (yamltree_read_file(path, YAMLCONF_FILE_MAX, &buf, &len, eb) != 0) {
		return NULL;
	}
	yc = yamlconf_load_buffer(path, buf, len, eb);
	free(buf);
	return yc;
}

void
yamlconf_free(struct yamlconf *yc)
{
	size_t i;

	if (yc == NULL) {
		return;
	}
	for (i = 0; i < yc->nwarn; i++) {
		free(yc->warn[i]);
	}
	free(yc->warn);
	yamltree_free(yc->tree);
	free(yc->name);
	free(yc);
}

const char *
yamlconf_name(const struct yamlconf *yc)
{
	return yc->name;
}

json_t *
yamlconf_root(const struct yamlconf *yc)
{
	return yamltree_root(yc->tree);
}

/* ---------------------------------------------------------------- marks */

static struct yamlconf_mark
mark_of(struct yamltree_mark tm)
{
	struct yamlconf_mark m;

	m.line = tm.line;
	m.col = tm.col;
	return m;
}

struct yamlconf_mark
yamlconf_node_mark(const struct yamlconf *yc, const json_t *node)
{
	struct yamlconf_mark none = { 0, 0 };

	if (yc == NULL || json_is_null(node)) {
		return none;
	}
	return mark_of(yamltree_mark(yc->tree, node, NULL, YAMLTREE_NOIDX));
}

struct yamlconf_mark
yamlconf_key_mark(const struct yamlconf *yc, const json_t *obj,
    const char *key)
{
	struct yamlconf_mark none = { 0, 0 };

	if (yc == NULL || key == NULL || !json_is_object(obj)) {
		return none;
	}
	return mark_of(yamltree_mark(yc->tree, obj, key, YAMLTREE_NOIDX));
}

struct yamlconf_mark
yamlconf_item_mark(const struct yamlconf *yc, const json_t *arr, size_t i)
{
	struct yamlconf_mark none = { 0, 0 };

	if (yc == NULL || !json_is_array(arr) || i == YAMLTREE_NOIDX) {
		return none;
	}
	return mark_of(yamltree_mark(yc->tree, arr, NULL, i));
}

unsigned long
yamlconf_member_line(const struct yamlconf *yc, const json_t *obj,
    const char *key)
{
	struct yamlconf_mark m = { 0, 0 };

	if (json_is_object(obj) && key != NULL) {
		m = yamlconf_node_mark(yc, json_object_get(obj, key));
	}
	if (m.line == 0) {
		m = yamlconf_key_mark(yc, obj, key);
	}
	return m.line;
}

/* ---------------------------------------------------------- typed reads */

static const char *
kind(json_type t)
{
	switch (t) {
	case JSON_OBJECT:
		return "a mapping";
	case JSON_ARRAY:
		return "a sequence";
	case JSON_STRING:
		return "a scalar";
	default:
		return "null";
	}
}

/* Set eb to "FILE:LINE: path.key: msg" for the member key of obj. */
static int
member_fail(const struct yamlconf *yc, const json_t *obj, const char *path,
    const char *key, struct errbuf *eb, const char *fmt, ...)
{
	char what[256], msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(what, sizeof(what), "%s%s%s", path != NULL ? path : "",
	    path != NULL && *path != '\0' ? "." : "", key);
	return yamlconf_fail(yc, yamlconf_member_line(yc, obj, key), what, eb,
	    "%s", msg);
}

/* obj.key of type t: 1 (*out set), 0 absent or null, -1 another type. */
static int
member(const struct yamlconf *yc, const json_t *obj, const char *path,
    const char *key, json_type t, json_t **out, struct errbuf *eb)
{
	json_t *v = json_is_object(obj) ? json_object_get(obj, key) : NULL;

	if (v == NULL || json_is_null(v)) {
		return 0;
	}
	if (json_typeof(v) != t) {
		return member_fail(yc, obj, path, key, eb,
		    "expected %s, not %s", kind(t), kind(json_typeof(v)));
	}
	*out = v;
	return 1;
}

int
yamlconf_string(const struct yamlconf *yc, const json_t *obj,
    const char *path, const char *key, const char **out, struct errbuf *eb)
{
	json_t *v = NULL;
	int rc = member(yc, obj, path, key, JSON_STRING, &v, eb);

	if (rc == 1) {
		*out = json_string_value(v);
	}
	return rc;
}

/* Decimal only: an optional '-' and digits.  0, -1 syntax, -2 range. */
static int
parse_long(const char *s, long *out)
{
	const char *d = *s == '-' ? s + 1 : s;

	if (*d == '\0' || strspn(d, "0123456789") != strlen(d)) {
		return -1;
	}
	errno = 0;
	*out = strtol(s, NULL, 10);
	return errno == ERANGE ? -2 : 0;
}

int
yamlconf_int(const struct yamlconf *yc, const json_t *obj, const char *path,
    const char *key, long min, long max, long *out, struct errbuf *eb)
{
	const char *s = NULL;
	long v = 0;
	int rc;

	if ((rc = yamlconf_string(yc, obj, path, key, &s, eb)) != 1) {
		return rc;
	}
	if ((rc = parse_long(s, &v)) == -1) {
		return member_fail(yc, obj, path, key, eb,
		    "not a number: \"%.*s\"", QUOTE_MAX, s);
	}
	if (rc == -2 || v < min || v > max) {
		return member_fail(yc, obj, path, key, eb,
		    "out of range %ld-%ld: \"%.*s\"", min, max, QUOTE_MAX, s);
	}
	*out = v;
	return 1;
}

int
yamlconf_bool(const struct yamlconf *yc, const json_t *obj, const char *path,
    const char *key, int *out, struct errbuf *eb)
{
	static const char *const words[] = {
		"no", "yes", "false", "true", "off", "on"
	};
	const char *s = NULL;
	size_t i;
	int rc;

	if ((rc = yamlconf_string(yc, obj, path, key, &s, eb)) != 1) {
		return rc;
	}
	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		if (strcasecmp(s, words[i]) == 0) {
			*out = (int)(i % 2);
			return 1;
		}
	}
	return member_fail(yc, obj, path, key, eb,
	    "not a boolean (yes/no/true/false): \"%.*s\"", QUOTE_MAX, s);
}

/* Digits with at most one '.'.  0, -1 syntax, -2 above max_s. */
static int
parse_ms(const char *s, int64_t max_s, int64_t *ms)
{
	size_t n = strspn(s, "0123456789");
	double v;

	if (n > 0 && s[n] == '.') {
		n += 1 + strspn(s + n + 1, "0123456789");
	}
	if (n == 0 || s[n] != '\0') {
		return -1;
	}
	v = strtod(s, NULL);
	if (v > (double)max_s || v > (double)(INT64_MAX / 1000)) {
		return -2;
	}
	*ms = (int64_t)(v * 1000.0 + 0.5);
	return 0;
}

int
yamlconf_seconds(const struct yamlconf *yc, const json_t *obj,
    const char *path, const char *key, int64_t max_s, int64_t *out,
    struct errbuf *eb)
{
	const char *s = NULL;
	int rc;

	if ((rc = yamlconf_string(yc, obj, path, key, &s, eb)) != 1) {
		return rc;
	}
	if ((rc = parse_ms(s, max_s, out)) == -2) {
		return member_fail(yc, obj, path, key, eb,
		    "more than %lld seconds: \"%.*s\"", (long long)max_s,
		    QUOTE_MAX, s);
	}
	if (rc == -1) {
		return member_fail(yc, obj, path, key, eb,
		    "not a number of seconds: \"%.*s\"", QUOTE_MAX, s);
	}
	return 1;
}

int
yamlconf_map(const struct yamlconf *yc, const json_t *obj, const char *path,
    const char *key, json_t **out, struct errbuf *eb)
{
	return member(yc, obj, path, key, JSON_OBJECT, out, eb);
}

int
yamlconf_seq(const struct yamlconf *yc, const json_t *obj, const char *path,
    const char *key, json_t **out, struct errbuf *eb)
{
	return member(yc, obj, path, key, JSON_ARRAY, out, eb);
}

/* ---------------------------------------------------------------- messages */

size_t
yamlconf_check_keys(struct yamlconf *yc, const json_t *obj,
    const char *const *allowed)
{
	const char *key;
	json_t *v;
	size_t i, n = 0;

	json_object_foreach((json_t *)obj, key, v) {
		for (i = 0; allowed[i] != NULL; i++) {
			if (strcmp(key, allowed[i]) == 0) {
				break;
			}
		}
		if (allowed[i] == NULL) {
			n++;
			(void)yamlconf_warn(yc, yamlconf_key_mark(yc, obj,
			    key).line, "unknown key \"%.*s\" (ignored)",
			    QUOTE_MAX, key);
		}
	}
	return n;
}

int
yamlconf_fail(const struct yamlconf *yc, unsigned long line, const char *what,
    struct errbuf *eb, const char *fmt, ...)
{
	char msg[sizeof(eb->msg)], at[64] = "";
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (line > 0) {
		snprintf(at, sizeof(at), ":%lu", line);
	}
	if (what != NULL && *what != '\0') {
		return err_set(eb, "%s%s: %s: %s", yc->name, at, what, msg);
	}
	return err_set(eb, "%s%s: %s", yc->name, at, msg);
}

static int
vwarn(struct yamlconf *yc, unsigned long line, const char *fmt, va_list ap)
{
	char msg[512], **p;
	char *w;

	if (yc->nwarn == YAMLCONF_WARN_MAX) {
		yc->dropped++;
		snprintf(yc->more, sizeof(yc->more), "%s: %zu more warnings",
		    yc->name, yc->dropped);
		return 0;
	}
	vsnprintf(msg, sizeof(msg), fmt, ap);
	if ((line > 0 ? asprintf(&w, "%s:%lu: %s", yc->name, line, msg) :
	    asprintf(&w, "%s: %s", yc->name, msg)) < 0) {
		return -1;
	}
	if ((p = reallocarray(yc->warn, yc->nwarn + 1, sizeof(*p))) == NULL) {
		free(w);
		return -1;
	}
	yc->warn = p;
	yc->warn[yc->nwarn++] = w;
	return 0;
}

int
yamlconf_warn(struct yamlconf *yc, unsigned long line, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = vwarn(yc, line, fmt, ap);
	va_end(ap);
	return rc;
}

size_t
yamlconf_nwarnings(const struct yamlconf *yc)
{
	return yc->nwarn + (yc->dropped > 0);
}

const char *
yamlconf_warning(const struct yamlconf *yc, size_t i)
{
	if (i < yc->nwarn) {
		return yc->warn[i];
	}
	return i == yc->nwarn && yc->dropped > 0 ? yc->more : NULL;
}

/* ---------------------------------------------------------------- expansion */

char *
yamlconf_expand_vars(const char *s)
{
	return varexpand_vars(s);
}

char *
yamlconf_expand_tilde(const char *s)
{
	return varexpand_tilde(s);
}
