/*
 * hostmatch: filter, exclude and compress a hostlist (hostlist.h).
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
 * not match web10.  Patterns are compiled before the list is touched, so a
 * bad pattern leaves the list unchanged.
 *
 * Compression folds the last run of digits of each host part back into
 * ranges; see hostmatch_compress.
 *
 * Ownership: hostmatch_compress returns memory the caller frees.  Library
 * functions never exit; they return -1 and fill *eb.
 */
#ifndef BSSH_HOSTMATCH_H
#define BSSH_HOSTMATCH_H

#include "err.h"
#include "hostlist.h"

/* Remove every host matching any pattern of the list.  0 or -1. */
int	hostmatch_exclude(struct hostlist *hl, const char *patterns,
	    struct errbuf *eb);
/* Keep only hosts matching at least one pattern.  0 or -1. */
int	hostmatch_filter(struct hostlist *hl, const char *patterns,
	    struct errbuf *eb);

/*
 * The list folded back into ranges, comma separated, groups in order of
 * first appearance, numbers ascending within a group: "node[1-3,7],web01".
 * Only the host part is folded; user@ and :port are kept and take part in
 * grouping.  Returns a malloc'd string, or NULL when out of memory.
 */
char	*hostmatch_compress(const struct hostlist *hl);

/* 1 if pattern contains a numeric bracket range (pdsh expression), else 0. */
int	hostmatch_is_expression(const char *pattern);

#endif
