/*
 * hostlist_parse: one spec of a hostlist expression, split into user@,
 * host and :port, its brackets parsed, its size computed and then expanded
 * into the push in progress (see hostlist.h for the grammar).
 *
 * Everything is counted and measured from the parsed brackets before a
 * single host is generated, so an expression past HOSTLIST_MAX or
 * HOSTLIST_NAME_MAX fails at once, without allocating.
 */
#include "config.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "hostlist.h"
#include "hostlist_int.h"

#define NUM_DIGITS_MAX	18	/* always fits an unsigned long long */
#define FRAG_MAX	40	/* bytes of a fragment quoted in errors */
#define USER_MAX	(sizeof(((struct hostspec *)0)->user) - 1)

/* Where the user@, host and :port parts of one spec are. */
struct hl_parts {
	size_t	hoff;		/* host start: 0, or just after "user@" */
	size_t	hend;		/* host end: the length, or the ':' */
	int	port;		/* 0 when absent */
	int	v6;		/* host is a bracketed IPv6 literal */
};

/* One [...] of a host pattern and the literal text before it. */
struct hl_group {
	const char		*lit;
	size_t			 litlen;
	const char		*body;		/* between the brackets */
	size_t			 bodylen;
	size_t			 count;		/* values, with duplicates */
	size_t			 maxlen;	/* widest value once printed */
	int			 width;		/* zero-pad width, 0 = none */
	size_t			 pos;		/* iteration: next item */
	unsigned long long	 val;		/* iteration: current value */
	unsigned long long	 hi;		/* iteration: item's end */
};

struct hl_pattern {
	struct hl_group	*g;
	size_t		 ng;
	const char	*tail;		/* literal after the last group */
	size_t		 taillen;
};

static int	fail_cap(struct errbuf *, const char *, size_t);
static int	host_char(unsigned char);
static int	check_chars(const char *, size_t, struct errbuf *);
static int	split_user(const char *, size_t, struct hl_parts *,
		    struct errbuf *);
static int	parse_port(const char *, size_t, int *);
static int	split_port(const char *, size_t, struct hl_parts *,
		    struct errbuf *);
static int	check_host(const char *, size_t, struct hl_parts *,
		    struct errbuf *);
static int	split_spec(const char *, size_t, struct hl_parts *,
		    struct errbuf *);
static int	check_literal(const char *, size_t, struct hl_parts *,
		    struct errbuf *);
static int	parse_num(const char *, size_t, unsigned long long *, int *);
static int	parse_range(const char *, size_t, unsigned long long *,
		    unsigned long long *, int *, const char *, size_t,
		    struct errbuf *);
static size_t	ndigits(unsigned long long);
static int	parse_group(struct hl_group *, const char *, size_t,
		    struct errbuf *);
static int	group_end(const char *, size_t, const char *, size_t, size_t,
		    size_t *, struct errbuf *);
static int	parse_pattern(const char *, size_t, const struct hl_parts *,
		    struct hl_pattern *, struct errbuf *);
static int	check_size(struct hl_push *, const char *, size_t,
		    const struct hl_parts *, const struct hl_pattern *);
static void	group_item(struct hl_group *);
static int	pattern_step(struct hl_pattern *);
static size_t	render(char *, const char *, size_t, const struct hl_parts *,
		    const struct hl_pattern *);
static int	expand(struct hl_push *, const char *, size_t,
		    const struct hl_parts *, struct hl_pattern *);

static int
fail_cap(struct errbuf *eb, const char *s, size_t len)
{
	return hostlist_fail(eb, s, len, "expands to more than %d hosts",
	    HOSTLIST_MAX);
}

int
hostlist_v6_literal(const char *s, size_t len)
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

/* Lenient twin of split_spec for entries already in a list. */
void
hostlist_entry_host(const char *entry, size_t *off, size_t *len)
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
			return hostlist_fail(eb, s, len,
			    "contains a space or control character");
		}
	}
	return 0;
}

