/*
 * hostlist: the list object and hostlist_push; see hostlist.h for the
 * grammar.  One spec is checked in hostspec.c and expanded in hostrange.c;
 * the storage is a strset.
 *
 * hostlist_push expands into a scratch set and moves the new strings over
 * only once everything has succeeded, so a failed push leaves the list as
 * it was.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "err.h"
#include "hostlist.h"
#include "slurp.h"
#include "hostrange.h"
#include "hostspec.h"
#include "strset.h"

struct hostlist {
	struct strset	set;
};

/* One hostlist_push in progress. */
struct hl_push {
	struct hostrange_sink	 sink;	/* skip = the list, read only */
	struct errbuf		*eb;
};

static int	is_space(char);
static void	trim(const char *, size_t, size_t *, size_t *);
static int	read_file(const char *, const char *, size_t, char **, size_t *,
		    struct errbuf *);
static int	push_lines(struct hl_push *, const char *, size_t, const char *,
		    size_t);
static int	push_file(struct hl_push *, const char *, size_t);
static int	push_expr(struct hl_push *, const char *, size_t, int);
static int	commit(struct hl_push *, struct hostlist *);


struct hostlist *
hostlist_new(void)
{
	struct hostlist *hl;

	if ((hl = malloc(sizeof(*hl))) != NULL) {
		strset_init(&hl->set);
	}
	return hl;
}

void
hostlist_free(struct hostlist *hl)
{
	if (hl == NULL) {
		return;
	}
	strset_clear(&hl->set);
	free(hl);
}

size_t
hostlist_count(const struct hostlist *hl)
{
	return hl->set.n;
}

const char *
hostlist_nth(const struct hostlist *hl, size_t i)
{
	return i < hl->set.n ? hl->set.str[i] : NULL;
}

int
hostlist_contains(const struct hostlist *hl, const char *host)
{
	return strset_find(&hl->set, host, strlen(host)) != STRSET_NONE;
}

void
hostlist_retain(struct hostlist *hl, int (*keep)(const char *, void *),
    void *arg)
{
	strset_retain(&hl->set, keep, arg);
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
read_file(const char *path, const char *s, size_t len, char **bufp,
    size_t *np, struct errbuf *eb)
{
	int fd, rc;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY)) == -1) {
		return hostspec_fail_sys(eb, s, len, "open");
	}
	rc = slurp_fd(fd, HOSTLIST_FILE_MAX, bufp, np);
	if (rc != 0 && errno == EFBIG) {
		hostspec_fail(eb, s, len, "larger than %d bytes", HOSTLIST_FILE_MAX);
	} else if (rc != 0) {
		hostspec_fail_sys(eb, s, len, "read");
	}
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
		return hostspec_fail(p->eb, s, len, "contains a NUL byte");
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
			return hostspec_fail(p->eb, s, len, "line %zu: %s",
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
		return hostspec_fail(p->eb, s, len, "empty file name");
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
			rc = hostrange_expand(item, ilen, &p->sink, p->eb);
		} else if (infile) {
			rc = hostspec_fail(p->eb, item, ilen,
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
	const char *expr = p->sink.expr;

	if (p->sink.add.n > HOSTLIST_MAX - hl->set.n) {
		return hostspec_fail(p->eb, expr, strlen(expr),
		    "list would hold more than %d hosts", HOSTLIST_MAX);
	}
	if (strset_merge(&hl->set, &p->sink.add) == -1) {
		return err_set(p->eb, "out of memory");
	}
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
	strset_init(&p.sink.add);
	p.sink.skip = &hl->set;
	p.sink.expr = expr;
	p.eb = eb;
	if (push_expr(&p, expr, strlen(expr), 0) == 0 && commit(&p, hl) == 0) {
		rc = 0;
	}
	strset_clear(&p.sink.add);
	return rc;
}

int
hostlist_push_host(struct hostlist *hl, const char *host, struct errbuf *eb)
{
	size_t len = strlen(host);

	if (hostspec_check_literal(host, len, eb) == -1) {
		return -1;
	}
	if (strset_find(&hl->set, host, len) != STRSET_NONE) {
		return 0;
	}
	if (hl->set.n >= HOSTLIST_MAX) {
		return hostspec_fail(eb, host, len,
		    "list would hold more than %d hosts", HOSTLIST_MAX);
	}
	if (strset_add(&hl->set, host, len, NULL) == -1) {
		return err_set(eb, "out of memory");
	}
	return 0;
}
