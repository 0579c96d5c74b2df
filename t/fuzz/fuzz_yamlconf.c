/*
 * libFuzzer target for lib/yamltree, lib/yamlconf, lib/varexpand,
 * lib/yamltab, lib/clusternodes and lib/clusters.  The input is one YAML
 * document, loaded from memory by yamlconf_load_buffer (every node's marks
 * walked, the typed reads and expansions tried on the top level), probed
 * by yamltree_has_top_key as the search for ./config.yaml does, and loaded
 * by clusters_load_buffer (every cluster resolved).  Invariants checked
 * (abort on failure, so the fuzzer reports it):
 *   - clusters loads only what yamlconf loads;
 *   - what yamlconf loads the probe parses, and the probe finds a bssh key
 *     exactly when the root is a mapping holding one; what the probe
 *     cannot parse, yamlconf refuses;
 *   - every error and warning starts with the file name;
 *   - every node, key and item of a loaded tree has a mark inside the input;
 *   - every node of every cluster has a spec hostspec_parse accepts, whose
 *     host is the node's host; the main rank is a node (or 0).
 * The Backend.AI variables are unset, so the result depends on the input
 * only.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clusters.h"
#include "err.h"
#include "fuzzcheck.h"
#include "hostspec.h"
#include "varexpand.h"
#include "yamlconf.h"
#include "yamltree.h"

#define NAME	"fuzz.yaml"

ERR_PROGRAM("fuzz_yamlconf");

/* bssh's top-level keys, as lib/clusters.c probes ./config.yaml for */
static const char *const top_keys[] = {
	"defaults", "default_cluster", "interactive", "clusters", NULL
};

int	LLVMFuzzerInitialize(int *, char ***);
int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void	check_msg(const char *);
static void	check_mark(struct yamlconf_mark, unsigned long);
static void	walk(const struct yamlconf *, const json_t *, unsigned long,
		    int);
static void	typed(const struct yamlconf *, const json_t *);
static void	check_clusters(const struct clusters *);
static void	check_probe(const struct yamlconf *, int);

static void
check_msg(const char *msg)
{
	check(msg != NULL && strncmp(msg, NAME, strlen(NAME)) == 0,
	    "messages start with the file name");
}

static void
check_mark(struct yamlconf_mark m, unsigned long lines)
{
	check(m.line >= 1 && m.line <= lines && m.col >= 1, "mark in range");
}

/* Every mark of node and below; lines = lines in the input + 1. */
static void
walk(const struct yamlconf *yc, const json_t *node, unsigned long lines,
    int depth)
{
	const char *key;
	json_t *v;
	size_t i;

	check(depth <= YAMLCONF_DEPTH_MAX, "depth");
	if (!json_is_null(node)) {
		check_mark(yamlconf_node_mark(yc, node), lines);
	}
	if (json_is_object(node)) {
		json_object_foreach((json_t *)node, key, v) {
			check_mark(yamlconf_key_mark(yc, node, key), lines);
			check(yamlconf_member_line(yc, node, key) > 0,
			    "member line");
			walk(yc, v, lines, depth + 1);
		}
	} else if (json_is_array(node)) {
		json_array_foreach(node, i, v) {
			check_mark(yamlconf_item_mark(yc, node, i), lines);
			walk(yc, v, lines, depth + 1);
		}
	} else if (!json_is_null(node)) {
		check(json_is_string(node), "scalars are strings");
	}
}

/* The typed reads on every top-level key; errors must be well formed. */
static void
typed(const struct yamlconf *yc, const json_t *root)
{
	struct errbuf eb;
	const char *key, *s;
	json_t *v, *m;
	int64_t ms;
	long l;
	int b, rc;

	json_object_foreach((json_t *)root, key, v) {
		rc = yamlconf_string(yc, root, "top", key, &s, &eb);
		check(rc == (json_is_string(v) ? 1 : json_is_null(v) ? 0 : -1),
		    "scalars read as strings, null as absent");
		if (rc == 1) {
			free(varexpand_vars(s));
			free(varexpand_tilde(s));
		} else if (rc < 0) {
			check_msg(eb.msg);
		}
		if (yamlconf_int(yc, root, "", key, -5, 65535, &l, &eb) < 0 ||
		    yamlconf_bool(yc, root, "", key, &b, &eb) < 0 ||
		    yamlconf_seconds(yc, root, "", key, 1000, &ms, &eb) < 0 ||
		    yamlconf_map(yc, root, "", key, &m, &eb) < 0 ||
		    yamlconf_seq(yc, root, "", key, &m, &eb) < 0) {
			check_msg(eb.msg);
		}
	}
}

