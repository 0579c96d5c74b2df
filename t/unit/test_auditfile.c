/*
 * Unit tests of lib/linebuf and lib/auditfile: lines split across reads,
 * the overlong cap, a last line without LF; sizes with suffixes, rotation
 * between lines at the maximum, a line bigger than the maximum, backups
 * dropped past N, gzip round trips, a plain PATH.1 left by an interrupted
 * compression, and a symbolic link refused.
 */
#include "config.h"

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <zlib.h>

#include "tap.h"
#include "auditfile.h"
#include "linebuf.h"

static char dir[] = "/tmp/test_auditfile.XXXXXX";

/* Every result of lb over the bytes written so far, as text. */
static void
results(struct linebuf *lb, char *out, size_t len)
{
	enum linebuf_res r;
	unsigned long no;
	const char *line;
	size_t n, used = strlen(out);

	while ((r = linebuf_next(lb, &line, &n, &no)) == LINEBUF_LINE ||
	    r == LINEBUF_TOOLONG) {
		if (r == LINEBUF_LINE)
			used += (size_t)snprintf(out + used, len - used, "%lu:%.*s|", no,
			    (int)n, line);
		else
			used += (size_t)snprintf(out + used, len - used, "%lu:LONG|", no);
	}
	if (r == LINEBUF_END)
		snprintf(out + used, len - used, "END");
}

static void
test_linebuf(void)
{
	struct linebuf *lb = malloc(sizeof(*lb));
	char out[256] = "", big[40];
	int fds[2];

	if (pipe(fds) != 0)
		abort();
	linebuf_init(lb, 8);
	memset(big, 'x', sizeof(big));
	(void)!write(fds[1], "ab\n\ncd", 6);
	linebuf_fill(lb, fds[0]);
	results(lb, out, sizeof(out));
	is_str(out, "1:ab|2:|", "whole lines out, a partial one kept");
	(void)!write(fds[1], "e\n123456789", 11);
	linebuf_fill(lb, fds[0]);
	results(lb, out, sizeof(out));
	is_str(out, "1:ab|2:|3:cde|4:LONG|", "a line across two reads; the cap passed");
	(void)!write(fds[1], big, sizeof(big));
	(void)!write(fds[1], "\nok\n", 4);
	linebuf_fill(lb, fds[0]);
	results(lb, out, sizeof(out));
	is_str(out, "1:ab|2:|3:cde|4:LONG|5:ok|", "an overlong line skipped up to its LF");
	(void)!write(fds[1], "123456789\nlast", 14);
	close(fds[1]);
	while (linebuf_fill(lb, fds[0]) > 0)
		results(lb, out, sizeof(out));
	results(lb, out, sizeof(out));
	is_str(out, "1:ab|2:|3:cde|4:LONG|5:ok|6:LONG|7:last|END",
	    "a whole overlong line; the last line without LF");
	close(fds[0]);
	free(lb);
}

static void
test_size(void)
{
	struct errbuf eb;
	uint64_t v = 0;

	ok(auditfile_parse_size("100", &v, &eb) == 0 && v == 100, "plain size");
	ok(auditfile_parse_size("2k", &v, &eb) == 0, "k");
	is_long(v, 2048, "k is 1024");
	ok(auditfile_parse_size("100M", &v, &eb) == 0 && v == 104857600, "M");
	ok(auditfile_parse_size("1G", &v, &eb) == 0 && v == 1073741824, "G");
	ok(auditfile_parse_size("1x", &v, &eb) == -1, "bad suffix");
	ok(auditfile_parse_size("1kk", &v, &eb) == -1, "two suffixes");
	ok(auditfile_parse_size("-1", &v, &eb) == -1, "negative");
	ok(auditfile_parse_size("99999999999999999999", &v, &eb) == -1, "overflow");
	ok(auditfile_parse_size("17179869184G", &v, &eb) == -1, "overflow by suffix");
}

/* A path in dir; four live at once (auditfile borrows its path: keep()). */
static char *
path(const char *name)
{
	static char buf[4][256];
	static int i;

	i = (i + 1) % 4;
	snprintf(buf[i], sizeof(buf[i]), "%s/%s", dir, name);
	return buf[i];
}

static char *
keep(const char *p)
{
	static char buf[4][256];
	static int i;

	i = (i + 1) % 4;
	snprintf(buf[i], sizeof(buf[i]), "%s", p);
	return buf[i];
}

/* The file's content (plain or gzip) into out; -1 when missing. */
static long
content(const char *p, char *out, size_t len)
{
	gzFile gz = gzopen(p, "rb");
	int n;

	if (gz == NULL)
		return -1;
	n = gzread(gz, out, (unsigned)len - 1);
	gzclose(gz);
	out[n < 0 ? 0 : n] = '\0';
	return n;
}

