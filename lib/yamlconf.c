/*
 * yamlconf: libyaml events into a jansson tree plus a table of marks; see
 * yamlconf.h for what is accepted.
 *
 * The marks are kept apart from the tree, in one array sorted once the
 * document is read and searched with bsearch.  An entry is keyed by a node
 * and says where it starts (key NULL, idx IDX_NONE), or by a container and
 * says where one of its keys (key set) or items (idx) is written.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <yaml.h>

#include "err.h"
#include "yamlconf.h"

#define IDX_NONE	((size_t)-1)
#define QUOTE_MAX	64	/* bytes of a value quoted in a message */

struct mark_ent {
	const json_t	*node;		/* the node, or its container */
	const char	*key;		/* a mapping key (jansson's copy) */
	size_t		 idx;		/* a sequence index, or IDX_NONE */
	unsigned long	 line;
	unsigned long	 col;
};

struct yamlconf {
	char		*name;
	json_t		*root;
	struct mark_ent	*marks;
	size_t		 nmarks;
	size_t		 capmarks;
	char		**warn;
	size_t		 nwarn;
	size_t		 dropped;	/* warnings past YAMLCONF_WARN_MAX */
	char		 more[128];	/* "FILE: N more warnings" */
};

/* An open mapping or sequence while the document is read. */
struct frame {
	json_t			*node;
	char			*key;	/* mapping: the key awaiting its value */
	struct yamlconf_mark	 keymark;
};

struct loader {
	struct yamlconf	*yc;
	struct frame	 stack[YAMLCONF_DEPTH_MAX];
	size_t		 depth;
	size_t		 nodes;
	int		 docs;
	struct errbuf	*eb;
};

static int	add_mark(struct yamlconf *, const json_t *, const char *,
		    size_t, struct yamlconf_mark);
static int	cmp_mark(const void *, const void *);
static const struct mark_ent *find_mark(const struct yamlconf *,
		    const json_t *, const char *, size_t);
static struct yamlconf_mark event_mark(const yaml_event_t *);
static int	syntax_error(const yaml_parser_t *, const char *,
		    struct errbuf *);
static int	attach(struct loader *, json_t *, struct yamlconf_mark);
static int	on_key(struct loader *, const yaml_event_t *);
static int	on_scalar(struct loader *, const yaml_event_t *);
static int	on_start(struct loader *, const yaml_event_t *, json_t *);
static int	on_event(struct loader *, const yaml_event_t *);
static int	parse(struct loader *, const void *, size_t);
static const char *kind(const json_t *);
static void	member_what(char *, size_t, const char *, const char *);
static int	scalar(const struct yamlconf *, const json_t *, const char *,
		    const char *, const char **, struct errbuf *);
static int	parse_long(const char *, long *);
static int	parse_ms(const char *, int64_t, int64_t *);
static int	vwarn(struct yamlconf *, unsigned long, const char *, va_list)
		    ERR_PRINTF(3, 0);
static int	buf_add(char **, size_t *, const char *, size_t);
static size_t	name_len(const char *);
static int	expand_one(char **, size_t *, const char *, size_t *);
static const char *home_of(const char *, size_t);

/* ---------------------------------------------------------------- marks */

static int
add_mark(struct yamlconf *yc, const json_t *node, const char *key, size_t idx,
    struct yamlconf_mark m)
{
	struct mark_ent *p;
	size_t cap;

	if (yc->nmarks == yc->capmarks) {
		cap = yc->capmarks ? yc->capmarks * 2 : 64;
		if ((p = reallocarray(yc->marks, cap, sizeof(*p))) == NULL) {
			return -1;
		}
		yc->marks = p;
		yc->capmarks = cap;
	}
	p = &yc->marks[yc->nmarks++];
	p->node = node;
	p->key = key;
	p->idx = idx;
	p->line = m.line;
	p->col = m.col;
	return 0;
}

static int
cmp_mark(const void *va, const void *vb)
{
	const struct mark_ent *a = va, *b = vb;

	if (a->node != b->node) {
		return (uintptr_t)a->node < (uintptr_t)b->node ? -1 : 1;
	}
	if (a->idx != b->idx) {
		return a->idx < b->idx ? -1 : 1;
	}
	if (a->key == NULL || b->key == NULL) {
		return (a->key != NULL) - (b->key != NULL);
	}
	return strcmp(a->key, b->key);
}

