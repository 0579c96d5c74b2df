/*
 * hostlist_int: what lib/hostlist.c, hostlist_parse.c and hostlist_match.c
 * share.  Not part of the API; nothing outside lib/hostlist*.c includes it.
 *
 * A list is an array of strings in order of first appearance plus an
 * open-addressing hash table of indices into it, so that lookups stay O(1)
 * at HOSTLIST_MAX entries.  The same structure serves as a string set or a
 * string -> index map (compression keys), which is why the set functions
 * take a length and do not validate.
 */
#ifndef BSSH_HOSTLIST_INT_H
#define BSSH_HOSTLIST_INT_H

#include <stddef.h>

#include "err.h"

struct hostlist {
	char	**host;		/* entries, n used, cap allocated */
	size_t	  n;
	size_t	  cap;
	size_t	 *slot;		/* index + 1 of an entry; 0 = empty */
	size_t	  nslot;	/* a power of two, twice cap */
};

#define HOSTLIST_NONE	((size_t)-1)

/* One hostlist_push in progress. */
struct hl_push {
	const struct hostlist	*dst;	/* read only until the commit */
	struct hostlist		 add;	/* new hosts, none of them in dst */
	size_t			 raw;	/* hosts generated, with duplicates */
	const char		*expr;	/* the whole expression, for errors */
	struct errbuf		*eb;
};

/* Index of the entry equal to s[0..len), or HOSTLIST_NONE. */
size_t	hostlist_set_find(const struct hostlist *hl, const char *s, size_t len);
/* Make room for want entries.  0, or -1 when out of memory (list intact). */
int	hostlist_set_reserve(struct hostlist *hl, size_t want);
/* Append s (taking ownership); room is reserved and s is not present. */
void	hostlist_set_append(struct hostlist *hl, char *s);
/* Rebuild the hash table after entries were removed or moved. */
void	hostlist_set_rehash(struct hostlist *hl);
/* Add a copy of s[0..len) unless present; *idx = its index.  0 or -1. */
int	hostlist_set_add(struct hostlist *hl, const char *s, size_t len,
	    size_t *idx);
/* Free every entry and the table; the struct itself is left zeroed. */
void	hostlist_set_clear(struct hostlist *hl);

/* err_set(eb, "\"s\": fmt...") with s cut when long; returns -1. */
int	hostlist_fail(struct errbuf *eb, const char *s, size_t len,
	    const char *fmt, ...) ERR_PRINTF(4, 5);
/* Expand the spec s[0..len) (no commas, no ^) into p->add.  0 or -1. */
int	hostlist_parse_spec(struct hl_push *p, const char *s, size_t len);
/* Check that s[0..len) is a valid spec without ranges.  0 or -1. */
int	hostlist_check_literal(const char *s, size_t len, struct errbuf *eb);
/* Offset and length of the host part of an entry (no user@, no :port). */
void	hostlist_entry_host(const char *entry, size_t *off, size_t *len);
/* 1 if s[0..len) is "[" IPv6-address "]". */
int	hostlist_v6_literal(const char *s, size_t len);
/* Next item of a comma list (commas in [...] do not split), trimmed. */
int	hostlist_next_item(const char *s, size_t len, size_t *pos,
	    size_t *off, size_t *ilen);

#endif
