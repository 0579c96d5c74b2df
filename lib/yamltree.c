/*
 * yamltree: libyaml events into a jansson tree plus a table of marks; see
 * yamltree.h.
 *
 * The marks are kept apart from the tree, in one array sorted once the
 * document is read and searched with bsearch.  An entry is keyed by a node
 * and says where it starts (key NULL, idx YAMLTREE_NOIDX), or by a
 * container and says where one of its keys (key set) or items (idx) is
 * written.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <yaml.h>

#include "err.h"
#include "slurp.h"
#include "yamltree.h"

#define QUOTE_MAX	64	/* bytes of a key quoted in a message */

struct mark_ent {
	const json_t	*node;		/* the node, or its container */
	const char	*key;		/* a mapping key (jansson's copy) */
	size_t		 idx;		/* a sequence index, or NOIDX */
	unsigned long	 line;
	unsigned long	 col;
};

struct yamltree {
	json_t		*root;
	struct mark_ent	*marks;
	size_t		 nmarks;
	size_t		 capmarks;
};

/* An open mapping or sequence while the document is read. */
struct frame {
	json_t			*node;
	char			*key;	/* mapping: the key awaiting a value */
	struct yamltree_mark	 keymark;
};

struct loader {
	struct yamltree	*t;
	const char	*name;
	struct frame	 stack[YAMLTREE_DEPTH_MAX];
	size_t		 depth;
	size_t		 nodes;
	int		 docs;
	struct errbuf	*eb;
};

/* Where the top-level keys are while yamltree_has_top_key reads. */
struct scan {
	size_t		 depth;		/* open collections */
	int		 topmap;	/* the top-level node is a mapping */
	int		 want_key;	/* the next node at depth 1 is a key */
};

static int	add_mark(struct yamltree *, const json_t *, const char *,
		    size_t, struct yamltree_mark);
static int	cmp_mark(const void *, const void *);
static struct yamltree_mark event_mark(const yaml_event_t *);
static int	fail(const struct loader *, unsigned long, const char *, ...)
		    ERR_PRINTF(3, 4);
static int	oom(const struct loader *);
static int	syntax_error(const yaml_parser_t *, const char *,
		    struct errbuf *);
static int	attach(struct loader *, json_t *, struct yamltree_mark);
static int	on_key(struct loader *, const yaml_event_t *);
static int	on_scalar(struct loader *, const yaml_event_t *);
static int	on_start(struct loader *, const yaml_event_t *, json_t *);
static int	on_event(struct loader *, const yaml_event_t *);
static int	parse(struct loader *, const void *, size_t);
static int	scan_event(struct scan *, const yaml_event_t *,
		    const char *const *);

/* ---------------------------------------------------------------- marks */

static int
add_mark(struct yamltree *t, const json_t *node, const char *key, size_t idx,
    struct yamltree_mark m)
{
	struct mark_ent *p;
	size_t cap;

