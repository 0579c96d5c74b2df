#include "config.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "linebuf.h"

void
linebuf_init(struct linebuf *lb, size_t max)
{
	lb->max = max < LINEBUF_CAP ? max : LINEBUF_CAP - 1;
	lb->start = 0;
	lb->end = 0;
	lb->skipping = 0;
	lb->eof = 0;
	lb->lineno = 0;
}

long
linebuf_fill(struct linebuf *lb, int fd)
{
	ssize_t n;

	if (lb->end >= sizeof(lb->buf)) {
		errno = ENOBUFS;
		return -1;
	}
	do {
		n = read(fd, lb->buf + lb->end, sizeof(lb->buf) - lb->end);
	} while (n < 0 && errno == EINTR);
	if (n < 0)
		return -1;
	if (n == 0)
		lb->eof = 1;
	lb->end += (size_t)n;
	return (long)n;
}

void
linebuf_finish(struct linebuf *lb)
{
	lb->eof = 1;
}

/* Drop the rest of an overlong line; 1 when its LF was found. */
static int
skip(struct linebuf *lb)
{
	char *p = lb->buf + lb->start;
	char *nl = memchr(p, '\n', lb->end - lb->start);

	if (nl == NULL) {
		lb->start = lb->end = 0;
		return 0;
	}
	lb->start += (size_t)(nl - p) + 1;
	lb->skipping = 0;
	return 1;
}

enum linebuf_res
linebuf_next(struct linebuf *lb, const char **line, size_t *len, unsigned long *lineno)
{
	char *p, *nl;
	size_t avail;

	if (lb->skipping && !skip(lb))
		return lb->eof ? LINEBUF_END : LINEBUF_AGAIN;
	p = lb->buf + lb->start;
	avail = lb->end - lb->start;
	nl = memchr(p, '\n', avail);
	if (nl != NULL || avail > lb->max || (lb->eof && avail > 0)) {
		*lineno = ++lb->lineno;
		if (nl == NULL && avail > lb->max) {
			/* the cap passed before the LF: skip what follows */
			lb->skipping = 1;
			lb->start = lb->end = 0;
			return LINEBUF_TOOLONG;
		}
		*len = nl != NULL ? (size_t)(nl - p) : avail;
		lb->start += *len + (nl != NULL);
		if (*len > lb->max)
			return LINEBUF_TOOLONG;
		*line = p;
		return LINEBUF_LINE;
	}
	if (lb->eof)
		return LINEBUF_END;
	if (lb->start > 0) {
		memmove(lb->buf, p, avail);
		lb->start = 0;
		lb->end = avail;
	}
	return LINEBUF_AGAIN;
}
