/*
 * hostspec: one spec split into user@, host and :port and checked (see
 * hostspec.h for the rules), and the quoting error helper shared by the
 * hostlist modules.
 */
#include "config.h"

#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "hostspec.h"

#define QUOTE_MAX	200	/* bytes of an expression quoted in errors */
#define USER_MAX	(sizeof(((struct hostspec *)0)->user) - 1)

static int	host_char(unsigned char);
static int	check_chars(const char *, size_t, struct errbuf *);
static int	split_user(const char *, size_t, struct hostspec_parts *,
		    struct errbuf *);
static int	parse_port(const char *, size_t, int *);
static int	split_port(const char *, size_t, struct hostspec_parts *,
		    struct errbuf *);
static int	check_host(const char *, size_t, struct hostspec_parts *,
		    struct errbuf *);
static int	check_literal(const char *, size_t, struct hostspec_parts *,
		    struct errbuf *);

/* err_set with the offending expression quoted first, cut when long. */
int
hostspec_fail(struct errbuf *eb, const char *s, size_t len, const char *fmt,
    ...)
{
	char why[sizeof(eb->msg)];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	if (len > QUOTE_MAX) {
		return err_set(eb, "\"%.*s...\": %s", QUOTE_MAX, s, why);
	}
	return err_set(eb, "\"%.*s\": %s", (int)len, s, why);
}

int
hostspec_fail_sys(struct errbuf *eb, const char *s, size_t len,
    const char *what)
{
	if (len > QUOTE_MAX) {
		return err_set_sys(eb, "\"%.*s...\": %s", QUOTE_MAX, s, what);
	}
	return err_set_sys(eb, "\"%.*s\": %s", (int)len, s, what);
}

int
hostspec_is_v6(const char *s, size_t len)
{
	char addr[INET6_ADDRSTRLEN];
	struct in6_addr in6;

	if (len < 3 || s[0] != '[' || s[len - 1] != ']' ||
	    len - 2 >= sizeof(addr)) {
		return 0;
	}
	memcpy(addr, s + 1, len - 2);
	addr[len - 2] = '\0';
	return inet_pton(AF_INET6, addr, &in6) == 1;
}

/* Lenient twin of hostspec_split for entries already in a list. */
void
hostspec_host_part(const char *entry, size_t *off, size_t *len)
{
	size_t n = strlen(entry), lb, i, end = n;
	const char *bracket = strchr(entry, '[');
	int in = 0;

	lb = bracket != NULL ? (size_t)(bracket - entry) : n;
	*off = 0;
	for (i = lb; i > 0 && *off == 0; i--) {
		if (entry[i - 1] == '@') {
			*off = i;
		}
	}
	for (i = *off; i < n; i++) {
		if (entry[i] == '[' || entry[i] == ']') {
			in = entry[i] == '[';
		} else if (entry[i] == ':' && !in) {
			end = i;
		}
	}
	*len = end - *off;
}

/* RFC 1123 letters, digits, '-' and '.', plus '_' and non-ASCII (IDN). */
static int
host_char(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
	    c >= 0x80;
}

static int
check_chars(const char *s, size_t len, struct errbuf *eb)
{
	size_t i;

	for (i = 0; i < len; i++) {
		if ((unsigned char)s[i] <= ' ' || s[i] == 0x7f) {
			return hostspec_fail(eb, s, len,
			    "contains a space or control character");
		}
	}
	return 0;
}

/* user@ is the text up to the last '@' before the first '['. */
static int
split_user(const char *s, size_t len, struct hostspec_parts *pt,
    struct errbuf *eb)
{
	const char *bracket = memchr(s, '[', len);
	size_t i = bracket != NULL ? (size_t)(bracket - s) : len;

	while (i > 0 && s[i - 1] != '@') {
		i--;
	}
	if (i == 0) {
		return 0;
	}
	if (i == 1) {
		return hostspec_fail(eb, s, len, "empty user name");
	}
	if (i - 1 > USER_MAX) {
		return hostspec_fail(eb, s, len,
		    "user name longer than %zu bytes",
		    USER_MAX);
	}
	if (s[0] == '-') {
		return hostspec_fail(eb, s, len, "user name starts with '-'");
	}
	pt->hoff = i;
	return 0;
}

/* 0, -1 when not all digits, -2 when outside 1..65535. */
static int
parse_port(const char *t, size_t n, int *port)
{
	long v = 0;
	size_t i;

	if (n == 0) {
		return -1;
	}
	for (i = 0; i < n; i++) {
		if (t[i] < '0' || t[i] > '9') {
			return -1;
		}
		if (v <= 65535) {
			v = v * 10 + (t[i] - '0');
		}
	}
	if (v < 1 || v > 65535) {
		return -2;
	}
	*port = (int)v;
	return 0;
}

