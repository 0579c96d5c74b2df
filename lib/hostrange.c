/*
 * hostrange: one spec's brackets parsed, its size computed and then
 * expanded into a sink (see hostrange.h for the grammar).
 *
 * Expansion is an odometer over the groups, rightmost fastest; every host
 * is rendered into one stack buffer that check_size proved large enough.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "hostrange.h"
#include "hostspec.h"
#include "strset.h"

/* One [...] of a host pattern and the literal text before it. */
struct hr_group {
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

struct hr_pattern {
	struct hr_group	*g;
	size_t		 ng;
	const char	*tail;		/* literal after the last group */
	size_t		 taillen;
};

static int	fail_cap(struct errbuf *, const char *, size_t);
static int	parse_num(const char *, size_t, unsigned long long *, int *);
static int	parse_range(const char *, size_t, unsigned long long *,
		    unsigned long long *, int *, const char *, size_t,
		    struct errbuf *);
static size_t	ndigits(unsigned long long);
static int	parse_group(struct hr_group *, const char *, size_t,
		    struct errbuf *);
static int	group_end(const char *, size_t, const char *, size_t, size_t,
		    size_t *, struct errbuf *);
static int	parse_pattern(const char *, size_t,
		    const struct hostspec_parts *, struct hr_pattern *,
		    struct errbuf *);
static int	check_size(const struct hostrange_sink *, const char *, size_t,
		    const struct hostspec_parts *, const struct hr_pattern *,
		    struct errbuf *);
static void	group_item(struct hr_group *);
static int	pattern_step(struct hr_pattern *);
static size_t	render(char *, const char *, size_t,
		    const struct hostspec_parts *, const struct hr_pattern *);
static int	expand(struct hostrange_sink *, const char *, size_t,
		    const struct hostspec_parts *, struct hr_pattern *,
		    struct errbuf *);

static int
fail_cap(struct errbuf *eb, const char *s, size_t len)
{
	return hostspec_fail(eb, s, len, "expands to more than %d hosts",
	    HOSTRANGE_MAX);
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
		if (i >= HOSTRANGE_DIGITS_MAX) {
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
		return hostspec_fail(eb, s, len, "empty range in brackets");
	}
	r = parse_num(t, alen, lo, width);
	*hi = *lo;
	if (r == 0 && dash != NULL) {
		bad = dash + 1;
		blen = n - alen - 1;
		r = parse_num(bad, blen, hi, width);
	}
	if (r == -1) {
		return hostspec_fail(eb, s, len, "not a numeric range \"%.*s\"",
		    (int)(n > HOSTSPEC_FRAG_MAX ? HOSTSPEC_FRAG_MAX : n), t);
	}
	if (r == -2) {
		return hostspec_fail(eb, s, len,
		    "number \"%.*s\" has more than %d digits",
		    (int)(blen > HOSTSPEC_FRAG_MAX ? HOSTSPEC_FRAG_MAX : blen),
		    bad, HOSTRANGE_DIGITS_MAX);
	}
	if (*lo > *hi) {
		return hostspec_fail(eb, s, len, "reversed range %.*s",
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
parse_group(struct hr_group *g, const char *s, size_t len, struct errbuf *eb)
{
	const char *comma;
	unsigned long long lo, hi, top = 0;
	size_t pos, ilen;

	if (g->bodylen == 0) {
		return hostspec_fail(eb, s, len, "empty brackets");
	}
	for (pos = 0;; pos += ilen + 1) {
		comma = memchr(g->body + pos, ',', g->bodylen - pos);
		ilen = comma != NULL ? (size_t)(comma - g->body) - pos :
		    g->bodylen - pos;
		if (parse_range(g->body + pos, ilen, &lo, &hi, &g->width, s,
		    len, eb) == -1) {
			return -1;
		}
		if (hi - lo >= (unsigned long long)(HOSTRANGE_MAX - g->count)) {
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
			return hostspec_fail(eb, s, len, "nested '['");
		}
	}
	return hostspec_fail(eb, s, len, "unclosed '['");
}

static int
parse_pattern(const char *s, size_t len, const struct hostspec_parts *pt,
    struct hr_pattern *pat, struct errbuf *eb)
{
	const char *h = s + pt->hoff;
	size_t n = pt->hend - pt->hoff, i, j, lit = 0, ngroups = 1;
	struct hr_group *g;

	for (i = 0; i < n; i++) {
		ngroups += h[i] == '[';
	}
	if ((pat->g = calloc(ngroups, sizeof(*pat->g))) == NULL) {
		return err_set(eb, "out of memory");
	}
	for (i = 0; i < n; i++) {
		if (h[i] == ']') {
			return hostspec_fail(eb, s, len, "unmatched ']'");
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
check_size(const struct hostrange_sink *sink, const char *s, size_t len,
    const struct hostspec_parts *pt, const struct hr_pattern *pat,
    struct errbuf *eb)
{
	size_t total = 1, n, i;

	n = pt->hoff + (len - pt->hend) + pat->taillen;
	for (i = 0; i < pat->ng; i++) {
		if (total > HOSTRANGE_MAX / pat->g[i].count) {
			return fail_cap(eb, s, len);
		}
		total *= pat->g[i].count;
		n += pat->g[i].litlen + pat->g[i].maxlen;
	}
	if (n >= HOSTSPEC_NAME_MAX) {
		return hostspec_fail(eb, s, len,
		    "expands to names longer than %d bytes",
		    HOSTSPEC_NAME_MAX - 1);
	}
	if (total > HOSTRANGE_MAX - sink->raw) {
		return fail_cap(eb, sink->expr, strlen(sink->expr));
	}
	return 0;
}

/* Load the item of g->body at g->pos (already validated). */
static void
group_item(struct hr_group *g)
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
pattern_step(struct hr_pattern *pat)
{
	struct hr_group *g;
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
render(char *buf, const char *s, size_t len, const struct hostspec_parts *pt,
    const struct hr_pattern *pat)
{
	const struct hr_group *g;
	size_t n = pt->hoff, i;
	int w;

	memcpy(buf, s, pt->hoff);
	for (i = 0; i < pat->ng; i++) {
		g = &pat->g[i];
		memcpy(buf + n, g->lit, g->litlen);
		n += g->litlen;
		w = snprintf(buf + n, HOSTSPEC_NAME_MAX - n, "%0*llu",
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
expand(struct hostrange_sink *sink, const char *s, size_t len,
    const struct hostspec_parts *pt, struct hr_pattern *pat,
    struct errbuf *eb)
{
	char buf[HOSTSPEC_NAME_MAX];
	size_t i, n;

	for (i = 0; i < pat->ng; i++) {
		pat->g[i].pos = 0;
		group_item(&pat->g[i]);
	}
	do {
		n = render(buf, s, len, pt, pat);
		sink->raw++;
		if (strset_find(sink->skip, buf, n) == STRSET_NONE &&
		    strset_add(&sink->add, buf, n, NULL) == -1) {
			return err_set(eb, "out of memory");
		}
	} while (pattern_step(pat));
	return 0;
}

int
hostrange_expand(const char *s, size_t len, struct hostrange_sink *sink,
    struct errbuf *eb)
{
	struct hostspec_parts pt;
	struct hr_pattern pat;
	int rc = -1;

	memset(&pat, 0, sizeof(pat));
	if (hostspec_split(s, len, &pt, eb) == -1) {
		return -1;
	}
	if (pt.v6) {
		pat.tail = s + pt.hoff;
		pat.taillen = pt.hend - pt.hoff;
	} else if (parse_pattern(s, len, &pt, &pat, eb) == -1) {
		goto out;
	}
	if (check_size(sink, s, len, &pt, &pat, eb) == 0) {
		rc = expand(sink, s, len, &pt, &pat, eb);
	}
out:
	free(pat.g);
	return rc;
}
