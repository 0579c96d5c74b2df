/*
 * utf8: strict UTF-8 checks (no overlong forms, no surrogates, nothing
 * above U+10FFFF), for every reader that must refuse anything else.
 */
#ifndef BSSH_UTF8_H
#define BSSH_UTF8_H

#include <stddef.h>

/* Length of the valid sequence at s (avail bytes there), 0 if invalid. */
size_t	utf8_seq(const unsigned char *s, size_t avail);

/* Whether s[0..n) is valid; *bad gets the offset of the first bad byte. */
int	utf8_valid(const char *s, size_t n, size_t *bad);

#endif