static void
check_clusters(const struct clusters *c)
{
	const struct clusters_cluster *cl;
	struct hostspec hs;
	struct errbuf eb;
	size_t i, k, total = 0;

	for (i = 0; i < clusters_nwarnings(c); i++) {
		check_msg(clusters_warning(c, i));
	}
	check(clusters_nwarnings(c) <= YAMLCONF_WARN_MAX + 1, "warning cap");
	if (clusters_default(c) != NULL) {
		check(clusters_get(c, clusters_default(c), &eb) != NULL,
		    "the default cluster exists");
	}
	for (i = 0; (cl = clusters_nth(c, i)) != NULL; i++) {
		check(clusters_get(c, cl->name, &eb) == cl, "get by name");
		check(cl->main_rank == 0 || cl->main_rank < cl->nnodes,
		    "main rank");
		for (k = 0; k < cl->nnodes; k++) {
			check(hostspec_parse(cl->nodes[k].spec, &hs, &eb) == 0,
			    "node spec parses");
			check(strcmp(hs.host, cl->nodes[k].host) == 0,
			    "spec host = node host");
			check(hs.port == cl->nodes[k].port, "spec port");
		}
		total += cl->nnodes;
	}
	check(total <= CLUSTERS_NODES_MAX, "node cap");
}

/* The probe's answer probe against what yamlconf made of the same bytes. */
static void
check_probe(const struct yamlconf *yc, int probe)
{
	const json_t *root;
	int want = 0;
	size_t i;

	if (yc == NULL) {
		return;
	}
	root = yamlconf_root(yc);
	for (i = 0; json_is_object(root) && top_keys[i] != NULL; i++) {
		want |= json_object_get(root, top_keys[i]) != NULL;
	}
	check(probe == want, "the probe agrees with the tree");
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	unsetenv("BACKENDAI_CLUSTER_HOSTS");
	unsetenv("BACKENDAI_CLUSTER_HOST");
	unsetenv("BACKENDAI_CLUSTER_ROLE");
	setenv("HOME", "/nonexistent-home", 1);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct yamlconf *yc;
	struct clusters *c;
	struct errbuf eb;
	unsigned long lines = 2;
	size_t i;
	int probe;

	if (size > 65536) {
		return 0;
	}
	for (i = 0; i < size; i++) {
		/* \n, \r and (generously) the bytes of NEL, LS and PS */
		lines += data[i] == '\n' || data[i] == '\r' ||
		    data[i] == 0x85 || data[i] == 0xa8 || data[i] == 0xa9;
	}
	yc = yamlconf_load_buffer(NAME, data, size, &eb);
	if (yc == NULL) {
		check_msg(eb.msg);
	} else if (yamlconf_root(yc) != NULL) {
		walk(yc, yamlconf_root(yc), lines, 0);
		if (json_is_object(yamlconf_root(yc))) {
			typed(yc, yamlconf_root(yc));
		}
	}
	probe = yamltree_has_top_key(data, size, top_keys);
	check(probe >= 0 || yc == NULL, "yamlconf loads only what parses");
	check_probe(yc, probe);
	c = clusters_load_buffer(NAME, data, size, &eb);
	check(c == NULL || yc != NULL, "clusters loads only valid YAML");
	if (c == NULL) {
		check_msg(eb.msg);
	} else {
		check_clusters(c);
	}
	clusters_free(c);
	yamlconf_free(yc);
	return 0;
}
