/*
 * linebuf: a bounded line splitter over read(2).
 *
 * Bytes are read from an fd into one fixed buffer and handed out as whole
 * lines (without their LF), numbered from 1.  A line longer than the cap
 * is reported once, as soon as it passes the cap, and then skipped up to
 * and including its LF, so memory stays bounded whatever the writer does.
 * A final line without LF counts as a line at end of input.
 *
 * Unlike events_reader (which parses and hands out jansson objects), the
 * caller gets the raw bytes and the line number, for programs that keep a
 * line exactly as received.  Nothing here prints or exits.
 */
#ifndef BSSH_LINEBUF_H
#define BSSH_LINEBUF_H

#include <stddef.h>

#define LINEBUF_CAP	65536	/* bytes read ahead at most */

enum linebuf_res {
	LINEBUF_AGAIN,		/* no whole line buffered: fill first */
	LINEBUF_LINE,		/* a line */
	LINEBUF_TOOLONG,	/* a line passed the cap; it is being skipped */
	LINEBUF_END		/* end of input and nothing left */
};

struct linebuf {
	size_t		 max;		/* longest line kept, LF excluded */
	size_t		 start;		/* first unconsumed byte */
	size_t		 end;		/* one past the last byte read */
	int		 skipping;	/* inside an overlong line */
	int		 eof;		/* read(2) said 0, or linebuf_finish */
	unsigned long	 lineno;	/* number of the last line handed out */
	char		 buf[LINEBUF_CAP];
};

/* Set up lb for lines of at most max bytes (max < LINEBUF_CAP). */
void	linebuf_init(struct linebuf *lb, size_t max);

/*
 * read(2) once from fd into the free space (EINTR retried).  Returns the
 * number of bytes read, 0 at end of input (then linebuf_next hands out a
 * last line without LF), or -1 with errno (EAGAIN included).  Call it only
 * after linebuf_next said LINEBUF_AGAIN, which guarantees free space.
 */
long	linebuf_fill(struct linebuf *lb, int fd);

/*
 * Treat the input as ended (a signal asked us to stop): what is buffered
 * becomes the last line.
 */
void	linebuf_finish(struct linebuf *lb);

/*
 * The next result.  For LINEBUF_LINE, *line and *len are the line without
 * its LF (not NUL-terminated, valid until the next linebuf_next or
 * linebuf_fill: copy it before asking for more); for
 * LINEBUF_LINE and LINEBUF_TOOLONG *lineno is its number.
 */
enum linebuf_res linebuf_next(struct linebuf *lb, const char **line, size_t *len,
	    unsigned long *lineno);

#endif
