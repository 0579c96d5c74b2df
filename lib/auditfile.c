#include "config.h"

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <zlib.h>

#include "auditfile.h"
#include "spawn.h"

#define NAME_MAX_BYTES	(PATH_MAX + 32)	/* PATH.NNNN.gz.tmp */

static int	open_path(struct auditfile *, struct errbuf *);
static int	backup_name(const struct auditfile *, int, int, char *, size_t,
		    struct errbuf *);
static int	shift_backups(const struct auditfile *, struct errbuf *);
static int	gzip_leftover(const struct auditfile *, struct errbuf *);
static size_t	fitting(const char *, size_t, uint64_t);
static int	gzip_file(const char *, const char *, struct errbuf *);

int
auditfile_open(struct auditfile *af, const char *path, uint64_t max_size, int backups,
    int gzip, struct errbuf *eb)
{
	memset(af, 0, sizeof(*af));
	af->path = path;
	af->fd = -1;
	af->max_size = max_size;
	af->backups = backups < 0 ? 0 : backups > AUDITFILE_BACKUPS_MAX ?
	    AUDITFILE_BACKUPS_MAX : backups;
	af->gzip = gzip;
	if (strcmp(path, "-") == 0) {
		af->is_stdout = 1;
		af->fd = STDOUT_FILENO;
		if (fcntl(af->fd, F_GETFD) == -1)
			return err_set_sys(eb, "open stdout");
		return 0;
	}
	if (strlen(path) >= PATH_MAX) {
		errno = ENAMETOOLONG;
		return err_set_sys(eb, "open %s", path);
	}
	return open_path(af, eb);
}

/*
 * Created with O_EXCL so we know when to force mode 0600 past the umask;
 * an existing file is opened without O_CREAT and keeps its mode.
 * O_NONBLOCK keeps a FIFO planted at PATH from blocking the open.
 */
static int
open_path(struct auditfile *af, struct errbuf *eb)
{
	const int flags = O_WRONLY | O_APPEND | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK;
	struct stat st;
	int created = 0, tries, fd = -1;

	for (tries = 0; tries < 3 && fd < 0; tries++) {
		fd = open(af->path, flags | O_CREAT | O_EXCL, 0600);
		created = fd >= 0;
		if (fd < 0 && errno == EEXIST)
			fd = open(af->path, flags);
		if (fd < 0 && errno != ENOENT)
			break;
	}
	if (fd < 0) {
		int saved = errno;

		if (lstat(af->path, &st) == 0 && S_ISLNK(st.st_mode))
			return err_set(eb, "open %s: is a symbolic link, refused", af->path);
		if (lstat(af->path, &st) == 0 && !S_ISREG(st.st_mode))
			return err_set(eb, "open %s: not a regular file", af->path);
		errno = saved;
		return err_set_sys(eb, "open %s", af->path);
	}
	if (fstat(fd, &st) != 0) {
		err_set_sys(eb, "open %s", af->path);
	} else if (!S_ISREG(st.st_mode)) {
		err_set(eb, "open %s: not a regular file", af->path);
	} else if (fcntl(fd, F_SETFL, O_APPEND) != 0 ||
	    (created && fchmod(fd, 0600) != 0)) {
		err_set_sys(eb, "open %s", af->path);
	} else {
		af->fd = fd;
		af->size = (uint64_t)st.st_size;
		return 0;
	}
	close(fd);
	return -1;
}
int
auditfile_reopen(struct auditfile *af, struct errbuf *eb)
{
	if (af->is_stdout)
		return 0;
	if (auditfile_close(af, eb) != 0)
		return -1;
	return open_path(af, eb);
}

int
auditfile_close(struct auditfile *af, struct errbuf *eb)
{
	int fd = af->fd;

	af->fd = -1;
	if (af->is_stdout || fd < 0)
		return 0;
	if (close(fd) != 0 && errno != EINTR)
		return err_set_sys(eb, "write %s", af->path);
	return 0;
}

/* PATH.i, PATH.i.gz or PATH.i.gz.tmp into buf. */
static int
backup_name(const struct auditfile *af, int i, int gz, char *buf, size_t len,
    struct errbuf *eb)
{
	int n = snprintf(buf, len, "%s.%d%s", af->path, i, gz ? ".gz" : "");