static const struct mark_ent *
find_mark(const struct yamlconf *yc, const json_t *node, const char *key,
    size_t idx)
{
	struct mark_ent want = { node, key, idx, 0, 0 };

	if (yc == NULL || node == NULL || yc->nmarks == 0) {
		return NULL;
	}
	return bsearch(&want, yc->marks, yc->nmarks, sizeof(want), cmp_mark);
}

struct yamlconf_mark
yamlconf_node_mark(const struct yamlconf *yc, const json_t *node)
{
	const struct mark_ent *e = find_mark(yc, node, NULL, IDX_NONE);
	struct yamlconf_mark m = { 0, 0 };

	if (e != NULL && !json_is_null(node)) {
		m.line = e->line;
		m.col = e->col;
	}
	return m;
}

struct yamlconf_mark
yamlconf_key_mark(const struct yamlconf *yc, const json_t *obj,
    const char *key)
{
	const struct mark_ent *e = NULL;
	struct yamlconf_mark m = { 0, 0 };

	if (key != NULL && json_is_object(obj)) {
		e = find_mark(yc, obj, key, IDX_NONE);
	}
	if (e != NULL) {
		m.line = e->line;
		m.col = e->col;
	}
	return m;
}

struct yamlconf_mark
yamlconf_item_mark(const struct yamlconf *yc, const json_t *arr, size_t i)
{
	const struct mark_ent *e = NULL;
	struct yamlconf_mark m = { 0, 0 };

	if (json_is_array(arr) && i != IDX_NONE) {
		e = find_mark(yc, arr, NULL, i);
	}
	if (e != NULL) {
		m.line = e->line;
		m.col = e->col;
	}
	return m;
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

/* ---------------------------------------------------------------- loading */

static struct yamlconf_mark
event_mark(const yaml_event_t *ev)
{
	struct yamlconf_mark m;

	m.line = (unsigned long)ev->start_mark.line + 1;
	m.col = (unsigned long)ev->start_mark.column + 1;
	return m;
}

static int
syntax_error(const yaml_parser_t *p, const char *name, struct errbuf *eb)
{
	const char *problem = p->problem ? p->problem : "syntax error";

	if (p->error == YAML_MEMORY_ERROR) {
		return err_set(eb, "%s: out of memory", name);
	}
	if (p->error == YAML_READER_ERROR) {
		return err_set(eb, "%s: byte %zu: %s", name, p->problem_offset,
		    problem);
	}
	if (p->context != NULL) {
		return err_set(eb, "%s:%lu:%lu: %s (%s at line %lu)", name,
		    (unsigned long)p->problem_mark.line + 1,
		    (unsigned long)p->problem_mark.column + 1, problem,
		    p->context, (unsigned long)p->context_mark.line + 1);
	}
	return err_set(eb, "%s:%lu:%lu: %s", name,
	    (unsigned long)p->problem_mark.line + 1,
	    (unsigned long)p->problem_mark.column + 1, problem);
}

/* Hang node (owned by the tree from here on) under the open container. */
static int
attach(struct loader *l, json_t *node, struct yamlconf_mark m)
{
	struct yamlconf *yc = l->yc;
	struct frame *f;
	void *it;
	int rc;

	if (l->depth == 0) {
		yc->root = node;
		return json_is_null(node) ? 0 : add_mark(yc, node, NULL, IDX_NONE, m);
	}
	f = &l->stack[l->depth - 1];
	if (json_is_array(f->node)) {
		rc = json_array_append_new(f->node, node) == 0 &&
		    add_mark(yc, f->node, NULL, json_array_size(f->node) - 1,
		    m) == 0 ? 0 : -1;
	} else {
		rc = json_object_set_new(f->node, f->key, node);
		it = rc == 0 ? json_object_iter_at(f->node, f->key) : NULL;
		rc = it != NULL && add_mark(yc, f->node,
		    json_object_iter_key(it), IDX_NONE, f->keymark) == 0 ? 0 : -1;
		free(f->key);
		f->key = NULL;
	}
	if (rc == 0 && !json_is_null(node)) {
		rc = add_mark(yc, node, NULL, IDX_NONE, m);
	}
	return rc == 0 ? 0 : err_set(l->eb, "%s: out of memory", yc->name);
}

static int
on_key(struct loader *l, const yaml_event_t *ev)
{
	struct frame *f = &l->stack[l->depth - 1];
	const char *k = (const char *)ev->data.scalar.value;
	struct yamlconf_mark m = event_mark(ev);
	size_t i;

	if (json_object_get(f->node, k) != NULL) {
		for (i = 0; i < l->yc->nmarks; i++) {
			if (l->yc->marks[i].node == f->node &&
			    l->yc->marks[i].key != NULL &&
			    strcmp(l->yc->marks[i].key, k) == 0) {
				break;
			}
		}
		return yamlconf_fail(l->yc, m.line, NULL, l->eb,
		    "duplicate key \"%.*s\" (first at line %lu)", QUOTE_MAX, k,
		    i < l->yc->nmarks ? l->yc->marks[i].line : 0UL);
	}
	if ((f->key = strdup(k)) == NULL) {
		return err_set(l->eb, "%s: out of memory", l->yc->name);
	}
	f->keymark = m;
	return 0;
}

static int
on_scalar(struct loader *l, const yaml_event_t *ev)
{
	const char *v = (const char *)ev->data.scalar.value;
	size_t len = ev->data.scalar.length;
	json_t *node;

	if (memchr(v, '\0', len) != NULL) {
		return yamlconf_fail(l->yc, event_mark(ev).line, NULL, l->eb,
		    "NUL byte in a scalar");
	}
	if (l->depth > 0 && json_is_object(l->stack[l->depth - 1].node) &&
	    l->stack[l->depth - 1].key == NULL) {
		return on_key(l, ev);
	}
	if (ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
	    ev->data.scalar.plain_implicit &&
	    (len == 0 || strcmp(v, "~") == 0 || strcmp(v, "null") == 0 ||
	    strcmp(v, "Null") == 0 || strcmp(v, "NULL") == 0)) {
		node = json_null();
	} else if ((node = json_stringn(v, len)) == NULL) {
		return err_set(l->eb, "%s: out of memory", l->yc->name);
	}
	return attach(l, node, event_mark(ev));
}

static int
on_start(struct loader *l, const yaml_event_t *ev, json_t *node)
{
	struct yamlconf_mark m = event_mark(ev);

	if (node == NULL) {
		return err_set(l->eb, "%s: out of memory", l->yc->name);
	}
	if (l->depth == YAMLCONF_DEPTH_MAX) {
		json_decref(node);
		return yamlconf_fail(l->yc, m.line, NULL, l->eb,
		    "nested deeper than %d levels", YAMLCONF_DEPTH_MAX);
	}
	if (l->depth > 0 && json_is_object(l->stack[l->depth - 1].node) &&
	    l->stack[l->depth - 1].key == NULL) {
		json_decref(node);
		return yamlconf_fail(l->yc, m.line, NULL, l->eb,
		    "a mapping key must be a scalar");
	}
	if (attach(l, node, m) != 0) {
		return -1;
	}
	l->stack[l->depth].node = node;
	l->stack[l->depth].key = NULL;
	l->depth++;
	return 0;
}

static int
on_event(struct loader *l, const yaml_event_t *ev)
{
	unsigned long line = event_mark(ev).line;

	if ((ev->type == YAML_SCALAR_EVENT ||
	    ev->type == YAML_SEQUENCE_START_EVENT ||
	    ev->type == YAML_MAPPING_START_EVENT) &&
	    ++l->nodes > YAMLCONF_NODES_MAX) {
		return yamlconf_fail(l->yc, line, NULL, l->eb,
		    "more than %d nodes", YAMLCONF_NODES_MAX);
	}
	switch (ev->type) {
	case YAML_DOCUMENT_START_EVENT:
		if (l->docs++ > 0) {
			return yamlconf_fail(l->yc, line, NULL, l->eb,
			    "more than one YAML document");
		}
		return 0;
	case YAML_ALIAS_EVENT:
		return yamlconf_fail(l->yc, line, NULL, l->eb,
		    "aliases (*name) are not supported");
	case YAML_SCALAR_EVENT:
		return on_scalar(l, ev);
	case YAML_SEQUENCE_START_EVENT:
		return on_start(l, ev, json_array());
	case YAML_MAPPING_START_EVENT:
		return on_start(l, ev, json_object());
	case YAML_SEQUENCE_END_EVENT:
	case YAML_MAPPING_END_EVENT:
		l->depth--;
		return 0;
	default:
		return 0;
	}
}

static int
parse(struct loader *l, const void *buf, size_t len)
{
	yaml_parser_t p;
	yaml_event_t ev;
	int rc = 0, done = 0;

	if (!yaml_parser_initialize(&p)) {
		return err_set(l->eb, "%s: out of memory", l->yc->name);
	}
	yaml_parser_set_input_string(&p, buf, len);
	while (rc == 0 && !done) {
		if (!yaml_parser_parse(&p, &ev)) {
			rc = syntax_error(&p, l->yc->name, l->eb);
			break;
		}
		done = ev.type == YAML_STREAM_END_EVENT;
		rc = on_event(l, &ev);
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&p);
	while (l->depth > 0) {
		free(l->stack[--l->depth].key);
	}
	return rc;
}

struct yamlconf *
yamlconf_load_buffer(const char *name, const void *buf, size_t len,
    struct errbuf *eb)
{
	struct loader l;
	struct yamlconf *yc;

	if (len > YAMLCONF_FILE_MAX) {
		err_set(eb, "%s: larger than %d bytes", name, YAMLCONF_FILE_MAX);
		return NULL;
	}
	if ((yc = calloc(1, sizeof(*yc))) == NULL ||
	    (yc->name = strdup(name)) == NULL) {
		free(yc);
		err_set(eb, "%s: out of memory", name);
		return NULL;
	}
	memset(&l, 0, sizeof(l));
	l.yc = yc;
	l.eb = eb;
	if (parse(&l, buf, len) != 0) {
		yamlconf_free(yc);
		return NULL;
	}
	if (yc->nmarks > 0) {
		qsort(yc->marks, yc->nmarks, sizeof(*yc->marks), cmp_mark);
	}
	return yc;
}

struct yamlconf *
yamlconf_load_file(const char *path, struct errbuf *eb)
{
	struct yamlconf *yc = NULL;
	struct stat st;
	char *buf = NULL;
	size_t len = 0;
	ssize_t r;
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK)) < 0) {
		err_set_sys(eb, "%s", path);
		return NULL;
	}
	if (fstat(fd, &st) != 0) {
		err_set_sys(eb, "%s", path);
	} else if (!S_ISREG(st.st_mode)) {
		err_set(eb, "%s: not a regular file", path);
	} else if (st.st_size > YAMLCONF_FILE_MAX) {
		err_set(eb, "%s: larger than %d bytes", path, YAMLCONF_FILE_MAX);
	} else if ((buf = malloc(YAMLCONF_FILE_MAX + 1)) == NULL) {
		err_set(eb, "%s: out of memory", path);
	} else {
		while ((r = read(fd, buf + len, YAMLCONF_FILE_MAX + 1 - len)) > 0 &&
		    (len += (size_t)r) <= YAMLCONF_FILE_MAX) {
			continue;
		}
		if (r < 0) {
			err_set_sys(eb, "%s: read", path);
		} else {
			yc = yamlconf_load_buffer(path, buf, len, eb);
		}
	}
	free(buf);
	close(fd);
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
	free(yc->marks);
	json_decref(yc->root);
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
	return yc->root;
}

