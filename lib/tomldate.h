/*
 * tomldate: the date-time values of TOML 1.0 (offset and local date-times,
 * local dates, local times): the tree keeps them as the text written, so
 * only their shape and the existence of the day are checked here.
 */
#ifndef BSSH_TOMLDATE_H
#define BSSH_TOMLDATE_H

#include <stddef.h>

/* Whether s[0..n) starts like a date (YYYY-) or a time (HH:). */
int	tomldate_looks(const char *s, size_t n);

/* Whether s[0..n) is exactly one valid date-time, date or time. */
int	tomldate_valid(const char *s, size_t n);

#endif
