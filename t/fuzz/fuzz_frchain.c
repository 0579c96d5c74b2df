/*
 * libFuzzer target for lib/frchain and lib/frcmd: the input is a command
 * block.  It is parsed into a chain, and every command of the chain is
 * resolved against a fixed configuration at each level, as the
 * dispatcher would.  Invariants (abort on failure):
 *   - a parse either gives a tree or an error message, never both;
 *   - every command text is non-empty and trimmed;
 *   - a resolution that runs something gives a non-empty argv whose words
 *     are the template's count (values are never re-split); a rejection
 *     has a "rejected: " message;
 *   - an identity that may not run an action never gets FRK_RUN for it.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "fuzzcheck.h"
#include "frchain.h"
#include "frcmd.h"
#include "frconf.h"

ERR_PROGRAM("fuzz_frchain");

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static const char config[] =
    "[global]\nlog_file = \"/dev/null\"\n"
    "[domains.demo]\ndescription = \"d\"\n"
    "[domains.demo.actions.hello]\ndescription = \"h\"\nlevel = \"read\"\n"
    "execute = \"/bin/echo {who} --x={domain}{who}\"\n"
    "[domains.demo.actions.hello.args]\nwho = { default = \"w\" }\n"
    "[domains.demo.actions.pick]\ndescription = \"p\"\nlevel = \"ops\"\ntags = [\"t\"]\n"
    "execute = \"/bin/echo {c} {free}\"\n"
    "[domains.demo.actions.pick.args]\n"
    "c = { type = \"enum\", values = [\"a\", \"b\"] }\nfree = { free = true, default = \"\" }\n";

static int
is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static size_t
words(const char *s)
{
	size_t n = 0;

	while (*s != '\0') {
		while (is_blank(*s))
			s++;
		if (*s == '\0')
			break;
		n++;
		while (*s != '\0' && !is_blank(*s))
			s++;
	}
	return n;
}

static void
resolve_all(const struct fr_config *cfg, const struct fr_node *n)
{
	static char tag[] = "t";
	char *tags[] = { tag, NULL };
	struct fr_identity id;
	struct fr_cmd c;
	int lvl;

	if (n == NULL)
		return;
	if (n->kind != FRN_SINGLE) {
		resolve_all(cfg, n->left);
		resolve_all(cfg, n->right);
		return;
	}
	check(n->textlen > 0 && !is_blank(n->text[0]) && !is_blank(n->text[n->textlen - 1]),
	    "command text trimmed and non-empty");
	for (lvl = FR_READ; lvl <= FR_ADMIN; lvl++) {
		id.level = (enum fr_level)lvl;
		id.tags = lvl == FR_ADMIN ? tags : NULL;
		id.ntags = lvl == FR_ADMIN ? 1 : 0;
		check(frcmd_resolve(cfg, &id, n->text, n->textlen, &c) == 0, "resolve");
		if (c.kind == FRK_REJECT || c.kind == FRK_DENY)
			check(c.message != NULL && strncmp(c.message, "rejected: ", 10) == 0,
			    "rejection message");
		if (c.kind == FRK_RUN) {
			check(frcmd_allowed(&id, c.action), "allowed");
			check(c.argc > 0 && c.argc == words(c.action->execute), "argv word count");
		}
		frcmd_clear(&c);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct fr_config cfg;
	static int loaded;
	struct fr_node *root;
	struct errbuf eb;

	if (!loaded) {
		check(frconf_parse(config, sizeof(config) - 1, &cfg, &eb) == 0, eb.msg);
		loaded = 1;
	}
	eb.msg[0] = '\0';
	root = frchain_parse((const char *)data, size, &eb);
	check((root == NULL) == (eb.msg[0] != '\0'), "tree xor error");
	resolve_all(&cfg, root);
	frchain_free(root);
	return 0;
}
