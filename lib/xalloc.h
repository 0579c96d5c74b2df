/*
 * xalloc: allocators for program code that die (exit 111) when memory is
 * exhausted or a size computation overflows.  Library modules that must not
 * exit use plain malloc and report failure instead.
 */
#ifndef BSSH_XALLOC_H
#define BSSH_XALLOC_H

#include <stddef.h>

void	*xmalloc(size_t size);
void	*xcalloc(size_t nmemb, size_t size);
void	*xreallocarray(void *ptr, size_t nmemb, size_t size);
char	*xstrdup(const char *s);
char	*xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Free *pp and set it to NULL. */
#define XFREE(p) do { free(p); (p) = NULL; } while (0)

#endif