static void
test_rotation(void)
{
	struct auditfile af;
	struct errbuf eb;
	struct stat st;
	char got[256];

	ok(auditfile_open(&af, keep(path("a")), 10, 2, 1, &eb) == 0, "open");
	ok(stat(path("a"), &st) == 0 && (st.st_mode & 0777) == 0600, "mode 0600");
	ok(auditfile_write(&af, "1111\n2222\n3333\n", 15, &eb) == 0, "three lines");
	content(path("a"), got, sizeof(got));
	is_str(got, "3333\n", "PATH has the line that did not fit");
	content(path("a.1.gz"), got, sizeof(got));
	is_str(got, "1111\n2222\n", "PATH.1.gz the first ten bytes");
	ok(access(path("a.1"), F_OK) != 0, "no plain PATH.1 left");
	ok(auditfile_write(&af, "4444\n", 5, &eb) == 0, "fits exactly");
	ok(auditfile_write(&af, "too long for one file\n5\n", 24, &eb) == 0, "oversize line");
	content(path("a"), got, sizeof(got));
	is_str(got, "5\n", "after the oversize line");
	content(path("a.1.gz"), got, sizeof(got));
	is_str(got, "too long for one file\n", "the oversize line alone");
	content(path("a.2.gz"), got, sizeof(got));
	is_str(got, "3333\n4444\n", "the older backup shifted");
	ok(access(path("a.3.gz"), F_OK) != 0, "no third backup");
	auditfile_close(&af, &eb);

	/* a plain PATH.1 left over in gzip mode goes before PATH */
	int fd = open(path("a.1"), O_WRONLY | O_CREAT | O_TRUNC, 0600);
	(void)!write(fd, "left\n", 5);
	close(fd);
	ok(auditfile_open(&af, keep(path("a")), 4, 5, 1, &eb) == 0, "reopen");
	ok(auditfile_write(&af, "6666\n", 5, &eb) == 0, "rotates with a leftover");
	content(path("a.1.gz"), got, sizeof(got));
	is_str(got, "5\n", "PATH.1.gz: the old PATH");
	content(path("a.2.gz"), got, sizeof(got));
	is_str(got, "left\n", "PATH.2.gz: the leftover");
	content(path("a.3.gz"), got, sizeof(got));
	is_str(got, "too long for one file\n", "PATH.3.gz");
	auditfile_close(&af, &eb);
}

static void
test_plain_and_zero(void)
{
	struct auditfile af;
	struct errbuf eb;
	char got[256];

	ok(auditfile_open(&af, keep(path("p")), 6, 1, 0, &eb) == 0, "open plain");
	ok(auditfile_write(&af, "aaaaa\nbbbbb\nccccc\n", 18, &eb) == 0, "write plain");
	content(path("p.1"), got, sizeof(got));
	is_str(got, "bbbbb\n", "PATH.1 plain; the oldest dropped");
	ok(access(path("p.2"), F_OK) != 0, "one backup only");
	auditfile_close(&af, &eb);
	ok(auditfile_open(&af, keep(path("z")), 6, 0, 1, &eb) == 0, "open, no backups");
	ok(auditfile_write(&af, "aaaaa\nbbbbb\n", 12, &eb) == 0, "write");
	content(path("z"), got, sizeof(got));
	is_str(got, "bbbbb\n", "no backups: the old content is gone");
	ok(access(path("z.1.gz"), F_OK) != 0, "and no PATH.1.gz");
	auditfile_close(&af, &eb);
}

static void
test_refused(void)
{
	struct auditfile af;
	struct errbuf eb;
	char want[512];

	if (symlink(path("target"), path("link")) != 0)
		abort();
	ok(auditfile_open(&af, path("link"), 0, 0, 0, &eb) == -1, "a symlink is refused");
	snprintf(want, sizeof(want), "open %s: is a symbolic link, refused", path("link"));
	is_str(eb.msg, want, "and says so");
	ok(access(path("target"), F_OK) != 0, "its target was not created");
	ok(auditfile_open(&af, dir, 0, 0, 0, &eb) == -1, "a directory is refused");
	ok(auditfile_gzip(path("missing"), path("missing.gz"), &eb) == -1,
	    "gzip of a missing file fails");
	ok(access(path("missing.gz.tmp"), F_OK) != 0, "leaving no temp file");
}

int
main(void)
{
	char cmd[300];

	if (mkdtemp(dir) == NULL)
		abort();
	test_linebuf();
	test_size();
	test_rotation();
	test_plain_and_zero();
	test_refused();
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	(void)!system(cmd);
	return tap_done();
}
