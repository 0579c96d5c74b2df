/*
 * libFuzzer target for lib/toml and lib/tomlval.  The input is one TOML
 * document, parsed from memory twice.  Invariants checked (abort on
 * failure, so the fuzzer reports it):
 *   - a success is an object, json_dumps can write it, and no container
 *     in it is nested deeper than the parser's cap;
 *   - a failure returns NULL with a message "line N: ..." where N is a
 *     line of the input;
 *   - parsing is deterministic: the second parse succeeds exactly when
 *     the first did, with an equal tree or the same message.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "err.h"
#include "fuzzcheck.h"
#include "toml.h"

#define DEPTH_CAP	128	/* lib/toml's DEPTH_MAX */

ERR_PROGRAM("fuzz_toml");

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void	check_msg(const char *, unsigned long);
static void	walk(const json_t *, int);

/* "line N: something", 1 <= N <= lines. */
static void
check_msg(const char *msg, unsigned long lines)
{
	unsigned long n;
	char *end;

	check(strncmp(msg, "line ", 5) == 0, "messages start with \"line \"");
	n = strtoul(msg + 5, &end, 10);
	check(n >= 1 && n <= lines, "the line is in the input");
	check(strncmp(end, ": ", 2) == 0 && end[2] != '\0',
	    "a reason follows the line");
}

/* Containers no deeper than the cap; only TOML's types. */
static void
walk(const json_t *node, int depth)
{
	const char *key;
	json_t *v;
	size_t i;

	if (json_is_object(node)) {
		check(depth <= DEPTH_CAP, "depth cap");
		json_object_foreach((json_t *)node, key, v) {
			walk(v, depth + 1);
		}
	} else if (json_is_array(node)) {
		check(depth <= DEPTH_CAP, "depth cap");
		json_array_foreach(node, i, v) {
			walk(v, depth + 1);
		}
	} else {
		check(json_is_string(node) || json_is_integer(node) ||
		    json_is_real(node) || json_is_boolean(node),
		    "scalars are strings, integers, reals or booleans");
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct errbuf eb1, eb2;
	unsigned long lines = 1;
	json_t *t1, *t2;
	char *s;
	size_t i;

	if (size > 65536) {
		return 0;
	}
	for (i = 0; i < size; i++) {
		lines += data[i] == '\n';
	}
	memset(&eb1, 0, sizeof(eb1));
	memset(&eb2, 0, sizeof(eb2));
	t1 = toml_parse((const char *)data, size, &eb1);
	t2 = toml_parse((const char *)data, size, &eb2);
	check((t1 == NULL) == (t2 == NULL), "deterministic outcome");
	if (t1 == NULL) {
		check_msg(eb1.msg, lines);
		check(strcmp(eb1.msg, eb2.msg) == 0, "deterministic message");
		return 0;
	}
	check(json_is_object(t1), "the root is an object");
	check(json_equal(t1, t2), "deterministic tree");
	walk(t1, 0);
	s = json_dumps(t1, JSON_COMPACT);
	check(s != NULL, "json_dumps writes the tree");
	free(s);
	json_decref(t1);
	json_decref(t2);
	return 0;
}
