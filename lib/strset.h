/*
 * strset: an ordered set of strings, which is also a string -> index map.
 *
 * The strings are kept in an array in order of insertion, each once, plus
 * an open-addressing hash table of indices into that array, so lookups stay
 * O(1) however large the set grows.  An entry's index is its position in
 * the array; it stays fixed until strset_retain removes entries before it.
 *
 * Strings are given as s[0..len) and must not contain a NUL byte; nothing
 * else is validated.
 *
 * Ownership: the set owns every string in it and frees them in
 * strset_clear.  A struct strset starts zeroed (strset_init, or = { 0 }) and
 * must be strset_clear'ed when done; it may be used again afterwards.
 * Callers may read str[0..n) and n; everything else changes only through
 * these functions.  Out of memory is the only failure (-1, set unchanged).
 */
#ifndef BSSH_STRSET_H
#define BSSH_STRSET_H

#include <stddef.h>

struct strset {
	char	**str;		/* the entries, n used, in insertion order */
	size_t	  n;
	size_t	  cap;		/* entries allocated */
	size_t	 *slot;		/* index + 1 of an entry; 0 = empty */
	size_t	  nslot;	/* a power of two, twice cap */
};

/* What strset_find returns for a string not in the set. */
#define STRSET_NONE	((size_t)-1)

/* Make set empty without freeing anything (for a fresh struct). */
void	strset_init(struct strset *set);
/* Free every entry and the table; set is left empty and reusable. */
void	strset_clear(struct strset *set);

/* Index of the entry equal to s[0..len), or STRSET_NONE. */
size_t	strset_find(const struct strset *set, const char *s, size_t len);
/*
 * Add a copy of s[0..len) unless already present; *idx (when idx is not
 * NULL) is set to its index either way.  0, or -1 when out of memory.
 */
int	strset_add(struct strset *set, const char *s, size_t len, size_t *idx);
/*
 * Move every entry of src, in order, to the end of dst; src is left empty.
 * The caller guarantees that no entry of src is already in dst.  0, or -1
 * when out of memory (dst and src unchanged).
 */
int	strset_merge(struct strset *dst, struct strset *src);
/*
 * Keep only the entries for which keep(entry, arg) returns nonzero, in
 * order; the others are freed.  keep must not change the set.
 */
void	strset_retain(struct strset *set, int (*keep)(const char *, void *),
	    void *arg);

#endif