	if (n < 0 || (size_t)n >= len) {
		errno = ENAMETOOLONG;
		return err_set_sys(eb, "rename %s", af->path);
	}
	return 0;
}

/* PATH.N-1 -> PATH.N ... PATH.1 -> PATH.2, the old PATH.N replaced. */
static int
shift_backups(const struct auditfile *af, struct errbuf *eb)
{
	char from[NAME_MAX_BYTES], to[NAME_MAX_BYTES];
	int i;

	for (i = af->backups - 1; i >= 1; i--) {
		if (backup_name(af, i, af->gzip, from, sizeof(from), eb) != 0 ||
		    backup_name(af, i + 1, af->gzip, to, sizeof(to), eb) != 0)
			return -1;
		if (rename(from, to) != 0 && errno != ENOENT)
			return err_set_sys(eb, "rename %s", from);
	}
	return 0;
}

/*
 * A plain PATH.1 in gzip mode is what an earlier failed or interrupted
 * compression left: it is older than PATH, so it is compressed into its
 * own slot first.  Failing here is fatal, as renaming PATH over it would
 * lose it.
 */
static int
gzip_leftover(const struct auditfile *af, struct errbuf *eb)
{
	char plain[NAME_MAX_BYTES], gz[NAME_MAX_BYTES];
	struct stat st;

	if (backup_name(af, 1, 0, plain, sizeof(plain), eb) != 0 ||
	    backup_name(af, 1, 1, gz, sizeof(gz), eb) != 0)
		return -1;
	if (lstat(plain, &st) != 0)
		return errno == ENOENT ? 0 : err_set_sys(eb, "rename %s", plain);
	if (shift_backups(af, eb) != 0)
		return -1;
	return auditfile_gzip(plain, gz, eb);
}

int
auditfile_rotate(struct auditfile *af, struct errbuf *eb)
{
	char first[NAME_MAX_BYTES], gz[NAME_MAX_BYTES];
	int moved;

	if (af->is_stdout)
		return 0;
	if (auditfile_close(af, eb) != 0)
		return -1;
	if (af->backups == 0) {
		if (unlink(af->path) != 0 && errno != ENOENT)
			return err_set_sys(eb, "rename %s", af->path);
		return open_path(af, eb);
	}
	if (backup_name(af, 1, 0, first, sizeof(first), eb) != 0 ||
	    backup_name(af, 1, 1, gz, sizeof(gz), eb) != 0)
		return -1;
	if (af->gzip && gzip_leftover(af, eb) != 0)
		return -1;
	if (shift_backups(af, eb) != 0)
		return -1;
	moved = rename(af->path, first) == 0;
	if (!moved && errno != ENOENT)
		return err_set_sys(eb, "rename %s", af->path);
	if (open_path(af, eb) != 0)
		return -1;
	/* the new file takes writes again whatever the compression does */
	if (moved && af->gzip && auditfile_gzip(first, gz, eb) != 0)
		return 1;
	return 0;
}

/* The longest prefix of whole lines of data that fits in room bytes. */
static size_t
fitting(const char *data, size_t len, uint64_t room)
{
	const char *nl;

	if ((uint64_t)len <= room)
		return len;
	nl = memrchr(data, '\n', (size_t)room);
	return nl != NULL ? (size_t)(nl - data) + 1 : 0;
}

int
auditfile_write(struct auditfile *af, const char *data, size_t len, struct errbuf *eb)
{
	struct errbuf warn;
	const char *nl;
	size_t n;
	int r, ret = 0;

	while (len > 0) {
		n = len;
		if (!af->is_stdout && af->max_size > 0) {
			n = fitting(data, len, af->size < af->max_size ?
			    af->max_size - af->size : 0);
			if (n == 0 && af->size > 0) {
				if ((r = auditfile_rotate(af, &warn)) < 0) {
					*eb = warn;
					return -1;
				}
				if (r > 0) {
					*eb = warn;
					ret = 1;
				}
				continue;
			}
			if (n == 0) {
				/* bigger than the maximum: a file of its own */
				nl = memchr(data, '\n', len);
				n = nl != NULL ? (size_t)(nl - data) + 1 : len;
			}
		}
		if (spawn_write_all(af->fd, data, n) != 0)
			return err_set_sys(eb, "write %s", af->is_stdout ? "stdout" : af->path);
		af->size += n;
		data += n;
		len -= n;
	}
	return ret;
}

