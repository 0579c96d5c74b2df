/*
 * yamltree: one YAML document read with libyaml into a jansson tree, plus
 * a table of where every node, mapping key and sequence item is written.
 * yamlconf.h builds the configuration reader on it and documents the tree
 * (scalars as strings, YAML nulls as json null) and what is refused.
 *
 * Lines and columns count from 1; {0, 0} means unknown.
 *
 * Ownership: the tree owns its json_t nodes and marks until yamltree_free;
 * callers must not change the tree.  Functions never exit and never print;
 * they return NULL or -1 and fill *eb.
 */
#ifndef BSSH_YAMLTREE_H
#define BSSH_YAMLTREE_H

#include <stddef.h>

#include <jansson.h>

#include "err.h"

#define YAMLTREE_DEPTH_MAX	64		/* nested mappings/sequences */
#define YAMLTREE_NODES_MAX	(256 * 1024)	/* scalars + collections */
#define YAMLTREE_NOIDX		((size_t)-1)	/* "no sequence index" */

struct yamltree;

struct yamltree_mark {
	unsigned long	line;
	unsigned long	col;
};

/*
 * Parse buf[0..len), named name in messages ("NAME:LINE: why", libyaml's
 * syntax errors "NAME:LINE:COLUMN: problem (context at line N)").
 * Refused: aliases, a second document, keys that are not scalars,
 * duplicate keys, NUL bytes in scalars, nesting deeper than
 * YAMLTREE_DEPTH_MAX, more than YAMLTREE_NODES_MAX nodes.  The tree, or
 * NULL with eb set.
 */
struct yamltree	*yamltree_parse(const char *name, const void *buf, size_t len,
		    struct errbuf *eb);
void		 yamltree_free(struct yamltree *t);

/* The document's root, or NULL when buf held no document. */
json_t		*yamltree_root(const struct yamltree *t);

/*
 * Where something is written: with key NULL and idx YAMLTREE_NOIDX, where
 * node starts; with key set, where that key of the mapping node is; with
 * idx set, where item idx of the sequence node starts.  {0, 0} when the
 * tree has no such mark (json null has none: it is shared).
 */
struct yamltree_mark yamltree_mark(const struct yamltree *t,
		    const json_t *node, const char *key, size_t idx);

/*
 * Read the regular file at path, at most max bytes, into *buf (malloc'd,
 * the caller frees it; not NUL-terminated) and *len.  Messages name the
 * file as path is written: "PATH: not a regular file", "PATH: larger than
 * MAX bytes", "PATH: strerror" (errno kept, ENOENT when it does not
 * exist).  0, or -1 with *buf NULL and eb set.
 */
int		 yamltree_read_file(const char *path, size_t max, char **buf,
		    size_t *len, struct errbuf *eb);

/*
 * Whether buf[0..len) looks like a file of ours: 1 when the top-level
 * mapping of one of its documents has a key in keys (NULL-terminated), 0
 * when the whole stream is YAML and none has (an empty stream, a scalar or
 * a sequence at the top, other keys only), -1 when libyaml cannot parse it
 * or runs out of memory.  Aliases, duplicate keys and several documents
 * are no error here: deciding whose file it is comes before the checks.
 */
int		 yamltree_has_top_key(const void *buf, size_t len,
		    const char *const *keys);

#endif
