/*
 * yamlconf: a YAML configuration file read once with libyaml into a
 * jansson tree that remembers where every node came from, plus typed reads
 * that report "FILE:LINE: key.path: what: why".
 *
 * The tree:
 *   mapping  -> json object (keys in file order)
 *   sequence -> json array
 *   scalar   -> json string, always, whatever it looks like ("22", "yes");
 *               the typed reads below give it a type.  A plain, untagged
 *               scalar that is empty, "~", "null", "Null" or "NULL" is
 *               json null instead (YAML's null; `key:' alone).
 * An empty file (no document) has no root (NULL).
 *
 * Refused, each an error naming FILE:LINE: aliases (*name; anchors alone
 * are accepted and ignored, so there is no alias expansion to bound), more
 * than one document, mapping keys that are not scalars, duplicate keys in a
 * mapping ("first at line N"), NUL bytes in scalars, nesting deeper than
 * YAMLCONF_DEPTH_MAX, more than YAMLCONF_NODES_MAX nodes, and files larger
 * than YAMLCONF_FILE_MAX bytes.  libyaml's own syntax errors are reported
 * as "FILE:LINE:COLUMN: problem (context at line N)".  Tags are ignored.
 *
 * Lines and columns count from 1; 0 means unknown.  Every node except the
 * shared json null has its own mark; a mapping key and a sequence item have
 * one too, so a null value is placed by its key or its position.
 *
 * Warnings (unknown keys, and whatever a caller adds with yamlconf_warn)
 * are kept in the handle, at most YAMLCONF_WARN_MAX of them, for the
 * program to print; the library never prints.
 *
 * Ownership: the handle owns the tree, the marks and the warnings; every
 * json_t and const char * obtained from it lives until yamlconf_free.
 * Callers must not change the tree.  Functions never exit; they return -1
 * (or NULL) and fill *eb.
 */
#ifndef BSSH_YAMLCONF_H
#define BSSH_YAMLCONF_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "err.h"

#define YAMLCONF_FILE_MAX	(4 * 1024 * 1024)	/* bytes in a file */
#define YAMLCONF_DEPTH_MAX	64		/* nested mappings/sequences */
#define YAMLCONF_NODES_MAX	(256 * 1024)	/* scalars + collections */
#define YAMLCONF_WARN_MAX	100		/* warnings kept, + a count */
#define YAMLCONF_EXPAND_MAX	4096		/* bytes of an expanded value */

struct yamlconf;

struct yamlconf_mark {
	unsigned long	line;
	unsigned long	col;
};

/*
 * Read and parse the file at path (a regular file of at most
 * YAMLCONF_FILE_MAX bytes).  Messages name the file as path is written.
 * Returns the handle, or NULL with eb set; errno is ENOENT when the file
 * does not exist (and eb says so).
 */
struct yamlconf	*yamlconf_load_file(const char *path, struct errbuf *eb);
/* Parse buf[0..len), named name in messages.  The handle or NULL. */
struct yamlconf	*yamlconf_load_buffer(const char *name, const void *buf,
		    size_t len, struct errbuf *eb);
void		 yamlconf_free(struct yamlconf *yc);

/* The name used in messages (the path as given). */
const char	*yamlconf_name(const struct yamlconf *yc);
/* The document's root node, or NULL for an empty file. */
json_t		*yamlconf_root(const struct yamlconf *yc);

/* Where node starts ({0, 0} for json null or a node not in this tree). */
struct yamlconf_mark yamlconf_node_mark(const struct yamlconf *yc,
		    const json_t *node);
/* Where key of the mapping obj is written ({0, 0} if there is none). */
struct yamlconf_mark yamlconf_key_mark(const struct yamlconf *yc,
		    const json_t *obj, const char *key);
/* Where item i of the sequence arr starts ({0, 0} if out of range). */
struct yamlconf_mark yamlconf_item_mark(const struct yamlconf *yc,
		    const json_t *arr, size_t i);
/* The line of obj's member key: its value's line, else the key's. */
unsigned long	 yamlconf_member_line(const struct yamlconf *yc,
		    const json_t *obj, const char *key);

/*
 * Typed reads of member key of the mapping obj, whose dotted path is path
 * ("" or NULL at the top level).  Each returns 1 when the value was read
 * into *out, 0 when the key is absent or null (*out untouched), or -1 with
 * "FILE:LINE: path.key: why" in eb.
 *
 *   string   any scalar
 *   int      a decimal integer (optional '-') in [min, max]
 *   bool     yes/no/true/false/on/off, any case
 *   seconds  a non-negative number of seconds ("30", "1.5") at most max_s,
 *            read into milliseconds
 *   map/seq  a mapping / a sequence
 */
int	yamlconf_string(const struct yamlconf *yc, const json_t *obj,
	    const char *path, const char *key, const char **out,
	    struct errbuf *eb);
int	yamlconf_int(const struct yamlconf *yc, const json_t *obj,
	    const char *path, const char *key, long min, long max, long *out,
	    struct errbuf *eb);
int	yamlconf_bool(const struct yamlconf *yc, const json_t *obj,
	    const char *path, const char *key, int *out, struct errbuf *eb);
int	yamlconf_seconds(const struct yamlconf *yc, const json_t *obj,
	    const char *path, const char *key, int64_t max_s, int64_t *out,
	    struct errbuf *eb);
int	yamlconf_map(const struct yamlconf *yc, const json_t *obj,
	    const char *path, const char *key, json_t **out, struct errbuf *eb);
int	yamlconf_seq(const struct yamlconf *yc, const json_t *obj,
	    const char *path, const char *key, json_t **out, struct errbuf *eb);

/*
 * Add the warning `FILE:LINE: unknown key "K" (ignored)' for every key of
 * the mapping obj that is not in allowed (NULL-terminated).  Returns the
 * number of unknown keys.
 */
size_t	yamlconf_check_keys(struct yamlconf *yc, const json_t *obj,
	    const char *const *allowed);

/* Set eb to "FILE:LINE: what: msg" (no "what: " when what is NULL or ""). */
int	yamlconf_fail(const struct yamlconf *yc, unsigned long line,
	    const char *what, struct errbuf *eb, const char *fmt, ...)
	    ERR_PRINTF(5, 6);
/* Add the warning "FILE:LINE: msg" (line 0: "FILE: msg").  0 or -1 (OOM). */
int	yamlconf_warn(struct yamlconf *yc, unsigned long line,
	    const char *fmt, ...) ERR_PRINTF(3, 4);
/* The number of warnings, and warning i (NULL when out of range). */
size_t		 yamlconf_nwarnings(const struct yamlconf *yc);
const char	*yamlconf_warning(const struct yamlconf *yc, size_t i);

/*
 * Expand ${NAME} and $NAME (NAME = [A-Za-z0-9_]+) from the environment in
 * one pass; an unset variable, a lone '$' and an unclosed "${" stay as
 * written, and expanded values are not expanded again.  Returns a malloc'd
 * string, or NULL (errno ENAMETOOLONG past YAMLCONF_EXPAND_MAX bytes, or
 * ENOMEM).
 */
char	*yamlconf_expand_vars(const char *s);
/*
 * Expand a leading "~" or "~/" to $HOME (else the password database's
 * home) and "~user/" to user's home; anything else, and an unknown user,
 * stays as written.  A malloc'd string, or NULL (ENOMEM, ENAMETOOLONG).
 */
char	*yamlconf_expand_tilde(const char *s);

#endif