/* user@ is the text up to the last '@' before the first '['. */
static int
split_user(const char *s, size_t len, struct hl_parts *pt, struct errbuf *eb)
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
		return hostlist_fail(eb, s, len, "empty user name");
	}
	if (i - 1 > USER_MAX) {
		return hostlist_fail(eb, s, len,
		    "user name longer than %zu bytes",
		    USER_MAX);
	}
	if (s[0] == '-') {
		return hostlist_fail(eb, s, len, "user name starts with '-'");
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
split_port(const char *s, size_t len, struct hl_parts *pt, struct errbuf *eb)
{
	size_t i, colon = 0, ncolon = 0, plen;
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
		return hostlist_fail(eb, s, len,
		    "IPv6 address must be in brackets");
	}
	plen = len - colon - 1;
	if ((r = parse_port(s + colon + 1, plen, &pt->port)) == -1) {
		return hostlist_fail(eb, s, len, "invalid port \"%.*s\"",
		    (int)(plen > FRAG_MAX ? FRAG_MAX : plen), s + colon + 1);
	}
	if (r == -2) {
		return hostlist_fail(eb, s, len,
		    "port \"%.*s\" out of range 1-65535",
		    (int)(plen > FRAG_MAX ? FRAG_MAX : plen), s + colon + 1);
	}
	pt->hend = colon;
	return 0;
}

static int
check_host(const char *s, size_t len, struct hl_parts *pt, struct errbuf *eb)
{
	const char *h = s + pt->hoff, *close;
	size_t n = pt->hend - pt->hoff, i;
	int in = 0;

	if (n == 0) {
		return hostlist_fail(eb, s, len, "empty host name");
	}
	if (h[0] == '-') {
		return hostlist_fail(eb, s, len, "host name starts with '-'");
	}
	close = h[0] == '[' ? memchr(h, ']', n) : NULL;
	if (close != NULL && hostlist_v6_literal(h, (size_t)(close - h) + 1)) {
		pt->v6 = 1;
		return close == h + n - 1 ? 0 :
		    hostlist_fail(eb, s, len, "text after the IPv6 address");
	}
	for (i = 0; i < n; i++) {
		if (h[i] == '[' || h[i] == ']') {
			in = h[i] == '[';
		} else if (!in && !host_char((unsigned char)h[i])) {
			return hostlist_fail(eb, s, len,
			    "invalid character '%c' in host name", h[i]);
		}
	}
	return 0;
}

static int
split_spec(const char *s, size_t len, struct hl_parts *pt, struct errbuf *eb)
{
	memset(pt, 0, sizeof(*pt));
	if (len == 0) {
		return hostlist_fail(eb, s, len, "empty host name");
	}
	if (check_chars(s, len, eb) == -1 || split_user(s, len, pt, eb) == -1 ||
	    split_port(s, len, pt, eb) == -1) {
		return -1;
	}
	return check_host(s, len, pt, eb);
}

/* A spec that must not be expanded: no brackets but an IPv6 literal. */
static int
check_literal(const char *s, size_t len, struct hl_parts *pt,
    struct errbuf *eb)
{
	const char *h;

	if (split_spec(s, len, pt, eb) == -1) {
		return -1;
	}
	h = s + pt->hoff;
	if (!pt->v6 && (memchr(h, '[', pt->hend - pt->hoff) != NULL ||
	    memchr(h, ']', pt->hend - pt->hoff) != NULL)) {
		return hostlist_fail(eb, s, len,
		    "brackets in a literal host name");
	}
	if (len >= HOSTLIST_NAME_MAX) {
		return hostlist_fail(eb, s, len, "longer than %d bytes",
		    HOSTLIST_NAME_MAX - 1);
	}
	return 0;
}

/* 0, -1 when empty or not all digits, -2 when too long. */
static int
parse_num(const char *t, size_t n, unsigned long long *v, int *width)
{
	size_t i;

	if (n == 0) {
		return -1;
	}
	for (i = 0, *v = 0; i < n; i++) {
		if (t[i] < '0' || t[i] > '9') {
			return -1;
		}
		*v = *v * 10 + (unsigned long long)(t[i] - '0');
		if (i >= NUM_DIGITS_MAX) {
			return -2;
		}
	}
	if (n > 1 && t[0] == '0' && (int)n > *width) {
		*width = (int)n;
	}
	return 0;
}

static int
parse_range(const char *t, size_t n, unsigned long long *lo,
    unsigned long long *hi, int *width, const char *s, size_t len,
    struct errbuf *eb)
{
	const char *dash = memchr(t, '-', n), *bad = t;
	size_t alen = dash != NULL ? (size_t)(dash - t) : n, blen = alen;
	int r;