static int
gzip_copy(int in, gzFile gz, const char *src, struct errbuf *eb)
{
	char buf[32768];
	ssize_t n;
	int zerr;

	for (;;) {
		n = read(in, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return err_set_sys(eb, "gzip %s: read", src);
		if (n == 0)
			return 0;
		if (gzwrite(gz, buf, (unsigned)n) != (int)n) {
			const char *msg = gzerror(gz, &zerr);

			if (zerr == Z_ERRNO)
				return err_set_sys(eb, "gzip %s: write", src);
			return err_set(eb, "gzip %s: %s", src, msg);
		}
	}
}

/*
 * zlib's writes give up on EINTR, so the signals a poll loop catches are
 * held back while it runs (they are delivered as soon as it is done).
 */
int
auditfile_gzip(const char *src, const char *dst, struct errbuf *eb)
{
	sigset_t all, old;
	int ret;

	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, &old);
	ret = gzip_file(src, dst, eb);
	sigprocmask(SIG_SETMASK, &old, NULL);
	return ret;
}

static int
gzip_file(const char *src, const char *dst, struct errbuf *eb)
{
	char tmp[NAME_MAX_BYTES];
	int in = -1, out = -1, zfd = -1, ret = -1, zret, n;
	gzFile gz;

	n = snprintf(tmp, sizeof(tmp), "%s.tmp", dst);
	if (n < 0 || (size_t)n >= sizeof(tmp)) {
		errno = ENAMETOOLONG;
		return err_set_sys(eb, "gzip %s", src);
	}
	if ((in = open(src, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)) < 0)
		return err_set_sys(eb, "gzip %s", src);
	(void)unlink(tmp);
	out = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (out < 0 || fchmod(out, 0600) != 0) {
		err_set_sys(eb, "gzip %s: create %s", src, tmp);
		goto done;
	}
	if ((zfd = fcntl(out, F_DUPFD_CLOEXEC, 0)) < 0 ||
	    (gz = gzdopen(zfd, "wb")) == NULL) {
		err_set_sys(eb, "gzip %s", src);
		if (zfd >= 0)
			close(zfd);
		goto done;
	}
	if (gzip_copy(in, gz, src, eb) != 0) {
		(void)gzclose(gz);
		goto done;
	}
	errno = 0;
	if ((zret = gzclose(gz)) != Z_OK) {
		if (zret == Z_ERRNO && errno != 0)
			err_set_sys(eb, "gzip %s: write %s", src, tmp);
		else
			err_set(eb, "gzip %s: write %s: zlib error %d", src, tmp, zret);
		goto done;
	}
	if (fsync(out) != 0) {
		err_set_sys(eb, "gzip %s: sync %s", src, tmp);
		goto done;
	}
	if (rename(tmp, dst) != 0) {
		err_set_sys(eb, "gzip %s: rename %s", src, tmp);
		goto done;
	}
	if (unlink(src) != 0 && errno != ENOENT) {
		err_set_sys(eb, "gzip %s: remove", src);
		goto done;
	}
	ret = 0;
done:
	if (ret != 0 && out >= 0)
		(void)unlink(tmp);
	if (out >= 0)
		close(out);
	close(in);
	return ret;
}

int
auditfile_parse_size(const char *s, uint64_t *out, struct errbuf *eb)
{
	unsigned long long v;
	uint64_t mult = 1;
	char *end;

	if (*s < '0' || *s > '9')
		return err_set(eb, "\"%s\": not a size (digits and k, M or G)", s);
	errno = 0;
	v = strtoull(s, &end, 10);
	if (*end != '\0') {
		switch (*end) {
		case 'k': case 'K':
			mult = 1024;
			break;
		case 'm': case 'M':
			mult = 1024 * 1024;
			break;
		case 'g': case 'G':
			mult = 1024 * 1024 * 1024;
			break;
		default:
			return err_set(eb, "\"%s\": not a size (digits and k, M or G)", s);
		}
		if (end[1] != '\0')
			return err_set(eb, "\"%s\": not a size (digits and k, M or G)", s);
	}
	if (errno == ERANGE || v > UINT64_MAX / mult)
		return err_set(eb, "\"%s\": size too large", s);
	*out = (uint64_t)v * mult;
	return 0;
}
