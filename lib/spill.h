/*
 * spill: an append-only byte buffer that keeps at most SPILL_MEM_MAX bytes
 * in memory and moves everything to an unlinked temporary file beyond
 * that, so holding back a node's 1 GiB of output costs a few KiB of RAM.
 */
#ifndef BSSH_SPILL_H
#define BSSH_SPILL_H

#include <stddef.h>
#include <sys/types.h>

#define SPILL_MEM_MAX	16384

struct spill {
	char	*mem;
	size_t	 len;
	int	 fd;		/* -1 until spilled */
	off_t	 flen;
};

void	spill_init(struct spill *s);
/* Append; 0, or -1 with errno set (out of memory, no temp file). */
int	spill_append(struct spill *s, const void *buf, size_t len);
/* Total bytes held. */
off_t	spill_size(const struct spill *s);
/*
 * Write everything held to fd in order and empty the buffer.  0, or -1
 * with errno set when writing fails (the buffer is emptied anyway).
 */
int	spill_flush(struct spill *s, int fd);
/* The last byte held, or -1 when empty. */
int	spill_last(const struct spill *s);
void	spill_free(struct spill *s);

/*
 * Read fd to end of file into a new unlinked temporary file and return it
 * (close-on-exec; others may reopen it through /proc/self/fd to get their
 * own offset), or -1 with errno set.
 */
int	spill_spool(int fd);

#endif