	if (n == 0) {
		return hostlist_fail(eb, s, len, "empty range in brackets");
	}
	r = parse_num(t, alen, lo, width);
	*hi = *lo;
	if (r == 0 && dash != NULL) {
		bad = dash + 1;
		blen = n - alen - 1;
		r = parse_num(bad, blen, hi, width);
	}
	if (r == -1) {
		return hostlist_fail(eb, s, len, "not a numeric range \"%.*s\"",
		    (int)(n > FRAG_MAX ? FRAG_MAX : n), t);
	}
	if (r == -2) {
		return hostlist_fail(eb, s, len,
		    "number \"%.*s\" has more than %d digits",
		    (int)(blen > FRAG_MAX ? FRAG_MAX : blen), bad,
		    NUM_DIGITS_MAX);
	}
	if (*lo > *hi) {
		return hostlist_fail(eb, s, len, "reversed range %.*s",
		    (int)n, t);
	}
	return 0;
}

static size_t
ndigits(unsigned long long v)
{
	size_t n = 1;

	while (v >= 10) {
		v /= 10;
		n++;
	}
	return n;
}

static int
parse_group(struct hl_group *g, const char *s, size_t len, struct errbuf *eb)
{
	const char *comma;
	unsigned long long lo, hi, top = 0;
	size_t pos, ilen;

	if (g->bodylen == 0) {
		return hostlist_fail(eb, s, len, "empty brackets");
	}
	for (pos = 0;; pos += ilen + 1) {
		comma = memchr(g->body + pos, ',', g->bodylen - pos);
		ilen = comma != NULL ? (size_t)(comma - g->body) - pos :
		    g->bodylen - pos;
		if (parse_range(g->body + pos, ilen, &lo, &hi, &g->width, s,
		    len, eb) == -1) {
			return -1;
		}
		if (hi - lo >= (unsigned long long)(HOSTLIST_MAX - g->count)) {
			return fail_cap(eb, s, len);
		}
		g->count += (size_t)(hi - lo) + 1;
		top = hi > top ? hi : top;
		if (comma == NULL) {
			break;
		}
	}
	g->maxlen = ndigits(top);
	if ((size_t)g->width > g->maxlen) {
		g->maxlen = (size_t)g->width;
	}
	return 0;
}

/* Index of the ']' closing the '[' at h[i]. */
static int
group_end(const char *s, size_t len, const char *h, size_t n, size_t i,
    size_t *j, struct errbuf *eb)
{
	for (*j = i + 1; *j < n; (*j)++) {
		if (h[*j] == ']') {
			return 0;
		}
		if (h[*j] == '[') {
			return hostlist_fail(eb, s, len, "nested '['");
		}
	}
	return hostlist_fail(eb, s, len, "unclosed '['");
}

static int
parse_pattern(const char *s, size_t len, const struct hl_parts *pt,
    struct hl_pattern *pat, struct errbuf *eb)
{
	const char *h = s + pt->hoff;
	size_t n = pt->hend - pt->hoff, i, j, lit = 0, ngroups = 1;
	struct hl_group *g;

	for (i = 0; i < n; i++) {
		ngroups += h[i] == '[';
	}
	if ((pat->g = calloc(ngroups, sizeof(*pat->g))) == NULL) {
		return err_set(eb, "out of memory");
	}
	for (i = 0; i < n; i++) {
		if (h[i] == ']') {
			return hostlist_fail(eb, s, len, "unmatched ']'");
		}
		if (h[i] != '[') {
			continue;
		}
		if (group_end(s, len, h, n, i, &j, eb) == -1) {
			return -1;
		}
		g = &pat->g[pat->ng++];
		g->lit = h + lit;
		g->litlen = i - lit;
		g->body = h + i + 1;
		g->bodylen = j - i - 1;
		if (parse_group(g, s, len, eb) == -1) {
			return -1;
		}
		i = j;
		lit = j + 1;
	}
	pat->tail = h + lit;
	pat->taillen = n - lit;
	return 0;
}

