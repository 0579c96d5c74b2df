/*
 * hostspec: one host spec of a hostlist expression, its syntax and checks.
 *
 * Grammar (one spec; lists of specs are hostlist.h, ranges hostrange.h):
 *   spec    := [ user "@" ] host [ ":" port ]
 *   host    := "[" ipv6 "]"            an IPv6 literal, kept verbatim
 *            | ( text | "[" ranges "]" )+
 *
 * user@ is the text up to the last '@' before the first '['; it is not
 * empty, at most 255 bytes and does not start with '-'.  :port follows the
 * last ':' outside brackets and is 1..65535; two such ':' mean an IPv6
 * address, which must then be in brackets.  The host is not empty, does not
 * start with '-' and, outside brackets, holds only RFC 1123 letters, digits,
 * '-' and '.', plus '_' and non-ASCII bytes (IDN).  No part may contain a
 * space or a control character.
 *
 * Ownership: nothing here allocates.  Functions never exit; they return -1
 * and fill *eb (eb may be NULL when the message is not wanted).
 */
#ifndef BSSH_HOSTSPEC_H
#define BSSH_HOSTSPEC_H

#include <stddef.h>

#include "err.h"

#define HOSTSPEC_NAME_MAX	1024	/* a spec's bytes, NUL included */
#define HOSTSPEC_FRAG_MAX	40	/* bytes of a part quoted in errors */

/* A parsed spec.  host has brackets removed from an IPv6 literal. */
struct hostspec {
	char	user[256];	/* "" when absent */
	char	host[HOSTSPEC_NAME_MAX];
	int	port;		/* 0 when absent */
	int	ipv6;		/* host was a bracketed IPv6 literal */
};

/* Where the parts of a spec s[0..len) are, as hostspec_split found them. */
struct hostspec_parts {
	size_t	hoff;		/* host start: 0, or just after "user@" */
	size_t	hend;		/* host end: len, or the ':' before the port */
	int	port;		/* 0 when absent */
	int	v6;		/* host is a bracketed IPv6 literal */
};

/*
 * Split one expanded spec ("alice@[::1]:2222", "web1", "u@h:22") into its
 * parts.  An unbracketed IPv6 address is an error (it is ambiguous with
 * :port).  Ports must be 1..65535.  Ranges are an error.  0 or -1.
 */
int	hostspec_parse(const char *spec, struct hostspec *hs,
	    struct errbuf *eb);

/*
 * Check the syntax of the spec s[0..len) and find its parts; the host may
 * still hold [ranges] (not checked here).  0, or -1 with eb set.
 */
int	hostspec_split(const char *s, size_t len, struct hostspec_parts *pt,
	    struct errbuf *eb);
/*
 * Check that s[0..len) is a spec needing no expansion: valid, no brackets
 * other than an IPv6 literal's, shorter than HOSTSPEC_NAME_MAX.  0 or -1.
 */
int	hostspec_check_literal(const char *s, size_t len, struct errbuf *eb);
/* 1 if s[0..len) is "[" IPv6-address "]", else 0. */
int	hostspec_is_v6(const char *s, size_t len);
/*
 * Offset and length of the host part of an entry already in a list (no
 * user@, no :port).  Lenient: never fails, whatever entry holds.
 */
void	hostspec_host_part(const char *entry, size_t *off, size_t *len);

/*
 * err_set(eb, "\"s\": fmt...") with s[0..len) quoted first and cut when
 * long.  Returns -1.  The one error style of hostspec, hostrange, hostlist
 * and hostmatch.
 */
int	hostspec_fail(struct errbuf *eb, const char *s, size_t len,
	    const char *fmt, ...) ERR_PRINTF(4, 5);
/* Likewise "\"s\": what: strerror(errno)" (errno preserved).  Returns -1. */
int	hostspec_fail_sys(struct errbuf *eb, const char *s, size_t len,
	    const char *what);

#endif