/* ---------------------------------------------------------------- typed reads */

static const char *
kind(const json_t *v)
{
	if (json_is_object(v)) {
		return "a mapping";
	}
	if (json_is_array(v)) {
		return "a sequence";
	}
	return json_is_null(v) ? "null" : "a scalar";
}

static void
member_what(char *what, size_t size, const char *path, const char *key)
{
	if (path == NULL || *path == '\0') {
		snprintf(what, size, "%s", key);
	} else {
		snprintf(what, size, "%s.%s", path, key);
	}
}

/* The scalar at obj.key: 1 (*out set), 0 absent or null, -1 not a scalar. */
static int
scalar(const struct yamlconf *yc, const json_t *obj, const char *path,
    const char *key, const char **out, struct errbuf *eb)
{
	json_t *v = json_is_object(obj) ? json_object_get(obj, key) : NULL;
	char what[256];

	if (v == NULL || json_is_null(v)) {
		return 0;
	}
	if (!json_is_string(v)) {
		member_what(what, sizeof(what), path, key);
		return yamlconf_fail(yc, yamlconf_member_line(yc, obj, key),
		    what, eb, "expected a scalar, not %s", kind(v));
	}
	*out = json_string_value(v);
	return 1;
}

int
yamlconf_string(const struct yamlconf *yc, const json_t *obj,
    const char *path, const char *key, const char **out, struct errbuf *eb)
{
	return scalar(yc, obj, path, key, out, eb);
}

