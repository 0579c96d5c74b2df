/*
 * libFuzzer target for lib/linebuf.  The first byte sets the longest line
 * kept (1..256), the rest is the input, read through a memfd as from a
 * pipe.  Invariants (abort on failure):
 *   - a line is at most max bytes and holds no LF;
 *   - line numbers grow by one, over kept and too-long lines alike;
 *   - the bytes handed out never exceed the input;
 *   - the reader ends (LINEBUF_END) within a bounded number of calls.
 */
#define _GNU_SOURCE
#include "config.h"

#include <sys/mman.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "err.h"
#include "fuzzcheck.h"
#include "linebuf.h"

ERR_PROGRAM("fuzz_linebuf");

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct linebuf lb;
	unsigned long lineno, last = 0;
	enum linebuf_res r;
	const char *line;
	size_t len, max, out = 0, calls;
	int fd;

	if (size == 0)
		return 0;
	max = (size_t)data[0] + 1;
	if ((fd = memfd_create("in", MFD_CLOEXEC)) < 0)
		return 0;
	if (write(fd, data + 1, size - 1) != (ssize_t)(size - 1) || lseek(fd, 0, SEEK_SET) != 0) {
		close(fd);
		return 0;
	}
	linebuf_init(&lb, max);
	for (calls = 0; calls < 4 * size + 16; calls++) {
		r = linebuf_next(&lb, &line, &len, &lineno);
		if (r == LINEBUF_END)
			break;
		if (r == LINEBUF_AGAIN) {
			check(linebuf_fill(&lb, fd) >= 0, "fill");
			continue;
		}
		check(lineno == last + 1, "line numbers grow by one");
		last = lineno;
		if (r == LINEBUF_LINE) {
			check(len <= max, "line within max");
			check(memchr(line, '\n', len) == NULL, "no LF in a line");
			out += len;
		}
	}
	check(r == LINEBUF_END, "the reader ends");
	check(out <= size - 1, "no more bytes out than in");
	close(fd);
	return 0;
}
