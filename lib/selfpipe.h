/*
 * selfpipe: signals turned into bytes on a pipe, so that a poll(2) loop
 * handles them in order and a handler does nothing but write.
 *
 * The pipe's fds belong to the program (its main file keeps them, as the
 * handler needs them); this module only does the work around them.
 */
#ifndef BSSH_SELFPIPE_H
#define BSSH_SELFPIPE_H

#include <stddef.h>

#include "err.h"

/* A close-on-exec, non-blocking pipe.  0 or -1 with eb set. */
int	selfpipe_open(int fds[2], struct errbuf *eb);

/* Install handler for each of sigs[0..n), without SA_RESTART. */
void	selfpipe_catch(const int *sigs, size_t n, void (*handler)(int));

/* The whole body of a handler: sig as one byte on fd, errno preserved. */
void	selfpipe_notify(int fd, int sig);

#endif
