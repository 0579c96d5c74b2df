/*
 * auditfile: the file exporter of the audit sink.  JSON Lines appended to
 * one file that is opened once and kept open, rotated by size:
 *
 *   PATH.N-1.gz -> PATH.N.gz ... PATH.1.gz -> PATH.2.gz, PATH -> PATH.1,
 *   PATH.1 compressed into PATH.1.gz (gzip, mode 0600), PATH.1 removed
 *
 * (without gzip the backups are PATH.1 .. PATH.N).  A rotation happens
 * before a write would take PATH past the maximum size, always between two
 * lines, so every line is whole in exactly one file; a line bigger than the
 * maximum gets a file of its own.  Compression runs synchronously inside
 * the write that rotates: nothing is written meanwhile, so nothing is
 * reordered.  Data is written, never fsync'ed, except a compressed backup,
 * which is synced before its plain source is removed.
 *
 * Nothing here prints or exits; failures come back in a struct errbuf as
 * "open PATH: why", "write PATH: why", "rename A: why" or "gzip A: why".
 */
#ifndef BSSH_AUDITFILE_H
#define BSSH_AUDITFILE_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

#define AUDITFILE_BACKUPS_MAX	1000

struct auditfile {
	const char	*path;		/* borrowed; "-" is standard output */
	int		 fd;		/* -1 when closed */
	int		 is_stdout;	/* no rotation, no reopening */
	int		 gzip;		/* compress backups */
	int		 backups;	/* 0 .. AUDITFILE_BACKUPS_MAX */
	uint64_t	 max_size;	/* 0: never rotate */
	uint64_t	 size;		/* bytes in the file now */
};

/*
 * Open path for appending (created with mode 0600; a symbolic link or
 * anything but a regular file is refused).  "-" means fd 1.  path is
 * borrowed for the life of af.  0 or -1 with eb set.
 */
int	auditfile_open(struct auditfile *af, const char *path, uint64_t max_size,
	    int backups, int gzip, struct errbuf *eb);

/*
 * Append data, which is whole LF-terminated lines, rotating between lines
 * as needed; each run of lines that goes to one file is one write(2)
 * (more only after a short write).  Returns 0; 1 when everything was
 * written but compressing a backup failed (eb says why, the backup stays
 * uncompressed as PATH.1 and the next rotation compresses it first); -1
 * with eb set when data could not be written (or a rotation could not be
 * done without losing a backup) -- af is then unusable.
 */
int	auditfile_write(struct auditfile *af, const char *data, size_t len,
	    struct errbuf *eb);

/*
 * Rotate now, as described above, and open a new PATH.  Returns like
 * auditfile_write.
 */
int	auditfile_rotate(struct auditfile *af, struct errbuf *eb);

/*
 * Close and open PATH again (after an external rename by logrotate).  A
 * no-op for standard output.  0 or -1 with eb set.
 */
int	auditfile_reopen(struct auditfile *af, struct errbuf *eb);

/* Close the file (never fd 1).  0 or -1 with eb set. */
int	auditfile_close(struct auditfile *af, struct errbuf *eb);

/*
 * Compress src into dst in gzip format: written to "dst.tmp" (mode 0600),
 * synced, renamed to dst, then src is removed.  Signals are blocked
 * meanwhile (zlib does not retry an interrupted write) and delivered
 * after.  0 or -1 with eb set and src left alone.
 */
int	auditfile_gzip(const char *src, const char *dst, struct errbuf *eb);

/*
 * A size in bytes: decimal digits with an optional k, M or G suffix (powers
 * of 1024, either case).  0 or -1 with eb set.
 */
int	auditfile_parse_size(const char *s, uint64_t *out, struct errbuf *eb);

#endif
