/*
 * timeutil: the monotonic clock in milliseconds and parsing of durations.
 */
#ifndef BSSH_TIMEUTIL_H
#define BSSH_TIMEUTIL_H

#include <stdint.h>

#include "err.h"

/* Milliseconds on CLOCK_MONOTONIC. */
int64_t	time_now_ms(void);

/*
 * Milliseconds from now until deadline, clamped to 0..INT_MAX, or -1
 * (infinite, as poll(2) wants) when deadline is 0.
 */
int	time_poll_timeout(int64_t deadline, int64_t now);

/* The earlier of two deadlines where 0 means "none". */
int64_t	time_min_deadline(int64_t a, int64_t b);

/*
 * Parse a non-negative number of seconds ("30", "1.5") into milliseconds.
 * Values above max_s seconds are an error.  0 or -1 with eb set.
 */
int	time_parse_seconds(const char *s, int64_t max_s, int64_t *ms, struct errbuf *eb);

/* Parse a decimal integer in [min, max].  0 or -1 with eb set. */
int	time_parse_int(const char *s, long min, long max, long *out, struct errbuf *eb);

#endif
