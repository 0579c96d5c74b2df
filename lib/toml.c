/*
 * toml: a strict TOML 1.0 reader that builds a jansson tree; see toml.h.
 * The bytes, keys and scalar values are read by lib/tomlval; this file
 * builds the tree and enforces what TOML says about tables.
 *
 * Keys are resolved part by part as they are read, so a dotted key never
 * needs more than its current part.  Whether a table may still be
 * extended depends on how it came to be, which the tree cannot say; that
 * is kept beside it, in a hash from node to flags:
 *   - defined by a [header] (or an element of [[header]]): no second
 *     [header], no dotted keys from another section;
 *   - made or extended by dotted keys in section gen: dotted keys of that
 *     section may go on, a [header] may not define it (but may define a
 *     table below it);
 *   - an inline table: closed for good;
 *   - an array made by [[header]]: [[ ]] appends, [a.b] goes into its last
 *     element.  Any other array is static.
 * A table without flags was made implicitly, by a header [a.b] for a.
 *
 * Depth is capped (DEPTH_MAX) so that neither this parser nor jansson's
 * recursive decref, dump and compare can run out of stack.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "toml.h"
#include "tomlval.h"

#define DEPTH_MAX	128	/* nested tables and arrays */

#define F_DEFINED	0x01
#define F_DOTTED	0x02
#define F_INLINE	0x04
#define F_AOT		0x08

struct mark {
	const json_t	*node;
	unsigned	 flags;
	unsigned long	 gen;		/* F_DOTTED: by which section */
};

struct toml {
	struct tomlval	 in;
	struct mark	*marks;		/* open addressing, power of 2 */
	size_t		 nmarks;
	size_t		 capmarks;
	unsigned long	 gen;		/* sections ([header]s) so far */
};

/* A key (one part) and, for messages, its full source text so far. */
struct key {
	const char	*k;
	size_t		 kn;
	const char	*src;
	size_t		 srcn;
};

static struct mark *mark_slot(const struct toml *, const json_t *);
static unsigned	mark_get(const struct toml *, const json_t *,
		    unsigned long *);
static int	mark_set(struct toml *, const json_t *, unsigned,
		    unsigned long);
static int	too_deep(struct toml *, int);
static json_t	*parse_array(struct toml *, int);
static json_t	*parse_inline(struct toml *, int);
static json_t	*parse_value(struct toml *, int);
static json_t	*add_table(struct toml *, json_t *, const struct key *,
		    unsigned);
static json_t	*descend(struct toml *, json_t *, const struct key *, int,
		    int *);
static int	keyval(struct toml *, json_t *, int);
static json_t	*define_table(struct toml *, json_t *, const struct key *,
		    int);
static json_t	*append_table(struct toml *, json_t *, const struct key *,
		    int);
static json_t	*header(struct toml *, json_t *, int *);

/* ---------------------------------------------------------------- marks */

static struct mark *
mark_slot(const struct toml *ps, const json_t *node)
{
	uint64_t h = ((uintptr_t)node >> 4) * 0x9e3779b97f4a7c15ULL;
	size_t mask = ps->capmarks - 1, i;

	for (i = (size_t)(h ^ h >> 32) & mask; ps->marks[i].node != NULL;
	    i = (i + 1) & mask) {
		if (ps->marks[i].node == node) {
			break;
		}
	}
	return &ps->marks[i];
}

/* The flags of node (0: none) and, in *gen, its section. */
static unsigned
mark_get(const struct toml *ps, const json_t *node, unsigned long *gen)
{
	const struct mark *m;

	*gen = 0;
	if (ps->capmarks == 0 || (m = mark_slot(ps, node))->node == NULL) {
		return 0;
	}
	*gen = m->gen;
	return m->flags;
}

static int
mark_set(struct toml *ps, const json_t *node, unsigned flags,
    unsigned long gen)
{
	struct mark *old = ps->marks, *m;
	size_t oldcap = ps->capmarks, i;

	if ((ps->nmarks + 1) * 2 > ps->capmarks) {
		ps->capmarks = oldcap ? oldcap * 2 : 64;
		if ((ps->marks = calloc(ps->capmarks, sizeof(*m))) == NULL) {
			ps->marks = old;
			ps->capmarks = oldcap;
			return tomlval_fail(&ps->in, ps->in.p, "out of memory");
		}
		for (i = 0; i < oldcap; i++) {
			if (old[i].node != NULL) {
				*mark_slot(ps, old[i].node) = old[i];
			}
		}
		free(old);
	}
	if ((m = mark_slot(ps, node))->node == NULL) {
		m->node = node;
		ps->nmarks++;
	}
	m->flags = flags;
	m->gen = gen;
	return 0;
}

