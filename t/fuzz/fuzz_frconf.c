/*
 * libFuzzer target for lib/frconf over lib/toml: the input is a
 * frontiere.toml.  Invariants (abort on failure):
 *   - a load gives a config or an error message, never both;
 *   - a loaded config has at least one domain, every domain an action,
 *     every list sorted by id, every tag lowercase, sorted and unique, and
 *     every placeholder of a template names {domain} or an argument;
 *   - loading twice gives the same number of domains and tokens.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "fuzzcheck.h"
#include "frconf.h"

ERR_PROGRAM("fuzz_frconf");

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
check_tags(char **tags, size_t n)
{
	size_t i;
	const char *p;

	for (i = 0; i < n; i++) {
		for (p = tags[i]; *p != '\0'; p++)
			check(!(*p >= 'A' && *p <= 'Z'), "tag lowercase");
		if (i > 0)
			check(strcmp(tags[i - 1], tags[i]) < 0, "tags sorted and unique");
	}
}

static void
check_action(const struct fr_action *a)
{
	const char *p = a->execute, *o, *c;
	char name[256];
	size_t i;

	check_tags(a->tags, a->ntags);
	for (i = 1; i < a->nargs; i++)
		check(strcmp(a->args[i - 1].name, a->args[i].name) < 0, "args sorted");
	while ((o = strchr(p, '{')) != NULL && (c = strchr(o + 1, '}')) != NULL) {
		check((size_t)(c - o - 1) < sizeof(name), "placeholder length");
		memcpy(name, o + 1, (size_t)(c - o - 1));
		name[c - o - 1] = '\0';
		check(strcmp(name, "domain") == 0 || frconf_arg(a, name) != NULL, "placeholder");
		p = c + 1;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fr_config cfg, again;
	struct errbuf eb;
	size_t i, j;
	int rc;

	eb.msg[0] = '\0';
	rc = frconf_parse((const char *)data, size, &cfg, &eb);
	check((rc == 0) == (eb.msg[0] == '\0'), "config xor error");
	if (rc != 0)
		return 0;
	check(cfg.ndomains > 0, "a domain");
	for (i = 0; i < cfg.ndomains; i++) {
		check(cfg.domains[i].nactions > 0, "an action");
		if (i > 0)
			check(strcmp(cfg.domains[i - 1].id, cfg.domains[i].id) < 0, "domains sorted");
		for (j = 0; j < cfg.domains[i].nactions; j++)
			check_action(&cfg.domains[i].actions[j]);
	}
	for (i = 0; i < cfg.ntokens; i++)
		check_tags(cfg.tokens[i].tags, cfg.tokens[i].ntags);
	check(frconf_parse((const char *)data, size, &again, &eb) == 0, "second load");
	check(again.ndomains == cfg.ndomains && again.ntokens == cfg.ntokens, "same config");
	frconf_free(&again);
	frconf_free(&cfg);
	return 0;
}