	if (t->nmarks == t->capmarks) {
		cap = t->capmarks ? t->capmarks * 2 : 64;
		if ((p = reallocarray(t->marks, cap, sizeof(*p))) == NULL) {
			return -1;
		}
		t->marks = p;
		t->capmarks = cap;
	}
	p = &t->marks[t->nmarks++];
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

struct yamltree_mark
yamltree_mark(const struct yamltree *t, const json_t *node, const char *key,
    size_t idx)
{
	struct mark_ent want = { node, key, idx, 0, 0 };
	const struct mark_ent *e = NULL;
	struct yamltree_mark m = { 0, 0 };

	if (t != NULL && node != NULL && t->nmarks > 0) {
		e = bsearch(&want, t->marks, t->nmarks, sizeof(want),
		    cmp_mark);
	}
	if (e != NULL) {
		m.line = e->line;
		m.col = e->col;
	}
	return m;
}

/* ---------------------------------------------------------------- loading */

static struct yamltree_mark
event_mark(const yaml_event_t *ev)
{
	struct yamltree_mark m;

	m.line = (unsigned long)ev->start_mark.line + 1;
	m.col = (unsigned long)ev->start_mark.column + 1;
	return m;
}

/* Set eb to "NAME:LINE: msg".  Returns -1. */
static int
fail(const struct loader *l, unsigned long line, const char *fmt, ...)
{
	char msg[sizeof(l->eb->msg)];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return err_set(l->eb, "%s:%lu: %s", l->name, line, msg);
}

static int
oom(const struct loader *l)
{
	return err_set(l->eb, "%s: out of memory", l->name);
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
attach(struct loader *l, json_t *node, struct yamltree_mark m)
{
	struct yamltree *t = l->t;
	struct frame *f;
	void *it;
	int rc;

	if (l->depth == 0) {
		t->root = node;
		return json_is_null(node) ? 0 :
		    add_mark(t, node, NULL, YAMLTREE_NOIDX, m);
	}
	f = &l->stack[l->depth - 1];
	if (json_is_array(f->node)) {
		rc = json_array_append_new(f->node, node) == 0 &&
		    add_mark(t, f->node, NULL, json_array_size(f->node) - 1,
		    m) == 0 ? 0 : -1;
	} else {
		rc = json_object_set_new(f->node, f->key, node);
		it = rc == 0 ? json_object_iter_at(f->node, f->key) : NULL;
		rc = it != NULL && add_mark(t, f->node,
		    json_object_iter_key(it), YAMLTREE_NOIDX, f->keymark) == 0 ?
		    0 : -1;
		free(f->key);
		f->key = NULL;
	}
	if (rc == 0 && !json_is_null(node)) {
		rc = add_mark(t, node, NULL, YAMLTREE_NOIDX, m);
	}
	return rc == 0 ? 0 : oom(l);
}

static int
on_key(struct loader *l, const yaml_event_t *ev)
{
	struct frame *f = &l->stack[l->depth - 1];
	const char *k = (const char *)ev->data.scalar.value;
	struct yamltree_mark m = event_mark(ev);
	const struct yamltree *t = l->t;
	size_t i;

	if (json_object_get(f->node, k) != NULL) {
		for (i = 0; i < t->nmarks; i++) {
			if (t->marks[i].node == f->node &&
			    t->marks[i].key != NULL &&
			    strcmp(t->marks[i].key, k) == 0) {
				break;
			}
		}
		return fail(l, m.line, "duplicate key \"%.*s\" (first at line "
		    "%lu)", QUOTE_MAX, k,
		    i < t->nmarks ? t->marks[i].line : 0UL);
	}
	if ((f->key = strdup(k)) == NULL) {
		return oom(l);
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
		return fail(l, event_mark(ev).line, "NUL byte in a scalar");
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
		return oom(l);
	}
	return attach(l, node, event_mark(ev));
}

static int
on_start(struct loader *l, const yaml_event_t *ev, json_t *node)
{
	struct yamltree_mark m = event_mark(ev);

	if (node == NULL) {
		return oom(l);
	}
	if (l->depth == YAMLTREE_DEPTH_MAX) {
		json_decref(node);
		return fail(l, m.line, "nested deeper than %d levels",
		    YAMLTREE_DEPTH_MAX);
	}
	if (l->depth > 0 && json_is_object(l->stack[l->depth - 1].node) &&
	    l->stack[l->depth - 1].key == NULL) {
		json_decref(node);
		return fail(l, m.line, "a mapping key must be a scalar");
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
	    ++l->nodes > YAMLTREE_NODES_MAX) {
		return fail(l, line, "more than %d nodes", YAMLTREE_NODES_MAX);
	}
	switch (ev->type) {
	case YAML_DOCUMENT_START_EVENT:
		if (l->docs++ > 0) {
			return fail(l, line, "more than one YAML document");
		}
		return 0;
	case YAML_ALIAS_EVENT:
		return fail(l, line, "aliases (*name) are not supported");
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
		return oom(l);
	}
	yaml_parser_set_input_string(&p, buf, len);
	while (rc == 0 && !done) {
		if (!yaml_parser_parse(&p, &ev)) {
			rc = syntax_error(&p, l->name, l->eb);
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

struct yamltree *
yamltree_parse(const char *name, const void *buf, size_t len,
    struct errbuf *eb)
{
	struct loader l;
	struct yamltree *t;

	if ((t = calloc(1, sizeof(*t))) == NULL) {
		err_set(eb, "%s: out of memory", name);
		return NULL;
	}
	memset(&l, 0, sizeof(l));
	l.t = t;
	l.name = name;
	l.eb = eb;
	if (parse(&l, buf, len) != 0) {
		yamltree_free(t);
		return NULL;
	}
	if (t->nmarks > 0) {
		qsort(t->marks, t->nmarks, sizeof(*t->marks), cmp_mark);
	}
	return t;
}

void
yamltree_free(struct yamltree *t)
{
	if (t == NULL) {
		return;
	}
	free(t->marks);
	json_decref(t->root);
	free(t);
}

json_t *
yamltree_root(const struct yamltree *t)
{
	return t->root;
}

/* ---------------------------------------------------------------- files */

int
yamltree_read_file(const char *path, size_t max, char **buf, size_t *len,
    struct errbuf *eb)
{
	struct stat st;
	int fd, rc = -1;

	*buf = NULL;
	*len = 0;
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0) {
		return err_set_sys(eb, "%s", path);
	}
	if (fstat(fd, &st) != 0) {
		err_set_sys(eb, "%s", path);
	} else if (!S_ISREG(st.st_mode)) {
		err_set(eb, "%s: not a regular file", path);
	} else if ((uintmax_t)st.st_size > max) {
		err_set(eb, "%s: larger than %zu bytes", path, max);
	} else if (slurp_fd(fd, max, buf, len) != 0) {
		if (errno == EFBIG)	/* it grew meanwhile */
			err_set(eb, "%s: larger than %zu bytes", path, max);
		else
			err_set_sys(eb, "%s: read", path);
	} else {
		rc = 0;
	}
	close(fd);
	if (rc != 0) {
		free(*buf);
		*buf = NULL;
	}
	return rc;
}

/* ---------------------------------------------------------- whose file */

/* Follow one event; 1 when it is a top-level mapping key in keys. */
static int
scan_event(struct scan *s, const yaml_event_t *ev, const char *const *keys)
{
	const char *v;
	int done = 0, hit = 0;
	size_t i, n;

	switch (ev->type) {
	case YAML_MAPPING_START_EVENT:
	case YAML_SEQUENCE_START_EVENT:
		if (s->depth++ == 0) {
			s->topmap = ev->type == YAML_MAPPING_START_EVENT;
			s->want_key = 1;
		}
		return 0;
	case YAML_MAPPING_END_EVENT:
	case YAML_SEQUENCE_END_EVENT:
		done = --s->depth == 1;
		break;
	case YAML_SCALAR_EVENT:
		done = s->depth == 1;
		v = (const char *)ev->data.scalar.value;
		n = ev->data.scalar.length;
		for (i = 0; done && s->topmap && s->want_key &&
		    keys[i] != NULL && !hit; i++) {
			hit = strlen(keys[i]) == n &&
			    memcmp(keys[i], v, n) == 0;
		}
		break;
	case YAML_ALIAS_EVENT:
		done = s->depth == 1;
		break;
	default:
		return 0;
	}
	if (done) {
		s->want_key = !s->want_key;
	}
	return hit;
}

int
yamltree_has_top_key(const void *buf, size_t len, const char *const *keys)
{
	struct scan s = { 0, 0, 0 };
	yaml_parser_t p;
	yaml_event_t ev;
	int rc = 0, done = 0;

	if (!yaml_parser_initialize(&p)) {
		return -1;
	}
	yaml_parser_set_input_string(&p, buf, len);
	while (rc == 0 && !done) {
		if (!yaml_parser_parse(&p, &ev)) {
			rc = -1;
			break;
		}
		done = ev.type == YAML_STREAM_END_EVENT;
		rc = scan_event(&s, &ev, keys);
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&p);
	return rc;
}
