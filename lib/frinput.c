/*
 * frinput: bounded reading of the client's protocol stream.  See frinput.h.
 */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <string.h>
#include <unistd.h>

#include "frinput.h"
#include "utf8.h"
#include "timeutil.h"

void
frin_init(struct fr_input *in, int fd)
{
	memset(in, 0, sizeof(*in));
	in->fd = fd;
}

/* Refill the empty buffer, waiting no later than the deadline. */
static enum fr_read
fill(struct fr_input *in, struct errbuf *eb)
{
	struct pollfd pfd;
	int64_t left;
	ssize_t n;
	int rc;

	if (in->eof)
		return FR_READ_EOF;
	for (;;) {
		if (in->deadline > 0) {
			left = in->deadline - time_now_ms();
			if (left <= 0)
				return FR_READ_TIMEOUT;
			pfd.fd = in->fd;
			pfd.events = POLLIN;
			rc = poll(&pfd, 1, left > 60000 ? 60000 : (int)left);
			if (rc < 0 && errno != EINTR)
				return err_set_sys(eb, "I/O error: poll"), FR_READ_ERROR;
			if (rc <= 0)
				continue;
		}
		n = read(in->fd, in->buf, sizeof(in->buf));
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n < 0)
			return err_set_sys(eb, "I/O error: read"), FR_READ_ERROR;
		if (n == 0) {
			in->eof = 1;
			return FR_READ_EOF;
		}
		in->off = 0;
		in->len = (size_t)n;
		return FR_READ_OK;
	}
}

enum fr_read
frin_byte(struct fr_input *in, unsigned char *c, struct errbuf *eb)
{
	enum fr_read r;

	if (in->off == in->len && (r = fill(in, eb)) != FR_READ_OK)
		return r;
	*c = in->buf[in->off++];
	return FR_READ_OK;
}

enum fr_read
frin_exact(struct fr_input *in, char *dst, size_t n, struct errbuf *eb)
{
	enum fr_read r;
	size_t k;

	while (n > 0) {
		if (in->off == in->len && (r = fill(in, eb)) != FR_READ_OK) {
			if (r == FR_READ_EOF) {
				err_set(eb, "unexpected EOF");
				return FR_READ_ERROR;
			}
			return r;
		}
		k = in->len - in->off < n ? in->len - in->off : n;
		memcpy(dst, in->buf + in->off, k);
		in->off += k;
		dst += k;
		n -= k;
	}
	return FR_READ_OK;
}

/* Consume through the next LF, counting; the count of a too-long line. */
static enum fr_read
skip_line(struct fr_input *in, size_t *count, struct errbuf *eb)
{
	unsigned char *lf;
	enum fr_read r;

	for (;;) {
		if (in->off == in->len && (r = fill(in, eb)) != FR_READ_OK)
			return r == FR_READ_EOF ? FR_READ_OK : r;
		lf = memchr(in->buf + in->off, '\n', in->len - in->off);
		if (lf != NULL) {
			*count += (size_t)(lf - (in->buf + in->off)) + 1;
			in->off = (size_t)(lf - in->buf) + 1;
			return FR_READ_OK;
		}
		*count += in->len - in->off;
		in->off = in->len;
	}
}

enum fr_read
frin_line(struct fr_input *in, char *line, size_t *len, struct errbuf *eb)
{
	unsigned char c;
	enum fr_read r;
	size_t n = 0, bad;

	for (;;) {
		r = frin_byte(in, &c, eb);
		if (r == FR_READ_EOF && n > 0)
			break;
		if (r != FR_READ_OK)
			return r;
		if (n == FR_LINE_MAX) {
			/* 4096 bytes and still no end: the line is too long. */
			n++;
			if (c != '\n' && (r = skip_line(in, &n, eb)) != FR_READ_OK)
				return r;
			err_set(eb, "line too long (%zu chars, max %d)", n, FR_LINE_MAX);
			return FR_READ_ERROR;
		}
		line[n++] = (char)c;
		if (c == '\n')
			break;
	}
	if (n > 0 && line[n - 1] == '\n')
		n--;
	while (n > 0 && line[n - 1] == '\r')
		n--;
	line[n] = '\0';
	*len = n;
	if (!utf8_valid(line, n, &bad)) {
		err_set(eb, "I/O error: stream did not contain valid UTF-8");
		return FR_READ_ERROR;
	}
	return FR_READ_OK;
}
