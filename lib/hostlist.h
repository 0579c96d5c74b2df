/*
 * hostlist: pdsh's hostlist grammar, expansion, matching and compression.
 *
 * Grammar (one expression):
 *   expr    := item ( "," item )*      commas inside [...] do not split
 *   item    := "^" path                a host file: one expression per line,
 *                                      blank lines and # comments skipped
 *            | spec
 *   spec    := [ user "@" ] host [ ":" port ]
 *   host    := "[" ipv6 "]"            an IPv6 literal, kept verbatim
 *            | ( text | "[" ranges "]" )+
 *   ranges  := range ( "," range )*
 *   range   := N | N "-" M             decimal, N <= M; a leading zero on
 *                                      any bound pads every value of that
 *                                      bracket to the widest such bound
 *
 * Several bracket groups expand as a cartesian product, left to right:
 * rack[1-2]-n[1-2] -> rack1-n1 rack1-n2 rack2-n1 rack2-n2.  The result keeps
 * the order of first appearance and holds each string once.  Expansion is
 * capped at HOSTLIST_MAX hosts; going past the cap is an error, detected
 * before anything is allocated.
 *
 * Matching (filter and exclude): a pattern list is split on commas outside
 * brackets; each pattern is
 *   - a hostlist expression with a numeric bracket or a ^file: the set of
 *     its expansions, compared exactly;
 *   - a glob (contains * or ?, or a bracket that is not a numeric range):
 *     fnmatch(3) against the whole entry;
 *   - otherwise a plain name, compared exactly.
 * An entry matches when the whole entry ("alice@web1:2222") or its host
 * part ("web1") matches.  Plain names never match by substring: web1 does
 * not match web10.
 *
 * Ownership: every function that returns char * returns memory the caller
 * frees; const char * results belong to the list and live until it changes.
 * Library functions never exit; they return -1 and fill *eb.
 */
#ifndef BSSH_HOSTLIST_H
#define BSSH_HOSTLIST_H

#include <stddef.h>

#include "err.h"

#define HOSTLIST_MAX		100000		/* hosts in one list */
#define HOSTLIST_FILE_MAX	(1024 * 1024)	/* bytes in a ^file */
#define HOSTLIST_NAME_MAX	1024		/* bytes in one expanded host */

struct hostlist;

/* A new empty list, or NULL when out of memory. */
struct hostlist	*hostlist_new(void);
void		 hostlist_free(struct hostlist *hl);

/*
 * Expand expr and append every host not already present.  Returns 0, or -1
 * with eb set (the list is unchanged on error).
 */
int		 hostlist_push(struct hostlist *hl, const char *expr, struct errbuf *eb);

/* Append one literal host (no expansion) unless present.  0 or -1. */
int		 hostlist_push_host(struct hostlist *hl, const char *host, struct errbuf *eb);

size_t		 hostlist_count(const struct hostlist *hl);
/* The i-th host (0-based), or NULL when i is out of range. */
const char	*hostlist_nth(const struct hostlist *hl, size_t i);
/* 1 if host is in the list, 0 if not. */
int		 hostlist_contains(const struct hostlist *hl, const char *host);

/* Remove every host matching any pattern of the list.  0 or -1. */
int		 hostlist_exclude(struct hostlist *hl, const char *patterns, struct errbuf *eb);
/* Keep only hosts matching at least one pattern.  0 or -1. */
int		 hostlist_filter(struct hostlist *hl, const char *patterns, struct errbuf *eb);

/*
 * The list folded back into ranges, comma separated, groups in order of
 * first appearance, numbers ascending within a group: "node[1-3,7],web01".
 * Only the host part is folded; user@ and :port are kept and take part in
 * grouping.  Returns a malloc'd string, or NULL when out of memory.
 */
char		*hostlist_compress(const struct hostlist *hl);

/* A parsed spec.  host has brackets removed from an IPv6 literal. */
struct hostspec {
	char	user[256];	/* "" when absent */
	char	host[HOSTLIST_NAME_MAX];
	int	port;		/* 0 when absent */
	int	ipv6;		/* host was a bracketed IPv6 literal */
};

/*
 * Split one expanded spec ("alice@[::1]:2222", "web1", "u@h:22") into its
 * parts.  An unbracketed IPv6 address is an error (it is ambiguous with
 * :port).  Ports must be 1..65535.  0 or -1.
 */
int		 hostspec_parse(const char *spec, struct hostspec *hs, struct errbuf *eb);

/* 1 if pattern contains a numeric bracket range (pdsh expression), else 0. */
int		 hostlist_is_expression(const char *pattern);

#endif
