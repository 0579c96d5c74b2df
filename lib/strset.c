/*
 * strset: ordered string set with an open-addressing hash (see strset.h).
 *
 * The table has twice as many slots as the array has room for entries, so
 * it is at most half full and linear probing stays short.  Slots hold an
 * entry's index + 1; 0 marks an empty slot.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "strset.h"

static size_t	hash(const char *, size_t);
static void	slot_put(struct strset *, size_t);
static void	rehash(struct strset *);
static int	reserve(struct strset *, size_t);
static void	append(struct strset *, char *);

/* FNV-1a, folded so that the low bits used by the table see all of it. */
static size_t
hash(const char *s, size_t len)
{
	uint64_t h = 14695981039346656037ULL;
	size_t i;

	for (i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= 1099511628211ULL;
	}
	return (size_t)(h ^ (h >> 32));
}

static void
slot_put(struct strset *set, size_t idx)
{
	size_t mask = set->nslot - 1, i;
	const char *s = set->str[idx];

	i = hash(s, strlen(s)) & mask;
	while (set->slot[i] != 0) {
		i = (i + 1) & mask;
	}
	set->slot[i] = idx + 1;
}

/* Rebuild the hash table after entries were removed or moved. */
static void
rehash(struct strset *set)
{
	size_t i;

	if (set->nslot == 0) {
		return;
	}
	memset(set->slot, 0, set->nslot * sizeof(*set->slot));
	for (i = 0; i < set->n; i++) {
		slot_put(set, i);
	}
}

/* Make room for want entries.  0, or -1 when out of memory (set intact). */
static int
reserve(struct strset *set, size_t want)
{
	char **str;
	size_t *slot, cap;

	if (want <= set->cap) {
		return 0;
	}
	for (cap = set->cap < 16 ? 16 : set->cap; cap < want; cap *= 2)
		continue;
	if ((str = reallocarray(set->str, cap, sizeof(*str))) == NULL) {
		return -1;
	}
	set->str = str;
	if ((slot = calloc(2 * cap, sizeof(*slot))) == NULL) {
		return -1;
	}
	free(set->slot);
	set->slot = slot;
	set->nslot = 2 * cap;
	set->cap = cap;
	rehash(set);
	return 0;
}

/* Append s (taking ownership); room is reserved and s is not present. */
static void
append(struct strset *set, char *s)
{
	set->str[set->n] = s;
	slot_put(set, set->n);
	set->n++;
}

void
strset_init(struct strset *set)
{
	memset(set, 0, sizeof(*set));
}

void
strset_clear(struct strset *set)
{
	size_t i;

	for (i = 0; i < set->n; i++) {
		free(set->str[i]);
	}
	free(set->str);
	free(set->slot);
	memset(set, 0, sizeof(*set));
}

size_t
strset_find(const struct strset *set, const char *s, size_t len)
{
	size_t mask, i, k;
	const char *e;

	if (set->nslot == 0) {
		return STRSET_NONE;
	}
	mask = set->nslot - 1;
	for (i = hash(s, len) & mask; (k = set->slot[i]) != 0;
	    i = (i + 1) & mask) {
		e = set->str[k - 1];
		if (strncmp(e, s, len) == 0 && e[len] == '\0') {
			return k - 1;
		}
	}
	return STRSET_NONE;
}

int
strset_add(struct strset *set, const char *s, size_t len, size_t *idx)
{
	size_t i = strset_find(set, s, len);
	char *copy;

	if (i == STRSET_NONE) {
		if (reserve(set, set->n + 1) == -1 ||
		    (copy = strndup(s, len)) == NULL) {
			return -1;
		}
		i = set->n;
		append(set, copy);
	}
	if (idx != NULL) {
		*idx = i;
	}
	return 0;
}

/* Nothing can fail once the first entry has moved. */
int
strset_merge(struct strset *dst, struct strset *src)
{
	size_t i;

	if (reserve(dst, dst->n + src->n) == -1) {
		return -1;
	}
	for (i = 0; i < src->n; i++) {
		append(dst, src->str[i]);
		src->str[i] = NULL;
	}
	src->n = 0;
	strset_clear(src);
	return 0;
}

void
strset_retain(struct strset *set, int (*keep)(const char *, void *),
    void *arg)
{
	size_t i, j = 0;

	for (i = 0; i < set->n; i++) {
		if (keep(set->str[i], arg)) {
			set->str[j++] = set->str[i];
		} else {
			free(set->str[i]);
		}
	}
	set->n = j;
	rehash(set);
}