/* Decimal only: an optional '-' and digits.  0, -1 syntax, -2 range. */
static int
parse_long(const char *s, long *out)
{
	const char *d = *s == '-' ? s + 1 : s;
	char *end;

	if (*d == '\0' || strspn(d, "0123456789") != strlen(d)) {
		return -1;
	}
	errno = 0;
	*out = strtol(s, &end, 10);
	return errno == ERANGE ? -2 : 0;
}

int
yamlconf_int(const struct yamlconf *yc, const json_t *obj, const char *path,
    const char *key, long min, long max, long *out, struct errbuf *eb)
{
	const char *s = NULL;
	char what[256];
	long v = 0;
	int rc;

	if ((rc = scalar(yc, obj, path, key, &s, eb)) != 1) {
		return rc;
	}
	member_what(what, sizeof(what), path, key);
	rc = parse_long(s, &v);
	if (rc == -1) {
		return yamlconf_fail(yc, yamlconf_member_line(yc, obj, key),
		    what, eb, "not a number: \"%.*s\"", QUOTE_MAX, s);
	}
	if (rc == -2 || v < min || v > max) {
		return yamlconf_fail(yc, yamlconf_member_line(yc, obj, key),
		    what, eb, "out of range %ld-%ld: \"%.*s\"", min, max,
		    QUOTE_MAX, s);
	}
	*out = v;
	return 1;
}

