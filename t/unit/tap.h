/*
 * A minimal TAP producer for the C unit tests of lib/.  Each test file
 * includes this once, calls the ok()/is_*() macros and ends with
 * `return tap_done();'.
 */
#ifndef BSSH_TAP_H
#define BSSH_TAP_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"

ERR_PROGRAM("unit");

static int tap_n, tap_failed;

static int
tap_ok(int cond, const char *file, int line, const char *what)
{
	tap_n++;
	printf("%sok %d - %s\n", cond ? "" : "not ", tap_n, what);
	if (!cond) {
		tap_failed++;
		printf("#   failed at %s:%d\n", file, line);
	}
	fflush(stdout);
	return cond;
}

static int
tap_is_str(const char *got, const char *want, const char *file, int line, const char *what)
{
	int cond = (got == NULL && want == NULL) ||
	    (got != NULL && want != NULL && strcmp(got, want) == 0);

	if (!tap_ok(cond, file, line, what)) {
		printf("#        got: '%s'\n", got ? got : "(null)");
		printf("#   expected: '%s'\n", want ? want : "(null)");
	}
	return cond;
}

static int
tap_is_long(long got, long want, const char *file, int line, const char *what)
{
	if (!tap_ok(got == want, file, line, what)) {
		printf("#        got: %ld\n#   expected: %ld\n", got, want);
		return 0;
	}
	return 1;
}

static int
tap_done(void)
{
	printf("1..%d\n", tap_n);
	return tap_failed ? 1 : 0;
}

#define ok(cond, what)		tap_ok(!!(cond), __FILE__, __LINE__, (what))
#define is_str(g, w, what)	tap_is_str((g), (w), __FILE__, __LINE__, (what))
#define is_long(g, w, what)	tap_is_long((long)(g), (long)(w), __FILE__, __LINE__, (what))

/* head + n copies of unit + tail (malloc'd), for inputs past a limit. */
static __attribute__((unused)) char *
repeat(const char *head, size_t n, const char *unit, const char *tail)
{
	size_t hl = strlen(head), ul = strlen(unit), tl = strlen(tail), i;
	char *s = malloc(hl + n * ul + tl + 1), *p = s;

	if (s == NULL)
		abort();
	memcpy(p, head, hl);
	p += hl;
	for (i = 0; i < n; i++, p += ul)
		memcpy(p, unit, ul);
	memcpy(p, tail, tl + 1);
	return s;
}

#endif