/* ---------------------------------------------------------------- values */

static int
too_deep(struct toml *ps, int depth)
{
	if (depth <= DEPTH_MAX) {
		return 0;
	}
	return tomlval_fail(&ps->in, ps->in.p, "nested deeper than %d levels",
	    DEPTH_MAX);
}

/* [ values ] at depth: newlines and comments allowed, a trailing comma. */
static json_t *
parse_array(struct toml *ps, int depth)
{
	const char *start = ps->in.p;
	json_t *a, *v;

	if ((a = json_array()) == NULL) {
		tomlval_fail(&ps->in, start, "out of memory");
		return NULL;
	}
	ps->in.p++;
	for (;;) {
		if (tomlval_skip_wscnl(&ps->in) != 0) {
			break;
		}
		if (tomlval_peek(&ps->in, 0) == -1) {
			tomlval_fail(&ps->in, start, "unterminated array");
			break;
		}
		if (tomlval_peek(&ps->in, 0) == ']') {
			ps->in.p++;
			return a;
		}
		if ((v = parse_value(ps, depth + 1)) == NULL) {
			break;
		}
		if (json_array_append_new(a, v) != 0) {
			tomlval_fail(&ps->in, start, "out of memory");
			break;
		}
		if (tomlval_skip_wscnl(&ps->in) != 0) {
			break;
		}
		if (tomlval_peek(&ps->in, 0) == ',') {
			ps->in.p++;
		} else if (tomlval_peek(&ps->in, 0) == -1) {
			tomlval_fail(&ps->in, start, "unterminated array");
			break;
		} else if (tomlval_peek(&ps->in, 0) != ']') {
			tomlval_fail(&ps->in, ps->in.p,
			    "expected ',' or ']' in array");
			break;
		}
	}
	json_decref(a);
	return NULL;
}

/* { key = value, ... } at depth: one line, no trailing comma. */
static json_t *
parse_inline(struct toml *ps, int depth)
{
	const char *start = ps->in.p;
	json_t *t;
	size_t n;
	int c;

	if ((t = json_object()) == NULL) {
		tomlval_fail(&ps->in, start, "out of memory");
		return NULL;
	}
	for (n = 0;; n++) {
		ps->in.p++;	/* the '{' or ',' */
		tomlval_skip_ws(&ps->in);
		if ((c = tomlval_peek(&ps->in, 0)) == '}' && n == 0) {
			ps->in.p++;
			break;
		}
		if (c == '}') {
			tomlval_fail(&ps->in, ps->in.p,
			    "trailing comma in inline table");
			goto fail;
		}
		if (c == -1 || c == '\n' || c == '\r') {
			goto bad;
		}
		if (keyval(ps, t, depth) != 0) {
			goto fail;
		}
		tomlval_skip_ws(&ps->in);
		if ((c = tomlval_peek(&ps->in, 0)) == '}') {
			ps->in.p++;
			break;
		}
		if (c != ',') {
			goto bad;
		}
	}
	if (mark_set(ps, t, F_INLINE, 0) == 0) {
		return t;
	}
	goto fail;
bad:
	if (c == -1) {
		tomlval_fail(&ps->in, start, "unterminated inline table");
	} else if (c == '\n' || c == '\r') {
		tomlval_fail(&ps->in, ps->in.p, "newline in inline table");
	} else {
		tomlval_fail(&ps->in, ps->in.p,
		    "expected ',' or '}' in inline table");
	}
fail:
	json_decref(t);
	return NULL;
}

/* Any value; depth is its own (containers count). */
static json_t *
parse_value(struct toml *ps, int depth)
{
	int c = tomlval_peek(&ps->in, 0);

	if ((c == '[' || c == '{') && too_deep(ps, depth) != 0) {
		return NULL;
	}
	if (c == '[') {
		return parse_array(ps, depth);
	}
	if (c == '{') {
		return parse_inline(ps, depth);
	}
	return tomlval_scalar(&ps->in);
}

/* ---------------------------------------------------------------- tables */

/* A new table under key in tab, with flags. */
static json_t *
add_table(struct toml *ps, json_t *tab, const struct key *key,
    unsigned flags)
{
	json_t *t = json_object();

	if (t == NULL || json_object_setn_new(tab, key->k, key->kn, t) != 0 ||
	    (flags != 0 && mark_set(ps, t, flags, ps->gen) != 0)) {
		tomlval_fail(&ps->in, key->src, "out of memory");
		return NULL;
	}
	return t;
}

