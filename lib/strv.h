/*
 * strv: NULL-terminated string vectors (argv-like), for program code.
 * Allocation failures exit through lib/xalloc.
 */
#ifndef BSSH_STRV_H
#define BSSH_STRV_H

#include <stddef.h>

/* Append a copy of s to *v (length *n, kept NULL-terminated). */
void	strv_push(char ***v, size_t *n, const char *s);
/* Free every string and the vector. */
void	strv_free(char **v);
/* The words joined by single spaces, as ssh(1) joins a command (malloc'd). */
char	*strv_join(char *const *w, size_t n);
/* The words joined by sep (malloc'd). */
char	*strv_join_with(char *const *w, size_t n, char sep);

#endif
