/*
 * yamltab: mappings of a yamlconf document read into C structs through
 * tables of fields, and levels of such structs merged field by field.
 *
 * A struct read this way starts with `unsigned set': yamltab_read sets bit
 * i when field i of its table was given (present and not null), so
 * yamltab_merge can make "node > cluster > defaults > built-in" of up to
 * YAMLTAB_LEVELS_MAX levels.  A table has at most YAMLTAB_FIELDS_MAX
 * fields and ends with YAMLTAB_END.  Tables are const; nothing here keeps
 * state outside the struct yamltab the caller owns.
 *
 * Failures are the document's "FILE:LINE: key.path: why" in t->eb;
 * unknown keys are the document's warnings (yamlconf_check_keys).
 *
 * Ownership: strings that need no rewriting point into the document's tree;
 * expanded ones, and whatever a caller hands to yamltab_keep, belong to the
 * yamltab and are freed by yamltab_clear.  The yamltab never owns the
 * document.  Functions never exit and never print.
 */
#ifndef BSSH_YAMLTAB_H
#define BSSH_YAMLTAB_H

#include <stddef.h>

#include <jansson.h>

#include "err.h"
#include "yamlconf.h"

#define YAMLTAB_FIELDS_MAX	32	/* fields in one table (bits of set) */
#define YAMLTAB_PATH_MAX	320	/* bytes of a key path in messages */
#define YAMLTAB_LEVELS_MAX	4	/* levels yamltab_merge takes */

/* What a field holds and how its scalar is read. */
enum yamltab_type {
	YAMLTAB_STR,	/* const char *: the scalar as written */
	YAMLTAB_EXP,	/* const char *: ${VAR} and $VAR expanded */
	YAMLTAB_PATH,	/* const char *: ~ expanded; "" is NULL (none) */
	YAMLTAB_INT,	/* long in [min, max] */
	YAMLTAB_SECS,	/* int64_t milliseconds, at most max seconds */
	YAMLTAB_BOOL,	/* int: yes/no/true/false/on/off */
	YAMLTAB_WORD,	/* int: min + the index of the scalar in words */
	YAMLTAB_MAP,	/* a struct read from a nested mapping with sub */
	YAMLTAB_FUNC	/* anything, read by read */
};

struct yamltab;

/*
 * A FUNC field's reader: member key of the mapping obj (at path) into dst.
 * 1 read, 0 absent or null (dst untouched), -1 with t->eb set.
 */
typedef int	yamltab_read_fn(struct yamltab *t, const json_t *obj,
		    const char *path, const char *key, void *dst);
/* An EXP field's check of its expanded value: NULL, or what is wrong. */
typedef const char *yamltab_check_fn(const char *value);

struct yamltab_field {
	const char			*key;
	enum yamltab_type		 type;
	size_t				 off;	/* of the member */
	size_t				 size;	/* bytes merge copies */
	long				 min;
	long				 max;
	const struct yamltab_field	*sub;	/* MAP */
	const char *const		*words;	/* WORD, NULL-terminated */
	yamltab_check_fn		*check;	/* EXP, or NULL */
	yamltab_read_fn			*read;	/* FUNC */
};

/*
 * A field for member m of struct st, of any type that needs no sub, words,
 * check or read; YAMLTAB_END ends a table.
 */
#define YAMLTAB_FIELD(st, k, t, m, lo, hi) \
	{ (k), (t), offsetof(st, m), sizeof(((st *)0)->m), (lo), (hi), \
	    NULL, NULL, NULL, NULL }
/* An EXP field whose value check approves. */
#define YAMLTAB_CHECKED(st, k, m, check) \
	{ (k), YAMLTAB_EXP, offsetof(st, m), sizeof(((st *)0)->m), 0, 0, \
	    NULL, NULL, (check), NULL }
/* A WORD field: words[i] is base + i. */
#define YAMLTAB_WORDS(st, k, m, words, base) \
	{ (k), YAMLTAB_WORD, offsetof(st, m), sizeof(((st *)0)->m), (base), \
	    0, NULL, (words), NULL, NULL }
/* A MAP field read with the table sub. */
#define YAMLTAB_SUBMAP(st, k, m, sub) \
	{ (k), YAMLTAB_MAP, offsetof(st, m), sizeof(((st *)0)->m), 0, 0, \
	    (sub), NULL, NULL, NULL }
/* A FUNC field read by fn. */
#define YAMLTAB_CUSTOM(st, k, m, fn) \
	{ (k), YAMLTAB_FUNC, offsetof(st, m), sizeof(((st *)0)->m), 0, 0, \
	    NULL, NULL, NULL, (fn) }
#define YAMLTAB_END \
	{ NULL, YAMLTAB_STR, 0, 0, 0, 0, NULL, NULL, NULL, NULL }

/* A reader; set it up with yamltab_init, free what it keeps with _clear. */
struct yamltab {
	struct yamlconf	*yc;		/* the document; NULL: none */
	const char	*name;		/* messages without a document */
	struct errbuf	*eb;		/* where failures go */
	void		**pool;		/* what yamltab_keep was given */
	size_t		 npool;
};

void	 yamltab_init(struct yamltab *t, struct yamlconf *yc,
	    const char *name, struct errbuf *eb);
/* Free everything kept; t can be yamltab_init'ed again. */
void	 yamltab_clear(struct yamltab *t);
/* Keep p until yamltab_clear.  p, or NULL (p freed) when out of memory. */
void	*yamltab_keep(struct yamltab *t, void *p);
/* Set t->eb to "NAME: out of memory".  Returns -1. */
int	 yamltab_oom(const struct yamltab *t);

/*
 * Warn about the keys of obj that are neither in tab nor extra1 / extra2
 * (either may be NULL).
 */
void	 yamltab_check_keys(struct yamltab *t, const json_t *obj,
	    const struct yamltab_field *tab, const char *extra1,
	    const char *extra2);
/*
 * Store the scalar s as the STR, EXP, PATH or WORD field f would, into
 * dst; what and line place messages.  1, or -1 with t->eb set.
 */
int	 yamltab_store(struct yamltab *t, const char *what,
	    unsigned long line, const struct yamltab_field *f, const char *s,
	    void *dst);
/*
 * Read every field of tab from the mapping obj (at path, "" at the top)
 * into base, setting base's bits.  Unknown keys are not checked here.
 * 0 or -1.
 */
int	 yamltab_read(struct yamltab *t, const json_t *obj, const char *path,
	    const struct yamltab_field *tab, void *base);
/*
 * The member key of obj, a mapping: its unknown keys warned about, then
 * read with tab into base.  1 read, 0 absent or null, -1.
 */
int	 yamltab_read_map(struct yamltab *t, const json_t *obj,
	    const char *path, const char *key, const struct yamltab_field *tab,
	    void *base);
/*
 * dst = lv[0] > lv[1] > ... > lv[n - 1], 2 <= n <= YAMLTAB_LEVELS_MAX,
 * field by field: the first level whose bit is set, nested maps merged
 * the same way.  The last level is the built-in one (every bit set);
 * dst's set gets the bits of the others.
 */
void	 yamltab_merge(const struct yamltab_field *tab, void *dst,
	    const void *const *lv, size_t n);

#endif
