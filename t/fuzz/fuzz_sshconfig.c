/*
 * libFuzzer target for lib/sshconfig (and sshtok, sshopts, sshalgspec
 * under it): the input is the text of a -F file, resolved for a fixed
 * host with Match exec and Include disabled, then printed as -G would.
 * Invariants (abort on failure, so the fuzzer reports it):
 *   - a failure has a message of the form "(config):LINE: ..." or a
 *     message about the options as a whole, and success a finished set;
 *   - resolving the same text twice gives the same -G output.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "fuzzcheck.h"
#include "sshconfig.h"
#include "sshdump.h"
#include "sshopts.h"

ERR_PROGRAM("fuzz_sshconfig");

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* Resolve text; the -G output (malloc'd) or NULL on failure. */
static char *
resolve(const char *text, size_t len)
{
	struct sshconfig_params p;
	struct sshopts o;
	struct errbuf eb;
	char *out = NULL;
	size_t olen = 0;
	FILE *fp;
	int rc;

	memset(&p, 0, sizeof(p));
	p.host_arg = "fuzz.example";
	p.file = "(config)";
	p.text = text;
	p.text_len = len;
	p.flags = SSHCONFIG_NO_EXEC | SSHCONFIG_NO_INCLUDE;
	sshopts_init(&o);
	eb.msg[0] = '\0';
	rc = sshconfig_resolve(&o, &p, &eb);
	check(rc == 0 || eb.msg[0] != '\0', "a failure has a message");
	if (rc == 0) {
		check(o.port > 0 && o.user != NULL && o.hostname != NULL, "a finished set");
		fp = open_memstream(&out, &olen);
		check(fp != NULL, "open_memstream");
		sshdump_print(&o, p.host_arg, fp);
		fclose(fp);
	}
	sshopts_free(&o);
	return out;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *a, *b;

	if (size > 256 * 1024)
		return 0;
	setenv("HOME", "/nonexistent-fuzz-home", 1);
	a = resolve((const char *)data, size);
	b = resolve((const char *)data, size);
	check((a == NULL) == (b == NULL), "the same verdict twice");
	check(a == NULL || strcmp(a, b) == 0, "the same output twice");
	free(a);
	free(b);
	return 0;
}
