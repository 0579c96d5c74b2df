/*
 * Unit tests of lib/clusternodes, through clusters_load_buffer as bssh
 * loads a file: node strings (ranges, commas, IPv6, dedup), node mappings
 * and their precedence over the cluster's settings, jump host forms and
 * their inheritance, ${VAR}/$VAR and ~ in nodes and jump hosts, node and
 * jump host errors with file:line, the node cap; and the helpers
 * clusternodes_check_user and clusternodes_compose directly.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "clusternodes.h"
#include "clusters.h"

#define HOME	"/nonexistent/test_clusternodes"

static struct errbuf eb;
static char	 joined[4096];

static struct clusters *from(const char *);
static const char *err_of(const char *);
static const char *specs(const struct clusters *, const char *);
static const char *in_home(const char *);
static void	 test_node_maps(void);
static void	 test_node_strings(void);
static void	 test_node_errors(void);
static void	 test_jumps(void);
static void	 test_jump_errors(void);
static void	 test_expansion(void);
static void	 test_cap(void);
static void	 test_helpers(void);

static struct clusters *
from(const char *text)
{
	return clusters_load_buffer("c.yaml", text, strlen(text), &eb);
}

static const char *
err_of(const char *text)
{
	struct clusters *c = from(text);

	if (c != NULL) {
		clusters_free(c);
		return "(loaded)";
	}
	return eb.msg;
}

static const char *
specs(const struct clusters *c, const char *name)
{
	const struct clusters_cluster *cl = clusters_get(c, name, &eb);
	size_t i;

	if (cl == NULL) {
		snprintf(joined, sizeof(joined), "ERR %s", eb.msg);
		return joined;
	}
	joined[0] = '\0';
	for (i = 0; i < cl->nnodes; i++) {
		if (i > 0) {
			strcat(joined, " ");
		}
		strcat(joined, cl->nodes[i].spec);
	}
	return joined;
}

/* $HOME/rel, in a static buffer. */
static const char *
in_home(const char *rel)
{
	static char buf[512];

	snprintf(buf, sizeof(buf), "%s/%s", HOME, rel);
	return buf;
}

static void
test_node_maps(void)
{
	const struct clusters_cluster *cl;
	struct clusters *c;

	c = from("defaults:\n  user: du\nclusters:\n  m:\n    user: cu\n"
	    "    port: 2000\n    ssh_key: /ck\n    jump_host: cj\n    nodes:\n"
	    "      - host: n1\n"
	    "      - host: n2\n        port: 2001\n        user: nu\n"
	    "        ssh_key: /nk\n        jump_host: nj:2222\n"
	    "      - host: \"::1\"\n        port: 2002\n"
	    "      - host: \"[fe80::2]\"\n"
	    "      - host: w[1-2]\n        user: wu\n"
	    "      - \"[::3]:2004\"\n      - pu@[::4]\n      - n1\n"
	    "      - host: n1\n        port: 2000\n");
	ok(c != NULL, "node mappings load");
	is_str(specs(c, "m"), "cu@n1:2000 nu@n2:2001 cu@[::1]:2002 "
	    "cu@[fe80::2]:2000 wu@w1:2000 wu@w2:2000 cu@[::3]:2004 "
	    "pu@[::4]:2000", "node > spec > cluster > defaults; dedup");
	cl = clusters_get(c, "m", &eb);
	is_str(cl->nodes[0].ssh_key, "/ck", "cluster key");
	is_str(cl->nodes[1].ssh_key, "/nk", "node key");
	is_str(cl->nodes[0].jump.hops, "cj", "cluster jump");
	is_str(cl->nodes[1].jump.hops, "nj:2222", "node jump");
	is_str(cl->nodes[2].host, "::1", "IPv6 host without brackets");
	is_long(cl->nodes[6].port, 2004, "port from the host string");
	is_str(cl->nodes[7].user, "pu", "user from the host string");
	clusters_free(c);
}

static void
test_node_strings(void)
{
	struct clusters *c;

	c = from("clusters:\n  r:\n    nodes:\n      - web[1-3]\n      - web2\n"
	    "      - a,b\n      - u@db[01-02]:2222\n      - \" spaced \"\n");
	is_str(specs(c, "r"), "web1 web2 web3 a b u@db01:2222 u@db02:2222 "
	    "spaced", "ranges, commas, dedup across items, trimming");
	clusters_free(c);
}

