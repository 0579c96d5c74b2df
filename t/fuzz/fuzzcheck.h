/*
 * The one assertion of the libFuzzer targets: a broken invariant is said
 * and aborts, so the fuzzer keeps the input that broke it.  Each target
 * includes this once, after err.h.
 */
#ifndef BSSH_FUZZCHECK_H
#define BSSH_FUZZCHECK_H

#include <stdlib.h>

#include "err.h"

static void
check(int cond, const char *what)
{
	if (!cond) {
		err_say("invariant failed: %s", what);
		abort();
	}
}

#endif
