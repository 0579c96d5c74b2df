/*
 * hostlist: the list object and hostlist_push; see hostlist.h for the
 * grammar.  One spec is parsed and expanded in hostlist_parse.c; matching
 * and compression live in hostlist_match.c.
 *
 * hostlist_push expands into a scratch list and moves the new strings over
 * only once everything has succeeded, so a failed push leaves the list as
 * it was.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "err.h"
#include "hostlist.h"
#include "hostlist_int.h"

#define QUOTE_MAX	200	/* bytes of an expression quoted in errors */

static int	fail_sys(struct errbuf *, const char *, size_t, const char *);
static size_t	hash(const char *, size_t);
static void	slot_put(struct hostlist *, size_t);
static int	is_space(char);
static void	trim(const char *, size_t, size_t *, size_t *);
static int	read_all(int, size_t, const char *, size_t, char **, size_t *,
		    struct errbuf *);
static int	read_file(const char *, const char *, size_t, char **, size_t *,
		    struct errbuf *);
static int	push_lines(struct hl_push *, const char *, size_t, const char *,
		    size_t);
static int	push_file(struct hl_push *, const char *, size_t);
static int	push_expr(struct hl_push *, const char *, size_t, int);
static int	commit(struct hl_push *, struct hostlist *);

/* err_set with the offending expression quoted first, cut when long. */
int
hostlist_fail(struct errbuf *eb, const char *s, size_t len, const char *fmt,
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

static int
fail_sys(struct errbuf *eb, const char *s, size_t len, const char *what)
{
	if (len > QUOTE_MAX) {
		return err_set_sys(eb, "\"%.*s...\": %s", QUOTE_MAX, s, what);
	}
	return err_set_sys(eb, "\"%.*s\": %s", (int)len, s, what);
}

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
slot_put(struct hostlist *hl, size_t idx)
{
	size_t mask = hl->nslot - 1, i;
	const char *s = hl->host[idx];

	i = hash(s, strlen(s)) & mask;
	while (hl->slot[i] != 0) {
		i = (i + 1) & mask;
	}
	hl->slot[i] = idx + 1;
}

size_t
hostlist_set_find(const struct hostlist *hl, const char *s, size_t len)
{
	size_t mask, i, k;
	const char *h;

	if (hl->nslot == 0) {
		return HOSTLIST_NONE;
	}
	mask = hl->nslot - 1;
	for (i = hash(s, len) & mask; (k = hl->slot[i]) != 0;
	    i = (i + 1) & mask) {
		h = hl->host[k - 1];
		if (strncmp(h, s, len) == 0 && h[len] == '\0') {
			return k - 1;
		}
	}
	return HOSTLIST_NONE;
}

int
hostlist_set_reserve(struct hostlist *hl, size_t want)
{
	char **host;
	size_t *slot, cap;

	if (want <= hl->cap) {
		return 0;
	}
	for (cap = hl->cap < 16 ? 16 : hl->cap; cap < want; cap *= 2)
		continue;
	if ((host = reallocarray(hl->host, cap, sizeof(*host))) == NULL) {
		return -1;
	}
	hl->host = host;
	if ((slot = calloc(2 * cap, sizeof(*slot))) == NULL) {
		return -1;
	}
	free(hl->slot);
	hl->slot = slot;
	hl->nslot = 2 * cap;
	hl->cap = cap;
	hostlist_set_rehash(hl);
	return 0;
}

void
hostlist_set_append(struct hostlist *hl, char *s)
{
	hl->host[hl->n] = s;
	slot_put(hl, hl->n);
	hl->n++;
}

void
hostlist_set_rehash(struct hostlist *hl)
{
	size_t i;

	if (hl->nslot == 0) {
		return;
	}
	memset(hl->slot, 0, hl->nslot * sizeof(*hl->slot));
	for (i = 0; i < hl->n; i++) {
		slot_put(hl, i);
	}
}

int
hostlist_set_add(struct hostlist *hl, const char *s, size_t len, size_t *idx)
{
	size_t i = hostlist_set_find(hl, s, len);
	char *copy;

	if (i == HOSTLIST_NONE) {
		if (hostlist_set_reserve(hl, hl->n + 1) == -1 ||
		    (copy = strndup(s, len)) == NULL) {
			return -1;
		}
		i = hl->n;
		hostlist_set_append(hl, copy);
	}
	if (idx != NULL) {
		*idx = i;
	}
	return 0;
}

void
hostlist_set_clear(struct hostlist *hl)
{
	size_t i;

	for (i = 0; i < hl->n; i++) {
		free(hl->host[i]);
	}
	free(hl->host);
	free(hl->slot);
	memset(hl, 0, sizeof(*hl));
}

struct hostlist *
hostlist_new(void)
{
	return calloc(1, sizeof(struct hostlist));
}

void
hostlist_free(struct hostlist *hl)
{
	if (hl == NULL) {
		return;
	}
	hostlist_set_clear(hl);
	free(hl);
}

size_t
hostlist_count(const struct hostlist *hl)
{
	return hl->n;
}

const char *
hostlist_nth(const struct hostlist *hl, size_t i)
{
	return i < hl->n ? hl->host[i] : NULL;
}

int
hostlist_contains(const struct hostlist *hl, const char *host)
{
	return hostlist_set_find(hl, host, strlen(host)) != HOSTLIST_NONE;
}

static int
is_space(char c)
{
	return c == ' ' || (c >= '\t' && c <= '\r');
}

static void
trim(const char *s, size_t len, size_t *off, size_t *n)
{
	size_t a = 0;

	while (a < len && is_space(s[a])) {
		a++;
	}
	while (len > a && is_space(s[len - 1])) {
		len--;
	}
	*off = a;
	*n = len - a;
}

int
hostlist_next_item(const char *s, size_t len, size_t *pos, size_t *off,
    size_t *ilen)
{
	size_t i, start = *pos;
	int in = 0;

	if (start > len) {
		return 0;
	}
	for (i = start; i < len; i++) {
		if (s[i] == '[' || s[i] == ']') {
			in = s[i] == '[';
		} else if (s[i] == ',' && !in) {
			break;
		}
	}
	*pos = i + 1;
	trim(s + start, i - start, off, ilen);
	*off += start;
	return 1;
}

/* Read all of fd, at most HOSTLIST_FILE_MAX bytes, into a malloc'd *bufp. */
static int
read_all(int fd, size_t cap, const char *s, size_t len, char **bufp,
    size_t *np, struct errbuf *eb)
{
	size_t n = 0;
	ssize_t r;
	char *buf, *nbuf;

	if ((buf = malloc(cap)) == NULL) {
		return err_set(eb, "out of memory");
	}
	for (;;) {
		if (n == cap) {
			cap = cap > HOSTLIST_FILE_MAX / 2 ?
			    HOSTLIST_FILE_MAX + 1 : cap * 2;
			if ((nbuf = realloc(buf, cap)) == NULL) {
				free(buf);
				return err_set(eb, "out of memory");
			}
			buf = nbuf;
		}
		if ((r = read(fd, buf + n, cap - n)) <= 0) {
			if (r == -1 && errno == EINTR) {
				continue;
			}
			break;
		}
		if ((n += (size_t)r) > HOSTLIST_FILE_MAX) {
			break;
		}
	}
	if (r == -1 || n > HOSTLIST_FILE_MAX) {
		free(buf);
		return r == -1 ? fail_sys(eb, s, len, "read") :
		    hostlist_fail(eb, s, len, "larger than %d bytes",
		    HOSTLIST_FILE_MAX);
	}
	*bufp = buf;
	*np = n;
	return 0;
}

static int
read_file(const char *path, const char *s, size_t len, char **bufp,
    size_t *np, struct errbuf *eb)
{
	struct stat st;
	size_t cap = 4096;
	int fd, rc = -1;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY)) == -1) {
		return fail_sys(eb, s, len, "open");
	}
	if (fstat(fd, &st) == -1) {
		fail_sys(eb, s, len, "fstat");
		goto out;
	}
	/* A regular file's size says at once whether it is too big. */
	if (S_ISREG(st.st_mode) && st.st_size > HOSTLIST_FILE_MAX) {
		hostlist_fail(eb, s, len, "larger than %d bytes",
		    HOSTLIST_FILE_MAX);
		goto out;
	}
	if (S_ISREG(st.st_mode) && st.st_size > 0) {
		cap = (size_t)st.st_size + 1;
	}
	rc = read_all(fd, cap, s, len, bufp, np, eb);