static void
test_node_errors(void)
{
	is_str(err_of("clusters:\n  web:\n    user: x\n"),
	    "c.yaml:2: clusters.web: nodes: missing", "nodes missing");
	is_str(err_of("clusters:\n  web:\n    nodes: {a: 1}\n"),
	    "c.yaml:3: clusters.web.nodes: expected a sequence, not a mapping",
	    "nodes not a sequence");
	is_str(err_of("clusters:\n  web:\n    nodes:\n      - a\n"
	    "      - [b]\n"),
	    "c.yaml:5: clusters.web.nodes[1]: expected a host string or a "
	    "mapping", "node item a sequence");
	is_str(err_of("clusters:\n  web:\n    nodes:\n      - port: 22\n"),
	    "c.yaml:4: clusters.web.nodes[0]: host: missing", "no host");
	is_str(err_of("clusters:\n  web:\n    nodes:\n      - \"web[3-1]\"\n"),
	    "c.yaml:4: clusters.web.nodes[0]: \"web[3-1]\": reversed range "
	    "3-1", "bad range");
	is_str(err_of("clusters:\n  web:\n    nodes: [\"^/etc/hosts\"]\n"),
	    "c.yaml:3: clusters.web.nodes[0]: \"^/etc/hosts\": no ^file in a "
	    "cluster", "no ^file");
	is_str(err_of("clusters:\n  web:\n    nodes:\n      - host: h:22\n"),
	    "c.yaml:4: clusters.web.nodes[0]: host: \"h:22\": a host name "
	    "only (user and port are keys)", "a port in a host key");
	is_str(err_of("clusters:\n  web:\n    nodes:\n      - host: u@h\n"),
	    "c.yaml:4: clusters.web.nodes[0]: host: \"u@h\": a host name "
	    "only (user and port are keys)", "a user in a host key");
	is_str(err_of("clusters:\n  web:\n    nodes:\n      - host: h\n"
	    "        port: x\n"),
	    "c.yaml:5: clusters.web.nodes[0].port: not a number: \"x\"",
	    "node port");
}