int
yamlconf_bool(const struct yamlconf *yc, const json_t *obj, const char *path,
    const char *key, int *out, struct errbuf *eb)
{
	static const char *const yes[] = { "yes", "true", "on" };
	static const char *const no[] = { "no", "false", "off" };
	const char *s = NULL;
	char what[256];
	size_t i;
	int rc;

	if ((rc = scalar(yc, obj, path, key, &s, eb)) != 1) {
		return rc;
	}
	for (i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		if (strcasecmp(s, yes[i]) == 0 || strcasecmp(s, no[i]) == 0) {
			*out = strcasecmp(s, yes[i]) == 0;
			return 1;
		}
	}
	member_what(what, sizeof(what), path, key);
	return yamlconf_fail(yc, yamlconf_member_line(yc, obj, key), what, eb,
	    "not a boolean (yes/no/true/false): \"%.*s\"", QUOTE_MAX, s);
}

/* Digits with at most one '.'.  0, -1 syntax, -2 above max_s. */
static int
parse_ms(const char *s, int64_t max_s, int64_t *ms)
{
	size_t digits = strspn(s, "0123456789");
	double v;

	if (s[digits] == '.') {
		digits += 1 + strspn(s + digits + 1, "0123456789");
	}
	if (digits != strlen(s) || strspn(s, "0123456789") == 0) {
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
	char what[256];
	int64_t ms = 0;
	int rc;

	if ((rc = scalar(yc, obj, path, key, &s, eb)) != 1) {
		return rc;
	}
	if ((rc = parse_ms(s, max_s, &ms)) == 0) {
		*out = ms;
		return 1;
	}
	member_what(what, sizeof(what), path, key);
	if (rc == -2) {
		return yamlconf_fail(yc, yamlconf_member_line(yc, obj, key),
		    what, eb, "more than %lld seconds: \"%.*s\"",
		    (long long)max_s, QUOTE_MAX, s);
	}
	return yamlconf_fail(yc, yamlconf_member_line(yc, obj, key), what, eb,
	    "not a number of seconds: \"%.*s\"", QUOTE_MAX, s);
}

int
yamlconf_map(const struct yamlconf *yc, const json_t *obj, const char *path,
    const char *key, json_t **out, struct errbuf *eb)
{
	json_t *v = json_is_object(obj) ? json_object_get(obj, key) : NULL;
	char what[256];

	if (v == NULL || json_is_null(v)) {
		return 0;
	}
	if (!json_is_object(v)) {
		member_what(what, sizeof(what), path, key);
		return yamlconf_fail(yc, yamlconf_member_line(yc, obj, key),
		    what, eb, "expected a mapping, not %s", kind(v));
	}
	*out = v;
	return 1;
}

int
yamlconf_seq(const struct yamlconf *yc, const json_t *obj, const char *path,
    const char *key, json_t **out, struct errbuf *eb)
{
	json_t *v = json_is_object(obj) ? json_object_get(obj, key) : NULL;
	char what[256];

	if (v == NULL || json_is_null(v)) {
		return 0;
	}
	if (!json_is_array(v)) {
		member_what(what, sizeof(what), path, key);
		return yamlconf_fail(yc, yamlconf_member_line(yc, obj, key),
		    what, eb, "expected a sequence, not %s", kind(v));
	}
	*out = v;
	return 1;
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

/* Append s[0..n) to *buf (length *len, NUL-terminated).  0 or -1. */
static int
buf_add(char **buf, size_t *len, const char *s, size_t n)
{
	char *p;

	if (*len + n > YAMLCONF_EXPAND_MAX) {
		errno = ENAMETOOLONG;
		return -1;
	}
	if ((p = realloc(*buf, *len + n + 1)) == NULL) {
		return -1;
	}
	memcpy(p + *len, s, n);
	*len += n;
	p[*len] = '\0';
	*buf = p;
	return 0;
}

static size_t
name_len(const char *s)
{
	return strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	    "0123456789_");
}

/* Expand the '$' at s: append its value or itself; *used = bytes read. */
static int
expand_one(char **buf, size_t *len, const char *s, size_t *used)
{
	int braced = s[1] == '{';
	size_t n = name_len(s + 1 + braced);
	char name[256];
	const char *v;

	*used = 1 + braced + n;
	if (n == 0 || (braced && s[*used] != '}')) {
		*used = 1;
		return buf_add(buf, len, s, 1);
	}
	*used += braced;
	if (n >= sizeof(name)) {
		return buf_add(buf, len, s, *used);
	}
	memcpy(name, s + 1 + braced, n);
	name[n] = '\0';
	if ((v = getenv(name)) == NULL) {
		return buf_add(buf, len, s, *used);
	}
	return buf_add(buf, len, v, strlen(v));
}

char *
yamlconf_expand_vars(const char *s)
{
	char *buf = NULL;
	size_t len = 0, used, plain;

	if (buf_add(&buf, &len, "", 0) != 0) {
		return NULL;
	}
	while (*s != '\0') {
		plain = strcspn(s, "$");
		if (buf_add(&buf, &len, s, plain) != 0) {
			goto fail;
		}
		s += plain;
		if (*s == '$') {
			if (expand_one(&buf, &len, s, &used) != 0) {
				goto fail;
			}
			s += used;
		}
	}
	return buf;
fail:
	free(buf);
	return NULL;
}

/* The home directory of user[0..n) ("" = ours), or NULL. */
static const char *
home_of(const char *user, size_t n)
{
	const char *h = getenv("HOME");
	struct passwd *pw;
	char name[256];

	if (n == 0 && h != NULL && *h != '\0') {
		return h;
	}
	if (n >= sizeof(name)) {
		return NULL;
	}
	memcpy(name, user, n);
	name[n] = '\0';
	pw = n == 0 ? getpwuid(getuid()) : getpwnam(name);
	return pw != NULL ? pw->pw_dir : NULL;
}

char *
yamlconf_expand_tilde(const char *s)
{
	const char *home;
	char *buf = NULL;
	size_t len = 0, n;

	if (*s == '~') {
		n = strcspn(s + 1, "/");
		if ((home = home_of(s + 1, n)) != NULL) {
			if (buf_add(&buf, &len, home, strlen(home)) != 0 ||
			    buf_add(&buf, &len, s + 1 + n, strlen(s + 1 + n)) != 0) {
				free(buf);
				return NULL;
			}
			return buf;
		}
	}
	if (buf_add(&buf, &len, s, strlen(s)) != 0) {
		free(buf);
		return NULL;
	}
	return buf;
}
