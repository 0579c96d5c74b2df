#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>

#include "timeutil.h"

int64_t
time_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int
time_poll_timeout(int64_t deadline, int64_t now)
{
	if (deadline == 0)
		return -1;
	if (deadline <= now)
		return 0;
	if (deadline - now > INT_MAX)
		return INT_MAX;
	return (int)(deadline - now);
}

int64_t
time_min_deadline(int64_t a, int64_t b)
{
	if (a == 0)
		return b;
	if (b == 0)
		return a;
	return a < b ? a : b;
}

int
time_parse_seconds(const char *s, int64_t max_s, int64_t *ms, struct errbuf *eb)
{
	char *end;
	double v;

	if (s == NULL || *s == '\0' || isspace((unsigned char)*s) || *s == '-' || *s == '+')
		return err_set(eb, "\"%s\": not a number of seconds", s ? s : "");
	errno = 0;
	v = strtod(s, &end);
	if (errno != 0 || *end != '\0' || !isfinite(v) || v < 0)
		return err_set(eb, "\"%s\": not a number of seconds", s);
	if (v > (double)max_s || v > (double)(INT64_MAX / 1000))
		return err_set(eb, "\"%s\": more than %lld seconds", s, (long long)max_s);
	*ms = (int64_t)(v * 1000.0 + 0.5);
	return 0;
}

int
time_parse_int(const char *s, long min, long max, long *out, struct errbuf *eb)
{
	char *end;
	long v;

	if (s == NULL || *s == '\0' || isspace((unsigned char)*s))
		return err_set(eb, "\"%s\": not a number", s ? s : "");
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || *end != '\0')
		return err_set(eb, "\"%s\": not a number", s);
	if (v < min || v > max)
		return err_set(eb, "\"%s\": out of range %ld-%ld", s, min, max);
	*out = v;
	return 0;
}