static void
test_jumps(void)
{
	const struct clusters_node *n;
	struct clusters *c;

	c = from("clusters:\n  j:\n    nodes:\n"
	    "      - host: a\n        jump_host: \"u1@j1:2201, j2\"\n"
	    "      - host: b\n        jump_host: \"@alias1\"\n"
	    "      - host: c\n        jump_host: {ssh_config_host: alias2, "
	    "ssh_key: ~/jk}\n"
	    "      - host: d\n        jump_host: {host: \"::5\", user: ju, "
	    "port: 2205, ssh_key: /jk}\n"
	    "      - host: e\n        jump_host: \"\"\n"
	    "      - host: f\n        jump_host:\n"
	    "      - host: g\n        jump_host: \"[::6]:22\"\n");
	ok(c != NULL, "jump host forms load");
	n = clusters_get(c, "j", &eb)->nodes;
	ok(n[0].jump.kind == CLUSTERS_JUMP_HOPS, "hops");
	is_str(n[0].jump.hops, "u1@j1:2201,j2", "hops normalised");
	ok(n[1].jump.kind == CLUSTERS_JUMP_ALIAS, "@alias");
	is_str(n[1].jump.alias, "alias1", "alias name");
	ok(n[2].jump.kind == CLUSTERS_JUMP_ALIAS, "ssh_config_host");
	is_str(n[2].jump.alias, "alias2", "ssh_config_host name");
	is_str(n[2].jump.ssh_key, in_home("jk"), "alias with a key");
	is_str(n[3].jump.hops, "ju@[::5]:2205", "map form");
	is_str(n[3].jump.ssh_key, "/jk", "map form key");
	ok(n[4].jump.kind == CLUSTERS_JUMP_NONE, "\"\" = none");
	ok(n[5].jump.kind == CLUSTERS_JUMP_UNSET, "null = inherit (nothing)");
	is_str(n[6].jump.hops, "[::6]:22", "IPv6 hop");
	clusters_free(c);
	c = from("defaults:\n  jump_host: dj\nclusters:\n"
	    "  x:\n    nodes: [h]\n"
	    "  y:\n    jump_host: yj\n"
	    "    nodes: [h, {host: i, jump_host: ij}]\n"
	    "  z:\n    jump_host:\n    nodes: [h]\n");
	is_str(clusters_get(c, "x", &eb)->nodes[0].jump.hops, "dj",
	    "defaults jump");
	is_str(clusters_get(c, "y", &eb)->nodes[0].jump.hops, "yj",
	    "cluster over defaults");
	is_str(clusters_get(c, "y", &eb)->nodes[1].jump.hops, "ij",
	    "node over cluster");
	is_str(clusters_get(c, "z", &eb)->nodes[0].jump.hops, "dj",
	    "null cluster jump inherits defaults");
	clusters_free(c);
	c = from("defaults:\n  ssh_key: /dk\n  ssh_config: /dc\nclusters:\n"
	    "  x:\n    ssh_key: \"\"\n    nodes: [h, {host: i, ssh_key: /ik}]\n"
	    "  y:\n    ssh_config: \"\"\n"
	    "    nodes: [{host: h, ssh_key: \"\"}]\n");
	ok(clusters_get(c, "x", &eb)->settings.ssh_key == NULL &&
	    clusters_get(c, "x", &eb)->nodes[0].ssh_key == NULL,
	    "ssh_key \"\" = no key, not the defaults'");
	is_str(clusters_get(c, "x", &eb)->nodes[1].ssh_key, "/ik",
	    "a node key under it");
	ok(clusters_get(c, "y", &eb)->settings.ssh_config == NULL,
	    "ssh_config \"\" = none");
	ok(clusters_get(c, "y", &eb)->nodes[0].ssh_key == NULL,
	    "a node's ssh_key \"\" = no key either");
	clusters_free(c);
}

static void
test_jump_errors(void)
{
	char *big;

	is_str(err_of("defaults:\n  jump_host: {user: x}\n"),
	    "c.yaml:2: defaults.jump_host: needs host or ssh_config_host",
	    "map without host");
	is_str(err_of("defaults:\n"
	    "  jump_host: {host: a, ssh_config_host: b}\n"),
	    "c.yaml:2: defaults.jump_host: host and ssh_config_host exclude "
	    "each other", "host and alias");
	is_str(err_of("defaults:\n  jump_host: \"a, bad host\"\n"),
	    "c.yaml:2: defaults.jump_host: \"bad host\": contains a space or "
	    "control character", "bad hop");
	is_str(err_of("defaults:\n  jump_host: \"a,,b\"\n"),
	    "c.yaml:2: defaults.jump_host: \"\": empty host name", "empty hop");
	is_str(err_of("defaults:\n  jump_host: \"@\"\n"),
	    "c.yaml:2: defaults.jump_host: empty ssh_config alias",
	    "empty alias");
	is_str(err_of("defaults:\n  jump_host:\n    - a\n"),
	    "c.yaml:3: defaults.jump_host: expected a host string or a "
	    "mapping, not a sequence", "a sequence");
	is_str(err_of("defaults:\n  jump_host: {host: a, port: 0}\n"),
	    "c.yaml:2: defaults.jump_host.port: out of range 1-65535: \"0\"",
	    "bad hop port");
	is_str(err_of("defaults:\n  jump_host: {host: \"a b\"}\n"),
	    "c.yaml:2: defaults.jump_host: \"a b\": contains a space or "
	    "control character", "bad map host");
	big = malloc(5000);
	memset(big, 'j', 4999);
	big[4999] = '\0';
	setenv("CT_BIG", big, 1);
	is_str(err_of("defaults:\n  jump_host: \"$CT_BIG\"\n"),
	    "c.yaml:2: defaults.jump_host: too long once expanded",
	    "a jump host too long once expanded");
	is_str(err_of("clusters:\n  x:\n    nodes: [\"$CT_BIG\"]\n"),
	    "c.yaml:3: clusters.x.nodes[0]: longer than 4096 bytes once "
	    "expanded", "a node too long once expanded");
	unsetenv("CT_BIG");
	free(big);
}

