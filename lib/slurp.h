/*
 * slurp: a whole file read into memory, never more than a cap.
 */
#ifndef BSSH_SLURP_H
#define BSSH_SLURP_H

#include <stddef.h>

/*
 * Read fd from its current offset to end of file into a malloc'd buffer
 * (*buf, NUL-terminated; *len does not count the NUL; the caller frees).
 * Returns 0, or -1 with errno set: EFBIG when there are more than max
 * bytes, ENOMEM, or the read error.  *buf is NULL on failure.
 */
int	slurp_fd(int fd, size_t max, char **buf, size_t *len);

#endif