/*
 * The table a header (dotted 0) or a dotted key (dotted 1) goes through
 * at key of tab, made if missing; *depth is tab's and becomes its.
 */
static json_t *
descend(struct toml *ps, json_t *tab, const struct key *key, int dotted,
    int *depth)
{
	json_t *v = json_object_getn(tab, key->k, key->kn);
	char q[TOMLVAL_QBUF];
	unsigned long gen;
	unsigned f;

	if (too_deep(ps, ++*depth) != 0) {
		return NULL;
	}
	if (v == NULL) {
		return add_table(ps, tab, key, dotted ? F_DOTTED : 0);
	}
	f = mark_get(ps, v, &gen);
	if (json_is_array(v) && (f & F_AOT) && !dotted) {
		if (too_deep(ps, ++*depth) != 0) {
			return NULL;
		}
		return json_array_get(v, json_array_size(v) - 1);
	}
	tomlval_shorten(q, key->src, key->srcn);
	if (!json_is_object(v)) {
		tomlval_fail(&ps->in, key->src, "key '%s' is not a table", q);
		return NULL;
	}
	if (f & F_INLINE) {
		tomlval_fail(&ps->in, key->src,
		    "cannot extend inline table '%s'", q);
		return NULL;
	}
	if (dotted && ((f & F_DEFINED) || ((f & F_DOTTED) && gen != ps->gen))) {
		tomlval_fail(&ps->in, key->src, "table '%s' already defined",
		    q);
		return NULL;
	}
	if (dotted && mark_set(ps, v, F_DOTTED, ps->gen) != 0) {
		return NULL;
	}
	return v;
}

/* key = value into tab (at depth), the key dotted or not. */
static int
keyval(struct toml *ps, json_t *tab, int depth)
{
	size_t mark = ps->in.sclen;
	char q[TOMLVAL_QBUF];
	struct key key;
	json_t *v;

	key.src = ps->in.p;
	for (;;) {
		if (tomlval_key(&ps->in, &key.k, &key.kn) != 0) {
			return -1;
		}
		key.srcn = (size_t)(ps->in.p - key.src);
		tomlval_skip_ws(&ps->in);
		if (tomlval_peek(&ps->in, 0) != '.') {
			break;
		}
		ps->in.p++;
		tomlval_skip_ws(&ps->in);
		if ((tab = descend(ps, tab, &key, 1, &depth)) == NULL) {
			return -1;
		}
		ps->in.sclen = mark;
	}
	if (tomlval_peek(&ps->in, 0) != '=') {
		return tomlval_fail(&ps->in, ps->in.p, "expected '=' after key");
	}
	ps->in.p++;
	tomlval_skip_ws(&ps->in);
	if (json_object_getn(tab, key.k, key.kn) != NULL) {
		return tomlval_fail(&ps->in, key.src, "duplicate key '%s'",
		    tomlval_shorten(q, key.src, key.srcn));
	}
	if ((v = parse_value(ps, depth + 1)) == NULL) {
		return -1;
	}
	if (json_object_setn_new(tab, key.k, key.kn, v) != 0) {
		return tomlval_fail(&ps->in, key.src, "out of memory");
	}
	ps->in.sclen = mark;
	return 0;
}

/* [key]: the table at key in tab (at depth), which it defines. */
static json_t *
define_table(struct toml *ps, json_t *tab, const struct key *key, int depth)
{
	json_t *v = json_object_getn(tab, key->k, key->kn);
	char q[TOMLVAL_QBUF];
	unsigned long gen;
	unsigned f;

	if (too_deep(ps, depth + 1) != 0) {
		return NULL;
	}
	if (v == NULL) {
		return add_table(ps, tab, key, F_DEFINED);
	}
	f = mark_get(ps, v, &gen);
	tomlval_shorten(q, key->src, key->srcn);
	if (f & (F_DEFINED | F_AOT)) {
		tomlval_fail(&ps->in, key->src, "table [%s] defined twice", q);
	} else if (f & F_DOTTED) {
		tomlval_fail(&ps->in, key->src,
		    "table [%s] already defined by dotted keys", q);
	} else if (f & F_INLINE) {
		tomlval_fail(&ps->in, key->src,
		    "cannot extend inline table '%s'", q);
	} else if (!json_is_object(v)) {
		tomlval_fail(&ps->in, key->src, "duplicate key '%s'", q);
	} else if (mark_set(ps, v, F_DEFINED, 0) == 0) {
		return v;
	}
	return NULL;
}