static void
test_expansion(void)
{
	const struct clusters_cluster *cl;
	struct clusters *c;

	setenv("CT_HOST", "envhost", 1);
	setenv("CT_USER", "envuser", 1);
	setenv("CT_JUMP", "envjump", 1);
	unsetenv("CT_NOPE");
	c = from("defaults:\n  user: $CT_USER\nclusters:\n  e:\n    nodes:\n"
	    "      - ${CT_HOST}1\n      - $CT_USER@$CT_HOST.example:22\n"
	    "      - host: x${CT_HOST}\n        user: ${CT_NOPE}\n"
	    "    jump_host: \"$CT_JUMP,${CT_USER}@${CT_HOST}\"\n"
	    "    ssh_key: ~/$CT_NOPE\n"
	    "  f:\n    nodes: [h]\n    jump_host: \"@${CT_JUMP}\"\n");
	ok(c != NULL, "expansion loads");
	is_str(specs(c, "e"), "envuser@envhost1 envuser@envhost.example:22 "
	    "${CT_NOPE}@xenvhost", "${VAR} and $VAR; unknown stays");
	cl = clusters_get(c, "e", &eb);
	is_str(cl->settings.jump.hops, "envjump,envuser@envhost",
	    "jump hosts expanded");
	is_str(cl->settings.ssh_key, in_home("$CT_NOPE"),
	    "ssh_key: ~ only, no variables");
	is_str(clusters_get(c, "f", &eb)->settings.jump.alias, "envjump",
	    "@alias expanded");
	clusters_free(c);
	is_str(err_of("clusters:\n  e:\n    nodes: [\"$CT_NOPE\"]\n"),
	    "c.yaml:3: clusters.e.nodes[0]: \"$CT_NOPE\": invalid character "
	    "'$' in host name", "an unknown variable in a host");
}

static void
test_cap(void)
{
	struct clusters *c;

	c = from("clusters:\n  a:\n    nodes: [\"a[1-59999]\"]\n"
	    "  b:\n    nodes: [\"b[1-40000]\", a1]\n");
	ok(c != NULL, "100000 nodes in all");
	is_long(clusters_get(c, "b", &eb)->nnodes, 40001, "b's count");
	clusters_free(c);
	is_str(err_of("clusters:\n  a:\n    nodes: [\"a[1-59999]\"]\n"
	    "  b:\n    nodes: [\"b[1-40000]\", a1, c1]\n"),
	    "c.yaml:5: clusters.b.nodes[2]: more than 100000 nodes",
	    "one more is refused");
}

static void
test_helpers(void)
{
	char *s, big[300];

	ok(clusternodes_check_user("alice") == NULL, "a user name");
	ok(clusternodes_check_user("a.b-c_d") == NULL, "punctuation");
	is_str(clusternodes_check_user(""), "not a valid user name", "empty");
	is_str(clusternodes_check_user("-x"), "not a valid user name",
	    "a leading -");
	is_str(clusternodes_check_user("a b"), "not a valid user name",
	    "a space");
	memset(big, 'u', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	is_str(clusternodes_check_user(big), "not a valid user name",
	    "longer than 255 bytes");
	big[255] = '\0';
	ok(clusternodes_check_user(big) == NULL, "255 bytes");
	s = clusternodes_compose("u", "h", 0, 22);
	is_str(s, "u@h:22", "compose user, host, port");
	free(s);
	s = clusternodes_compose(NULL, "::1", 1, 0);
	is_str(s, "[::1]", "compose an IPv6 host, no port");
	free(s);
	s = clusternodes_compose(NULL, "h", 0, 0);
	is_str(s, "h", "compose a bare host");
	free(s);
}

int
main(void)
{
	setenv("HOME", HOME, 1);
	unsetenv("BACKENDAI_CLUSTER_HOSTS");
	unsetenv("BACKENDAI_CLUSTER_HOST");
	unsetenv("BACKENDAI_CLUSTER_ROLE");
	test_node_maps();
	test_node_strings();
	test_node_errors();
	test_jumps();
	test_jump_errors();
	test_expansion();
	test_cap();
	test_helpers();
	return tap_done();
}