/* :port follows the last ':' outside brackets; two such ':' mean IPv6. */
static int
split_port(const char *s, size_t len, struct hostspec_parts *pt,
    struct errbuf *eb)
{
	size_t i, colon = 0, ncolon = 0, plen, flen;
	int in = 0, r;

	for (i = pt->hoff; i < len; i++) {
		if (s[i] == '[' || s[i] == ']') {
			in = s[i] == '[';
		} else if (s[i] == ':' && !in) {
			ncolon++;
			colon = i;
		}
	}
	pt->hend = len;
	if (ncolon == 0) {
		return 0;
	}
	if (ncolon > 1) {
		return hostspec_fail(eb, s, len,
		    "IPv6 address must be in brackets");
	}
	plen = len - colon - 1;
	flen = plen > HOSTSPEC_FRAG_MAX ? HOSTSPEC_FRAG_MAX : plen;
	if ((r = parse_port(s + colon + 1, plen, &pt->port)) == -1) {
		return hostspec_fail(eb, s, len, "invalid port \"%.*s\"",
		    (int)flen, s + colon + 1);
	}
	if (r == -2) {
		return hostspec_fail(eb, s, len,
		    "port \"%.*s\" out of range 1-65535", (int)flen,
		    s + colon + 1);
	}
	pt->hend = colon;
	return 0;
}

static int
check_host(const char *s, size_t len, struct hostspec_parts *pt,
    struct errbuf *eb)
{
	const char *h = s + pt->hoff, *close;
	size_t n = pt->hend - pt->hoff, i;
	int in = 0;

	if (n == 0) {
		return hostspec_fail(eb, s, len, "empty host name");
	}
	if (h[0] == '-') {
		return hostspec_fail(eb, s, len, "host name starts with '-'");
	}
	close = h[0] == '[' ? memchr(h, ']', n) : NULL;
	if (close != NULL && hostspec_is_v6(h, (size_t)(close - h) + 1)) {
		pt->v6 = 1;
		return close == h + n - 1 ? 0 :
		    hostspec_fail(eb, s, len, "text after the IPv6 address");
	}
	for (i = 0; i < n; i++) {
		if (h[i] == '[' || h[i] == ']') {
			in = h[i] == '[';
		} else if (!in && !host_char((unsigned char)h[i])) {
			return hostspec_fail(eb, s, len,
			    "invalid character '%c' in host name", h[i]);
		}
	}
	return 0;
}

int
hostspec_split(const char *s, size_t len, struct hostspec_parts *pt,
    struct errbuf *eb)
{
	memset(pt, 0, sizeof(*pt));
	if (len == 0) {
		return hostspec_fail(eb, s, len, "empty host name");
	}
	if (check_chars(s, len, eb) == -1 || split_user(s, len, pt, eb) == -1 ||
	    split_port(s, len, pt, eb) == -1) {
		return -1;
	}
	return check_host(s, len, pt, eb);
}

/* A spec that must not be expanded: no brackets but an IPv6 literal. */
static int
check_literal(const char *s, size_t len, struct hostspec_parts *pt,
    struct errbuf *eb)
{
	const char *h;

	if (hostspec_split(s, len, pt, eb) == -1) {
		return -1;
	}
	h = s + pt->hoff;
	if (!pt->v6 && (memchr(h, '[', pt->hend - pt->hoff) != NULL ||
	    memchr(h, ']', pt->hend - pt->hoff) != NULL)) {
		return hostspec_fail(eb, s, len,
		    "brackets in a literal host name");
	}
	if (len >= HOSTSPEC_NAME_MAX) {
		return hostspec_fail(eb, s, len, "longer than %d bytes",
		    HOSTSPEC_NAME_MAX - 1);
	}
	return 0;
}

int
hostspec_check_literal(const char *s, size_t len, struct errbuf *eb)
{
	struct hostspec_parts pt;

	return check_literal(s, len, &pt, eb);
}

int
hostspec_parse(const char *spec, struct hostspec *hs, struct errbuf *eb)
{
	struct hostspec_parts pt;
	size_t len = strlen(spec), hlen;

	memset(hs, 0, sizeof(*hs));
	if (check_literal(spec, len, &pt, eb) == -1) {
		return -1;
	}
	if (pt.hoff > 0) {
		memcpy(hs->user, spec, pt.hoff - 1);
	}
	hlen = pt.hend - pt.hoff;
	if (pt.v6) {
		memcpy(hs->host, spec + pt.hoff + 1, hlen - 2);
	} else {
		memcpy(hs->host, spec + pt.hoff, hlen);
	}
	hs->port = pt.port;
	hs->ipv6 = pt.v6;
	return 0;
}
