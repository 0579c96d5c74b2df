/*
 * libFuzzer target for lib/hostlist and the modules under it (strset,
 * hostspec, hostrange, hostmatch).  The input is "EXPR\nPATTERNS": EXPR
 * is pushed, PATTERNS used to filter and to exclude, the list compressed
 * and re-expanded, and every entry parsed with hostspec_parse.  Invariants
 * checked (abort on failure, so the fuzzer reports it):
 *   - every entry of a list is a valid spec;
 *   - compress, then push, gives back exactly the same set;
 *   - filter and exclude with the same patterns partition the list.
 * Inputs naming a ^file are skipped: they would read the fuzzing host.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "fuzzcheck.h"
#include "hostlist.h"
#include "hostmatch.h"
#include "hostspec.h"

ERR_PROGRAM("fuzz_hostlist");

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static struct hostlist *copy(const struct hostlist *);
static void	check_specs(const struct hostlist *);
static void	check_compress(const struct hostlist *);
static void	check_patterns(const struct hostlist *, const char *);

static struct hostlist *
copy(const struct hostlist *hl)
{
	struct hostlist *c = hostlist_new();
	struct errbuf eb;
	size_t i;

	check(c != NULL, "hostlist_new");
	for (i = 0; i < hostlist_count(hl); i++) {
		check(hostlist_push_host(c, hostlist_nth(hl, i), &eb) == 0,
		    "push_host of an entry");
	}
	return c;
}

static void
check_specs(const struct hostlist *hl)
{
	struct hostspec hs;
	struct errbuf eb;
	size_t i;

	for (i = 0; i < hostlist_count(hl); i++) {
		check(hostspec_parse(hostlist_nth(hl, i), &hs, &eb) == 0,
		    "entry parses as a hostspec");
	}
}

static void
check_compress(const struct hostlist *hl)
{
	struct hostlist *again = hostlist_new();
	struct errbuf eb;
	char *folded = hostmatch_compress(hl);
	size_t i;

	check(folded != NULL && again != NULL, "compress");
	check(hostlist_push(again, folded, &eb) == 0, "compressed form parses");
	check(hostlist_count(again) == hostlist_count(hl), "same count");
	for (i = 0; i < hostlist_count(hl); i++) {
		check(hostlist_contains(again, hostlist_nth(hl, i)),
		    "same set");
	}
	free(folded);
	hostlist_free(again);
}

static void
check_patterns(const struct hostlist *hl, const char *patterns)
{
	struct hostlist *kept = copy(hl), *rest = copy(hl);
	struct errbuf eb;
	int rf, rx;

	rf = hostmatch_filter(kept, patterns, &eb);
	rx = hostmatch_exclude(rest, patterns, &eb);
	check(rf == rx, "filter and exclude agree on errors");
	if (rf == 0) {
		check(hostlist_count(kept) + hostlist_count(rest) ==
		    hostlist_count(hl), "filter + exclude = all");
	} else {
		check(hostlist_count(kept) == hostlist_count(hl) &&
		    hostlist_count(rest) == hostlist_count(hl),
		    "list unchanged on a pattern error");
	}
	hostlist_free(kept);
	hostlist_free(rest);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct hostlist *hl;
	struct hostspec hs;
	struct errbuf eb;
	char *buf, *patterns;

	if (size > 4096 || memchr(data, '^', size) != NULL) {
		return 0;
	}
	if ((buf = malloc(size + 1)) == NULL) {
		return 0;
	}
	memcpy(buf, data, size);
	buf[size] = '\0';
	patterns = strchr(buf, '\n');
	if (patterns != NULL) {
		*patterns++ = '\0';
	}
	(void)hostspec_parse(buf, &hs, &eb);
	(void)hostmatch_is_expression(buf);
	hl = hostlist_new();
	if (hl != NULL && hostlist_push(hl, buf, &eb) == 0 &&
	    hostlist_count(hl) <= 20000) {
		check_specs(hl);
		check_compress(hl);
		if (patterns != NULL) {
			check_patterns(hl, patterns);
		}
	}
	hostlist_free(hl);
	free(buf);
	return 0;
}
