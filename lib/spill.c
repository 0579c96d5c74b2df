#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "spawn.h"
#include "spill.h"

void
spill_init(struct spill *s)
{
	s->mem = NULL;
	s->len = 0;
	s->fd = -1;
	s->flen = 0;
}

static int
tmpfile_fd(void)
{
	const char *dir = getenv("TMPDIR");
	char path[4096];
	int fd;

	if (dir == NULL || *dir == '\0')
		dir = "/tmp";
	fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
	if (fd >= 0)
		return fd;
	snprintf(path, sizeof(path), "%s/bssh-spill.XXXXXX", dir);
	fd = mkostemp(path, O_CLOEXEC);
	if (fd >= 0)
		unlink(path);
	return fd;
}

int
spill_append(struct spill *s, const void *buf, size_t len)
{
	if (s->fd < 0 && s->len + len <= SPILL_MEM_MAX) {
		if (s->mem == NULL && (s->mem = malloc(SPILL_MEM_MAX)) == NULL)
			return -1;
		memcpy(s->mem + s->len, buf, len);
		s->len += len;
		return 0;
	}
	if (s->fd < 0) {
		if ((s->fd = tmpfile_fd()) < 0)
			return -1;
		if (spawn_write_all(s->fd, s->mem, s->len) != 0)
			return -1;
		s->flen = (off_t)s->len;
		free(s->mem);
		s->mem = NULL;
		s->len = 0;
	}
	if (spawn_write_all(s->fd, buf, len) != 0)
		return -1;
	s->flen += (off_t)len;
	return 0;
}

off_t
spill_size(const struct spill *s)
{
	return s->fd >= 0 ? s->flen : (off_t)s->len;
}

int
spill_last(const struct spill *s)
{
	unsigned char c;

	if (s->fd >= 0)
		return s->flen > 0 && pread(s->fd, &c, 1, s->flen - 1) == 1 ? c : -1;
	return s->len > 0 ? (unsigned char)s->mem[s->len - 1] : -1;
}

static int
copy_file(int from, off_t len, int to)
{
	char buf[65536];
	off_t off = 0;

	while (off < len) {
		ssize_t n = pread(from, buf, sizeof(buf), off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		if (spawn_write_all(to, buf, (size_t)n) != 0)
			return -1;
		off += n;
	}
	return 0;
}

int
spill_flush(struct spill *s, int fd)
{
	int rc = 0;

	if (s->fd >= 0)
		rc = copy_file(s->fd, s->flen, fd);
	else if (s->len > 0)
		rc = spawn_write_all(fd, s->mem, s->len);
	spill_free(s);
	return rc;
}

void
spill_free(struct spill *s)
{
	int saved = errno;

	free(s->mem);
	if (s->fd >= 0)
		close(s->fd);
	spill_init(s);
	errno = saved;
}

int
spill_spool(int fd)
{
	char buf[65536];
	ssize_t n;
	int out = tmpfile_fd(), saved;

	if (out < 0)
		return -1;
	for (;;) {
		n = read(fd, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 || (n > 0 && spawn_write_all(out, buf, (size_t)n) != 0))
			break;
		if (n == 0)
			return out;
	}
	saved = errno;
	close(out);
	errno = saved;
	return -1;
}
