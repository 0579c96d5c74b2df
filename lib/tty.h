/*
 * tty: talking to the user's terminal (/dev/tty), never to stdin, so that
 * a program whose stdin is data can still ask for a secret.
 */
#ifndef BSSH_TTY_H
#define BSSH_TTY_H

#include <stddef.h>

#include "err.h"

/*
 * Print prompt on /dev/tty and read one line with echo off into buf
 * (size len, NUL-terminated, newline removed).  Returns 0, or -1 with eb
 * set when there is no terminal, on EOF, when a signal interrupts the
 * read (Ctrl+C gives up) or when the line does not fit.
 * The caller wipes buf with explicit_bzero when done.
 */
int	tty_read_secret(const char *prompt, char *buf, size_t len, struct errbuf *eb);

/* The window size of terminal fd, 80x24 when it has none. */
void	tty_window_size(int fd, int *cols, int *rows);

/* 1 when /dev/tty can be opened (there is a controlling terminal). */
int	tty_available(void);

/*
 * 1 when colour should be used on fd: fd is a terminal, NO_COLOR is unset
 * or empty, and TERM is set and not "dumb".
 */
int	tty_want_color(int fd);

#endif