out:
	close(fd);
	return rc;
}

/* One expression per line; blank lines and # comments are skipped. */
static int
push_lines(struct hl_push *p, const char *s, size_t len, const char *buf,
    size_t n)
{
	char inner[sizeof(p->eb->msg)];
	const char *nl;
	size_t pos, end, lineno, off, llen;

	if (memchr(buf, '\0', n) != NULL) {
		return hostlist_fail(p->eb, s, len, "contains a NUL byte");
	}
	for (pos = 0, lineno = 1; pos < n; pos = end + 1, lineno++) {
		nl = memchr(buf + pos, '\n', n - pos);
		end = nl != NULL ? (size_t)(nl - buf) : n;
		trim(buf + pos, end - pos, &off, &llen);
		if (llen == 0 || buf[pos + off] == '#') {
			continue;
		}
		if (push_expr(p, buf + pos + off, llen, 1) == -1) {
			snprintf(inner, sizeof(inner), "%s", p->eb->msg);
			return hostlist_fail(p->eb, s, len, "line %zu: %s",
			    lineno, inner);
		}
	}
	return 0;
}

static int
push_file(struct hl_push *p, const char *s, size_t len)
{
	char *path, *buf = NULL;
	size_t n = 0;
	int rc = -1;

	if (len == 1) {
		return hostlist_fail(p->eb, s, len, "empty file name");
	}
	if ((path = strndup(s + 1, len - 1)) == NULL) {
		return err_set(p->eb, "out of memory");
	}
	if (read_file(path, s, len, &buf, &n, p->eb) == 0) {
		rc = push_lines(p, s, len, buf, n);
	}
	free(buf);
	free(path);
	return rc;
}

