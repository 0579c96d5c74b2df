/*
 * events: JSON lines, written and read with jansson.
 *
 * One compact JSON object per line, each written with a single write(2)
 * so lines from several writers on one pipe never interleave (lines stay
 * under PIPE_BUF when the payload is small; data events are chunked by
 * their producers).  Readers cap a line at EVENTS_LINE_MAX bytes: a longer
 * line is dropped whole and counted, never half-parsed.
 */
#ifndef BSSH_EVENTS_H
#define BSSH_EVENTS_H

#include <stddef.h>

#include <jansson.h>

#include "err.h"

#define EVENTS_LINE_MAX	8192

/* Write obj as one line on fd.  obj is borrowed.  0 or -1 (errno set). */
int	events_write(int fd, const json_t *obj);

/*
 * json_pack(fmt, ...) and write the result as one line on fd.  A negative
 * fd is a no-op that returns 0, so callers need not test for "no status
 * fd".  0 or -1.
 */
int	events_pack(int fd, const char *fmt, ...);

/*
 * Set obj[key] to data: a JSON string when data is valid UTF-8 without
 * NUL bytes, otherwise obj[key "_base64"] with the base64 encoding.
 * 0 or -1 when out of memory.
 */
int	events_set_data(json_t *obj, const char *key, const void *data, size_t len);

/* An incremental line reader for a status fd. */
struct events_reader {
	char	buf[EVENTS_LINE_MAX];
	size_t	len;
	int	skipping;	/* inside an overlong line */
	unsigned long dropped;	/* overlong or unparsable lines */
};

typedef void events_fn(json_t *ev, void *arg);

void	events_reader_init(struct events_reader *r);

/*
 * Feed len bytes; call fn(ev, arg) for each complete line that parses as
 * a JSON object (fn borrows ev).  Other lines are dropped and counted.
 */
void	events_feed(struct events_reader *r, const char *data, size_t len,
	    events_fn *fn, void *arg);

/*
 * read(2) once from fd and feed what arrived.  Returns 1 at end of file,
 * 0 when more may come (including EAGAIN), -1 on a read error.
 */
int	events_read(struct events_reader *r, int fd, events_fn *fn, void *arg);

#endif
