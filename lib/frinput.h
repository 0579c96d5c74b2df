/*
 * frinput: the client's stdin read the way SSH-Frontiere frames it, with
 * every read bounded: lines of at most FR_LINE_MAX bytes (LF included),
 * raw byte runs for `+ body size=N', UTF-8 checked, and an optional
 * deadline so an idle client cannot hold the process forever.
 *
 * The reader is a plain read(2) buffer on one fd, never stdio, so a body
 * read by size takes exactly its bytes and nothing is read ahead into a
 * child.  Nothing here exits or prints.
 */
#ifndef BSSH_FRINPUT_H
#define BSSH_FRINPUT_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

#define FR_LINE_MAX	4096	/* bytes of a protocol line, LF included */

enum fr_read {
	FR_READ_OK,
	FR_READ_EOF,		/* end of input before any byte of a line */
	FR_READ_ERROR,		/* eb says why (protocol or I/O) */
	FR_READ_TIMEOUT		/* the deadline passed while waiting */
};

struct fr_input {
	int		 fd;
	int		 eof;
	int64_t		 deadline;	/* time_now_ms() deadline; 0: none */
	size_t		 off;
	size_t		 len;
	unsigned char	 buf[16384];
};

void	frin_init(struct fr_input *in, int fd);

/*
 * One protocol line into line (FR_LINE_MAX + 1 bytes), without its LF and
 * trailing CRs, NUL-terminated (it may hold NULs itself; *len counts
 * them).  A final line without LF counts.  Errors: "line too long (N
 * chars, max 4096)" (the rest of the line is consumed, counted, not kept)
 * and "I/O error: stream did not contain valid UTF-8".
 */
enum fr_read	frin_line(struct fr_input *in, char *line, size_t *len, struct errbuf *eb);

/*
 * The next byte (FR_READ_OK with *c set), EOF, error or timeout; the
 * primitive of unbounded-length readers that keep their own bounds.
 */
enum fr_read	frin_byte(struct fr_input *in, unsigned char *c, struct errbuf *eb);

/* Exactly n bytes into dst; EOF before that is "unexpected EOF". */
enum fr_read	frin_exact(struct fr_input *in, char *dst, size_t n, struct errbuf *eb);

#endif