static int
push_expr(struct hl_push *p, const char *s, size_t len, int infile)
{
	size_t pos = 0, off, ilen;
	const char *item;
	int rc;

	while (hostlist_next_item(s, len, &pos, &off, &ilen)) {
		item = s + off;
		if (ilen == 0) {
			continue;
		}
		if (item[0] != '^') {
			rc = hostlist_parse_spec(p, item, ilen);
		} else if (infile) {
			rc = hostlist_fail(p->eb, item, ilen,
			    "a host file cannot name another host file");
		} else {
			rc = push_file(p, item, ilen);
		}
		if (rc == -1) {
			return -1;
		}
	}
	return 0;
}

/* Move the new hosts into hl; nothing can fail once the first one moved. */
static int
commit(struct hl_push *p, struct hostlist *hl)
{
	size_t i;

	if (p->add.n > HOSTLIST_MAX - hl->n) {
		return hostlist_fail(p->eb, p->expr, strlen(p->expr),
		    "list would hold more than %d hosts", HOSTLIST_MAX);
	}
	if (hostlist_set_reserve(hl, hl->n + p->add.n) == -1) {
		return err_set(p->eb, "out of memory");
	}
	for (i = 0; i < p->add.n; i++) {
		hostlist_set_append(hl, p->add.host[i]);
		p->add.host[i] = NULL;
	}
	p->add.n = 0;
	return 0;
}

int
hostlist_push(struct hostlist *hl, const char *expr, struct errbuf *eb)
{
	struct errbuf scratch;
	struct hl_push p;
	int rc = -1;

	memset(&p, 0, sizeof(p));
	if (eb == NULL) {
		eb = &scratch;
	}
	p.dst = hl;
	p.expr = expr;
	p.eb = eb;
	if (push_expr(&p, expr, strlen(expr), 0) == 0 && commit(&p, hl) == 0) {
		rc = 0;
	}
	hostlist_set_clear(&p.add);
	return rc;
}

int
hostlist_push_host(struct hostlist *hl, const char *host, struct errbuf *eb)
{
	size_t len = strlen(host);

	if (hostlist_check_literal(host, len, eb) == -1) {
		return -1;
	}
	if (hostlist_set_find(hl, host, len) != HOSTLIST_NONE) {
		return 0;
	}
	if (hl->n >= HOSTLIST_MAX) {
		return hostlist_fail(eb, host, len,
		    "list would hold more than %d hosts", HOSTLIST_MAX);
	}
	if (hostlist_set_add(hl, host, len, NULL) == -1) {
		return err_set(eb, "out of memory");
	}
	return 0;
}
