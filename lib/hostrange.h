/*
 * hostrange: the numeric bracket ranges in the host part of one spec
 * (hostspec.h), counted, checked against the caps and expanded.
 *
 * Grammar (a "[" ranges "]" group of a host):
 *   ranges  := range ( "," range )*
 *   range   := N | N "-" M             decimal, N <= M; a leading zero on
 *                                      any bound pads every value of that
 *                                      bracket to the widest such bound
 *
 * Numbers have at most HOSTRANGE_DIGITS_MAX digits.  Several bracket groups
 * expand as a cartesian product, left to right: rack[1-2]-n[1-2] ->
 * rack1-n1 rack1-n2 rack2-n1 rack2-n2.  The user@ and :port of the spec are
 * kept on every host.  Brackets do not nest.
 *
 * Everything is counted and measured from the parsed brackets before a
 * single host is generated, so an expansion past HOSTRANGE_MAX hosts or
 * HOSTSPEC_NAME_MAX bytes fails at once, without allocating.
 *
 * Ownership: the hosts generated go into sink->add, which the caller owns
 * and strset_clear's.  Functions never exit; they return -1 and fill *eb.
 */
#ifndef BSSH_HOSTRANGE_H
#define BSSH_HOSTRANGE_H

#include <stddef.h>

#include "err.h"
#include "hostspec.h"
#include "strset.h"

#define HOSTRANGE_MAX		100000	/* hosts one expression may generate */
#define HOSTRANGE_DIGITS_MAX	18	/* always fits an unsigned long long */

/* Where one expression's expansion goes, spec after spec. */
struct hostrange_sink {
	const struct strset	*skip;	/* hosts not to add (already listed) */
	struct strset		 add;	/* new hosts, each once, in order */
	size_t			 raw;	/* hosts generated, with duplicates */
	const char		*expr;	/* the whole expression, for errors */
};

/*
 * Expand the spec s[0..len) (no commas, no ^) into sink->add, leaving out
 * hosts in sink->skip or already in sink->add.  sink->raw counts every host
 * generated; a spec that would take it past HOSTRANGE_MAX fails, quoting
 * sink->expr, before it generates anything.  A spec without brackets (or
 * with an IPv6 literal) expands to itself.  0, or -1 with eb set (sink->add
 * may then hold part of the expansion).
 */
int	hostrange_expand(const char *s, size_t len, struct hostrange_sink *sink,
	    struct errbuf *eb);

#endif
