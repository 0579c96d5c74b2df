/*
 * hostlist: a list of hosts built from pdsh hostlist expressions.
 *
 * Grammar (one expression):
 *   expr    := item ( "," item )*      commas inside [...] do not split
 *   item    := "^" path                a host file: one expression per line,
 *                                      blank lines and # comments skipped
 *            | spec                    user@host:port with [ranges], see
 *                                      hostspec.h and hostrange.h
 *
 * Items are trimmed of white space; empty items are skipped.  A host file
 * holds at most HOSTLIST_FILE_MAX bytes, no NUL byte and no ^file of its
 * own.  The result keeps the order of first appearance and holds each
 * string once.  A list holds at most HOSTLIST_MAX hosts; going past the cap
 * is an error, detected before anything is allocated.
 *
 * Matching, filtering and compression of a list are in hostmatch.h.
 *
 * Ownership: every function that returns char * returns memory the caller
 * frees; const char * results belong to the list and live until it changes.
 * Library functions never exit; they return -1 and fill *eb.
 */
#ifndef BSSH_HOSTLIST_H
#define BSSH_HOSTLIST_H

#include <stddef.h>

#include "err.h"
#include "hostrange.h"
#include "hostspec.h"

#define HOSTLIST_MAX		HOSTRANGE_MAX	/* hosts in one list */
#define HOSTLIST_FILE_MAX	(1024 * 1024)	/* bytes in a ^file */
#define HOSTLIST_NAME_MAX	HOSTSPEC_NAME_MAX /* bytes in one host + NUL */

struct hostlist;

/* A new empty list, or NULL when out of memory. */
struct hostlist	*hostlist_new(void);
void		 hostlist_free(struct hostlist *hl);

/*
 * Expand expr and append every host not already present.  Returns 0, or -1
 * with eb set (the list is unchanged on error).
 */
int		 hostlist_push(struct hostlist *hl, const char *expr,
		    struct errbuf *eb);

/* Append one literal host (no expansion) unless present.  0 or -1. */
int		 hostlist_push_host(struct hostlist *hl, const char *host,
		    struct errbuf *eb);

size_t		 hostlist_count(const struct hostlist *hl);
/* The i-th host (0-based), or NULL when i is out of range. */
const char	*hostlist_nth(const struct hostlist *hl, size_t i);
/* 1 if host is in the list, 0 if not. */
int		 hostlist_contains(const struct hostlist *hl, const char *host);

/*
 * Keep only the hosts for which keep(host, arg) returns nonzero, in order.
 * Cannot fail.  keep must not change the list.
 */
void		 hostlist_retain(struct hostlist *hl,
		    int (*keep)(const char *, void *), void *arg);

/*
 * The next item of the comma list s[0..len) from *pos (commas inside [...]
 * do not split): its offset *off and length *ilen, white space trimmed, and
 * *pos moved past it.  Start with *pos = 0.  Returns 1, or 0 when there is
 * no item left.  An empty list yields one empty item.
 */
int		 hostlist_next_item(const char *s, size_t len, size_t *pos,
		    size_t *off, size_t *ilen);

#endif
