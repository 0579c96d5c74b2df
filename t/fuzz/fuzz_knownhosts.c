/*
 * libFuzzer target for lib/knownhosts.  The input is "TEXT\0NAME": TEXT is
 * a known_hosts file and NAME the lookup name (without a NUL the whole
 * input is TEXT and NAME is fixed).  TEXT is checked for NAME with a fixed
 * key, and also used as a pattern list for NAME.  Invariants checked
 * (abort on failure, so the fuzzer reports it):
 *   - the verdict is a known status; UNKNOWN has line 0 and no file,
 *     anything else a line within the text and our file name;
 *   - checking the text twice into one result changes nothing;
 *   - pattern matching ignores case on both sides.
 */
#include "config.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "fuzzcheck.h"
#include "knownhosts.h"

ERR_PROGRAM("fuzz_knownhosts");

#define TYPE	"ssh-ed25519"
#define KEY	"AAAAC3NzaC1lZDI1NTE5AAAAIEUCcB3JSvbuE9+N+UL97Acr" \
		"92YnCJJHj2pe+lZ5ZSKI"
#define FNAME	"fuzz_known_hosts"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static long	count_lines(const char *, size_t);
static void	check_verdict(const char *, size_t, const char *);
static void	check_patterns(const char *, size_t, const char *);

static long
count_lines(const char *s, size_t len)
{
	const char *p = s, *end = s + len, *nl;
	long n = 0;

	while (p < end) {
		n++;
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL) {
			break;
		}
		p = nl + 1;
	}
	return n;
}

static void
check_verdict(const char *text, size_t len, const char *name)
{
	struct kh_result r, again;

	memset(&r, 0, sizeof(r));
	knownhosts_check_buf(text, len, FNAME, name, TYPE, KEY, &r);
	check(r.status >= KH_UNKNOWN && r.status <= KH_REVOKED, "known status");
	if (r.status == KH_UNKNOWN) {
		check(r.line == 0 && r.file[0] == '\0', "UNKNOWN has no line");
	} else {
		check(r.line >= 1 && r.line <= count_lines(text, len),
		    "line in range");
		check(strcmp(r.file, FNAME) == 0, "file name kept");
		check(r.status != KH_OK || strcmp(r.keytype, TYPE) == 0,
		    "OK keytype");
	}
	again = r;
	knownhosts_check_buf(text, len, FNAME, name, TYPE, KEY, &again);
	check(again.status == r.status && again.line == r.line,
	    "folding is idempotent");
}

static void
check_patterns(const char *text, size_t len, const char *name)
{
	char lower[KH_NAME_MAX];
	size_t i;
	int m;

	m = knownhosts_match_patterns(name, text, len);
	check(m == 0 || m == 1, "match is 0 or 1");
	for (i = 0; name[i] != '\0' && i + 1 < sizeof(lower); i++) {
		lower[i] = (char)tolower((unsigned char)name[i]);
	}
	lower[i] = '\0';
	if (name[i] == '\0') {
		check(knownhosts_match_patterns(lower, text, len) == m,
		    "case-insensitive");
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *nul;
	char *text, *name;
	size_t tlen;

	if (size > 65536) {
		return 0;
	}
	nul = memchr(data, '\0', size);
	tlen = nul != NULL ? (size_t)(nul - (const char *)data) : size;
	/* Exact-size copies, so ASan sees any read past the end. */
	text = malloc(tlen > 0 ? tlen : 1);
	if (text == NULL) {
		return 0;
	}
	memcpy(text, data, tlen);
	if (nul != NULL) {
		name = strndup(nul + 1, size - tlen - 1);
	} else {
		name = strdup("host.example.com");
	}
	if (name != NULL && strlen(name) < KH_NAME_MAX) {
		check_verdict(text, tlen, name);
		check_patterns(text, tlen, name);
	}
	free(name);
	free(text);
	return 0;
}
