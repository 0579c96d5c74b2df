/*
 * libFuzzer target for lib/frinput and lib/frproto: the input is a client's
 * whole stdin.  It is read the way frontiere-dispatch reads it: lines
 * classified, directives parsed, and when a `+ body' directive shows up
 * its body read in the mode it asks for.  Invariants (abort on failure):
 *   - a line is at most FR_LINE_MAX bytes, has no LF, ends without CR, and
 *     is valid UTF-8;
 *   - an error message is never empty;
 *   - `+ auth' gives token and proof inside the line;
 *   - a body is at most FR_BODY_MAX bytes and valid UTF-8, and in the
 *     combined size+stop mode at most min(size, FR_BODY_MAX) bytes.
 * The input reaches the reader through a memfd, as stdin would.
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
#include "frinput.h"
#include "frproto.h"
#include "utf8.h"

ERR_PROGRAM("fuzz_frproto");

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
check_body(struct fr_input *in, const struct fr_bodymode *m)
{
	struct errbuf eb;
	char *body;
	size_t len, bad, cap;
	enum fr_read r;

	eb.msg[0] = '\0';
	r = frproto_body(in, m, &body, &len, &eb);
	if (r == FR_READ_OK) {
		check(len <= FR_BODY_MAX, "body within the cap");
		check(utf8_valid(body, len, &bad), "body is UTF-8");
		if (m->has_size && m->has_stop) {
			cap = m->size < FR_BODY_MAX ? (size_t)m->size : FR_BODY_MAX;
			check(len <= cap, "combined body within size");
		}
	} else if (r == FR_READ_ERROR)
		check(eb.msg[0] != '\0', "body error has a message");
	free(body);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct fr_input in;
	char line[FR_LINE_MAX + 1];
	struct fr_directive d;
	struct errbuf eb;
	enum fr_read r;
	size_t len, bad;
	int fd, n;

	if ((fd = memfd_create("stdin", MFD_CLOEXEC)) < 0)
		return 0;
	if (write(fd, data, size) != (ssize_t)size || lseek(fd, 0, SEEK_SET) != 0) {
		close(fd);
		return 0;
	}
	frin_init(&in, fd);
	for (n = 0; n < 10000; n++) {
		eb.msg[0] = '\0';
		r = frin_line(&in, line, &len, &eb);
		if (r == FR_READ_ERROR)
			check(eb.msg[0] != '\0', "line error has a message");
		if (r != FR_READ_OK)
			break;
		check(len <= FR_LINE_MAX, "line length");
		check(memchr(line, '\n', len) == NULL, "no LF in a line");
		check(len == 0 || line[len - 1] != '\r', "no trailing CR");
		check(utf8_valid(line, len, &bad), "line is UTF-8");
		if (frproto_classify(line, len) != FRC_DIRECTIVE)
			continue;
		frproto_directive(line, len, &d);
		if (d.kind == FRD_AUTH) {
			check(d.token >= line && d.token + d.tokenlen <= line + len, "token in line");
			check(d.proof >= line && d.proof + d.prooflen <= line + len, "proof in line");
		}
		if (d.kind == FRD_BODY)
			check_body(&in, &d.body);
	}
	close(fd);
	return 0;
}