/* Count and measure the expansion without performing it. */
static int
check_size(struct hl_push *p, const char *s, size_t len,
    const struct hl_parts *pt, const struct hl_pattern *pat)
{
	size_t total = 1, n, i;

	n = pt->hoff + (len - pt->hend) + pat->taillen;
	for (i = 0; i < pat->ng; i++) {
		if (total > HOSTLIST_MAX / pat->g[i].count) {
			return fail_cap(p->eb, s, len);
		}
		total *= pat->g[i].count;
		n += pat->g[i].litlen + pat->g[i].maxlen;
	}
	if (n >= HOSTLIST_NAME_MAX) {
		return hostlist_fail(p->eb, s, len,
		    "expands to names longer than %d bytes",
		    HOSTLIST_NAME_MAX - 1);
	}
	if (total > HOSTLIST_MAX - p->raw) {
		return fail_cap(p->eb, p->expr, strlen(p->expr));
	}
	return 0;
}

/* Load the item of g->body at g->pos (already validated). */
static void
group_item(struct hl_group *g)
{
	const char *t = g->body + g->pos, *end = g->body + g->bodylen;
	unsigned long long v = 0;

	for (; t < end && *t != '-' && *t != ','; t++) {
		v = v * 10 + (unsigned long long)(*t - '0');
	}
	g->val = g->hi = v;
	if (t < end && *t == '-') {
		for (v = 0, t++; t < end && *t != ','; t++) {
			v = v * 10 + (unsigned long long)(*t - '0');
		}
		g->hi = v;
	}
	g->pos = (size_t)(t - g->body) + (t < end);
}

/* Advance the odometer, rightmost group fastest; 0 when it wraps. */
static int
pattern_step(struct hl_pattern *pat)
{
	struct hl_group *g;
	size_t i;

	for (i = pat->ng; i > 0; i--) {
		g = &pat->g[i - 1];
		if (g->val < g->hi) {
			g->val++;
			return 1;
		}
		if (g->pos < g->bodylen) {
			group_item(g);
			return 1;
		}
		g->pos = 0;
		group_item(g);
	}
	return 0;
}

/* Print the current host into buf; check_size made sure it fits. */
static size_t
render(char *buf, const char *s, size_t len, const struct hl_parts *pt,
    const struct hl_pattern *pat)
{
	const struct hl_group *g;
	size_t n = pt->hoff, i;
	int w;

	memcpy(buf, s, pt->hoff);
	for (i = 0; i < pat->ng; i++) {
		g = &pat->g[i];
		memcpy(buf + n, g->lit, g->litlen);
		n += g->litlen;
		w = snprintf(buf + n, HOSTLIST_NAME_MAX - n, "%0*llu",
		    g->width, g->val);
		n += w > 0 ? (size_t)w : 0;
	}
	memcpy(buf + n, pat->tail, pat->taillen);
	n += pat->taillen;
	memcpy(buf + n, s + pt->hend, len - pt->hend);
	n += len - pt->hend;
	buf[n] = '\0';
	return n;
}

static int
expand(struct hl_push *p, const char *s, size_t len,
    const struct hl_parts *pt, struct hl_pattern *pat)
{
	char buf[HOSTLIST_NAME_MAX];
	size_t i, n;

	for (i = 0; i < pat->ng; i++) {
		pat->g[i].pos = 0;
		group_item(&pat->g[i]);
	}
	do {
		n = render(buf, s, len, pt, pat);
		p->raw++;
		if (hostlist_set_find(p->dst, buf, n) == HOSTLIST_NONE &&
		    hostlist_set_add(&p->add, buf, n, NULL) == -1) {
			return err_set(p->eb, "out of memory");
		}
	} while (pattern_step(pat));
	return 0;
}

int
hostlist_parse_spec(struct hl_push *p, const char *s, size_t len)
{
	struct hl_parts pt;
	struct hl_pattern pat;
	int rc = -1;

	memset(&pat, 0, sizeof(pat));
	if (split_spec(s, len, &pt, p->eb) == -1) {
		return -1;
	}
	if (pt.v6) {
		pat.tail = s + pt.hoff;
		pat.taillen = pt.hend - pt.hoff;
	} else if (parse_pattern(s, len, &pt, &pat, p->eb) == -1) {
		goto out;
	}
	if (check_size(p, s, len, &pt, &pat) == 0) {
		rc = expand(p, s, len, &pt, &pat);
	}
out:
	free(pat.g);
	return rc;
}

int
hostlist_check_literal(const char *s, size_t len, struct errbuf *eb)
{
	struct hl_parts pt;

	return check_literal(s, len, &pt, eb);
}

int
hostspec_parse(const char *spec, struct hostspec *hs, struct errbuf *eb)
{
	struct hl_parts pt;
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