/* [[key]]: a new table appended to the array of tables at key in tab. */
static json_t *
append_table(struct toml *ps, json_t *tab, const struct key *key, int depth)
{
	json_t *v = json_object_getn(tab, key->k, key->kn), *t;
	char q[TOMLVAL_QBUF];
	unsigned long gen;
	unsigned f;

	if (too_deep(ps, depth + 2) != 0) {
		return NULL;
	}
	tomlval_shorten(q, key->src, key->srcn);
	if (v == NULL) {
		if ((v = json_array()) == NULL ||
		    json_object_setn_new(tab, key->k, key->kn, v) != 0 ||
		    mark_set(ps, v, F_AOT, 0) != 0) {
			tomlval_fail(&ps->in, key->src, "out of memory");
			return NULL;
		}
	}
	f = mark_get(ps, v, &gen);
	if (json_is_array(v) && !(f & F_AOT)) {
		tomlval_fail(&ps->in, key->src,
		    "cannot append to static array '%s'", q);
		return NULL;
	}
	if (!json_is_array(v)) {
		tomlval_fail(&ps->in, key->src,
		    "key '%s' is not an array of tables", q);
		return NULL;
	}
	if ((t = json_object()) == NULL || json_array_append_new(v, t) != 0 ||
	    mark_set(ps, t, F_DEFINED, 0) != 0) {
		tomlval_fail(&ps->in, key->src, "out of memory");
		return NULL;
	}
	return t;
}

/* [key] or [[key]]: the table the following keys go into, and its depth. */
static json_t *
header(struct toml *ps, json_t *root, int *depth)
{
	int aot = tomlval_peek(&ps->in, 1) == '[';
	size_t mark = ps->in.sclen;
	json_t *tab = root;
	struct key key;

	ps->gen++;
	ps->in.p += 1 + aot;
	tomlval_skip_ws(&ps->in);
	key.src = ps->in.p;
	*depth = 0;
	for (;;) {
		if (tomlval_key(&ps->in, &key.k, &key.kn) != 0) {
			return NULL;
		}
		key.srcn = (size_t)(ps->in.p - key.src);
		tomlval_skip_ws(&ps->in);
		if (tomlval_peek(&ps->in, 0) != '.') {
			break;
		}
		ps->in.p++;
		tomlval_skip_ws(&ps->in);
		if ((tab = descend(ps, tab, &key, 0, depth)) == NULL) {
			return NULL;
		}
		ps->in.sclen = mark;
	}
	if (tomlval_peek(&ps->in, 0) != ']' ||
	    (aot && tomlval_peek(&ps->in, 1) != ']')) {
		tomlval_fail(&ps->in, ps->in.p, "expected '%s' after table name",
		    aot ? "]]" : "]");
		return NULL;
	}
	ps->in.p += 1 + aot;
	tab = aot ? append_table(ps, tab, &key, *depth) :
	    define_table(ps, tab, &key, *depth);
	*depth += 1 + aot;
	ps->in.sclen = mark;
	return tab;
}

json_t *
toml_parse(const char *buf, size_t len, struct errbuf *eb)
{
	struct toml ps;
	json_t *root, *tab;
	int depth = 0, rc = 0, c;

	memset(&ps, 0, sizeof(ps));
	ps.in.buf = ps.in.p = buf != NULL ? buf : "";
	ps.in.end = ps.in.buf + (buf != NULL ? len : 0);
	ps.in.eb = eb;
	ps.in.sccap = (size_t)(ps.in.end - ps.in.buf) + 1;
	if (tomlval_check(&ps.in) != 0) {
		return NULL;
	}
	if ((ps.in.sc = malloc(ps.in.sccap)) == NULL ||
	    (root = json_object()) == NULL) {
		free(ps.in.sc);
		err_set(eb, "line 1: out of memory");
		return NULL;
	}
	tab = root;
	while (rc == 0 && ps.in.p < ps.in.end) {
		tomlval_skip_ws(&ps.in);
		c = tomlval_peek(&ps.in, 0);
		if (c == '[') {
			rc = (tab = header(&ps, root, &depth)) != NULL ? 0 : -1;
		} else if (c != '#' && c != '\n' && c != '\r' && c != -1) {
			rc = keyval(&ps, tab, depth);
		}
		if (rc == 0) {
			rc = tomlval_end_line(&ps.in);
		}
	}
	free(ps.in.sc);
	free(ps.marks);
	if (rc != 0) {
		json_decref(root);
		return NULL;
	}
	return root;
}
