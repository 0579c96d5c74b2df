/*
 * Unit tests of lib/clusters loading from memory: every settings key,
 * built-in values, precedence cluster > defaults > built-in, interactive
 * settings, error messages with file:line, unknown-key warnings,
 * Backend.AI, and the annotated example etc/bssh/config.yaml.  Nodes and
 * jump hosts: test_clusternodes.c; finding the file:
 * test_clusters_search.c.
 */
#include "config.h"

#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tap.h"
#include "clusters.h"

#define HOME	"/nonexistent/test_clusters"

static struct errbuf eb;
static char	 joined[4096];

static struct clusters *from(const char *);
static const char *err_of(const char *);
static const char *specs(const struct clusters *, const char *);
static const char *warnings(const struct clusters *);
static const char *in_home(const char *);
static void	 bai_env(const char *, const char *, const char *);
static void	 test_schema(void);
static void	 test_builtin(void);
static void	 test_interactive(void);
static void	 test_interactive_errors(void);
static void	 test_errors(void);
static void	 test_warnings(void);
static void	 test_backendai(void);
static void	 test_backendai_file(void);
static void	 test_example(void);

static struct clusters *
from(const char *text)
{
	return clusters_load_buffer("c.yaml", text, strlen(text), &eb);
}

/* The message of a failed load of text, or "(loaded)". */
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

/* The specs of cluster name, space-separated (or "ERR msg"). */
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

/* Every warning, one per line. */
static const char *
warnings(const struct clusters *c)
{
	size_t i;

	joined[0] = '\0';
	for (i = 0; i < clusters_nwarnings(c); i++) {
		strcat(joined, clusters_warning(c, i));
		strcat(joined, "\n");
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
bai_env(const char *hosts, const char *host, const char *role)
{
	if (hosts != NULL) {
		setenv("BACKENDAI_CLUSTER_HOSTS", hosts, 1);
	} else {
		unsetenv("BACKENDAI_CLUSTER_HOSTS");
	}
	if (host != NULL) {
		setenv("BACKENDAI_CLUSTER_HOST", host, 1);
	} else {
		unsetenv("BACKENDAI_CLUSTER_HOST");
	}
	if (role != NULL) {
		setenv("BACKENDAI_CLUSTER_ROLE", role, 1);
	} else {
		unsetenv("BACKENDAI_CLUSTER_ROLE");
	}
}

static void
test_schema(void)
{
	const struct clusters_settings *s;
	const struct clusters_cluster *cl;
	struct clusters *c;

	c = from("defaults:\n  user: alice\n  port: 2022\n  ssh_key: ~/.ssh/k\n"
	    "  parallel: 7\n  timeout: 12\n  server_alive_interval: 5\n"
	    "  server_alive_count_max: 4\n  ssh_config: ~/.ssh/cfg\n"
	    "  jump_host: gw\n"
	    "clusters:\n"
	    "  a:\n    nodes: [h1, bob@h2, \"h3:23\", \"carol@h4:24\"]\n"
	    "  b:\n    nodes:\n      - h5\n    user: dave\n    port: 2200\n"
	    "    ssh_key: /k/b\n    parallel: 3\n    timeout: 0\n"
	    "    server_alive_interval: 0.5\n    server_alive_count_max: 0\n"
	    "    ssh_config: /etc/b_config\n    jump_host: \"\"\n");
	ok(c != NULL, "full schema loads");
	is_str(warnings(c), "", "no warnings");
	is_long(clusters_count(c), 2, "two clusters");
	is_str(clusters_nth(c, 0)->name, "a", "file order: a");
	is_str(clusters_nth(c, 1)->name, "b", "file order: b");
	ok(clusters_nth(c, 2) == NULL, "nth past the end");
	is_str(specs(c, "a"), "alice@h1:2022 bob@h2:2022 alice@h3:23 "
	    "carol@h4:24", "defaults user/port under spec user/port");
	cl = clusters_get(c, "a", &eb);
	s = &cl->settings;
	is_long(cl->line, 12, "cluster line");
	is_str(cl->source, "c.yaml", "cluster source");
	is_long(s->parallel, 7, "defaults parallel");
	is_long(s->timeout_ms, 12000, "defaults timeout");
	is_long(s->alive_ms, 5000, "defaults server_alive_interval");
	is_long(s->alive_count, 4, "defaults server_alive_count_max");
	is_str(s->ssh_key, in_home(".ssh/k"), "defaults ssh_key, ~");
	is_str(s->ssh_config, in_home(".ssh/cfg"), "defaults ssh_config, ~");
	ok(s->jump.kind == CLUSTERS_JUMP_HOPS, "defaults jump_host");
	is_str(s->jump.hops, "gw", "defaults jump hops");
	is_long(s->set, 0x1ff, "every setting from the file");
	is_str(cl->nodes[1].user, "bob", "node user");
	is_long(cl->nodes[2].port, 23, "node port");
	is_str(cl->nodes[0].host, "h1", "node host");
	is_str(cl->nodes[0].ssh_key, in_home(".ssh/k"), "node key inherited");
	is_str(cl->nodes[0].jump.hops, "gw", "node jump inherited");
	is_str(specs(c, "b"), "dave@h5:2200", "cluster user and port");
	s = &clusters_get(c, "b", &eb)->settings;
	is_long(s->parallel, 3, "cluster parallel");
	is_long(s->timeout_ms, 0, "cluster timeout 0 = none");
	is_long(s->alive_ms, 500, "cluster alive 0.5 s");
	is_long(s->alive_count, 0, "cluster count 0");
	is_str(s->ssh_key, "/k/b", "cluster ssh_key");
	is_str(s->ssh_config, "/etc/b_config", "cluster ssh_config");
	ok(s->jump.kind == CLUSTERS_JUMP_NONE, "\"\" stops inheritance");
	ok(clusters_get(c, "b", &eb)->nodes[0].jump.kind == CLUSTERS_JUMP_NONE,
	    "node gets no jump host");
	is_long(clusters_defaults(c)->parallel, 7, "clusters_defaults");
	is_str(clusters_defaults(c)->user, "alice", "clusters_defaults user");
	ok(clusters_default(c) == NULL, "no default cluster");
	ok(clusters_get(c, "nope", &eb) == NULL, "unknown cluster");
	is_str(eb.msg, "no cluster \"nope\" in c.yaml", "its message");
	clusters_free(c);
}

static void
test_builtin(void)
{
	const struct clusters_settings *s;
	const struct clusters_cluster *cl;
	struct clusters *c;

	c = from("clusters:\n  x:\n    nodes: [h]\n");
	cl = clusters_get(c, "x", &eb);
	s = &cl->settings;
	is_str(specs(c, "x"), "h", "no user, no port: bare host");
	ok(cl->nodes[0].user == NULL && cl->nodes[0].port == 0,
	    "user and port unset");
	is_long(s->parallel, CLUSTERS_DEF_PARALLEL, "built-in parallel");
	is_long(s->timeout_ms, 300000, "built-in timeout");
	is_long(s->alive_ms, 30000, "built-in keepalive");
	is_long(s->alive_count, 3, "built-in count");
	ok(s->ssh_key == NULL && s->ssh_config == NULL && s->user == NULL,
	    "no key, ssh_config or user");
	ok(s->jump.kind == CLUSTERS_JUMP_UNSET, "no jump host");
	is_long(s->set, 0, "nothing from the file");
	is_long(cl->main_rank, 0, "main rank 0");
	clusters_free(c);
	c = from("");
	ok(c != NULL && clusters_count(c) == 0, "empty file: no clusters");
	is_long(clusters_defaults(c)->parallel, 10, "empty file: built-ins");
	clusters_free(c);
	c = from("clusters:\n");
	ok(c != NULL && clusters_count(c) == 0, "null clusters");
	clusters_free(c);
}

static void
test_interactive(void)
{
	const struct clusters_interactive *ia;
	struct clusters *c;

	c = from("clusters:\n  x:\n    nodes: [h]\n");
	ia = clusters_interactive(c);
	is_long(ia->mode, CLUSTERS_MODE_SINGLE_NODE, "built-in mode");
	is_str(ia->prompt_format, "[{node}:{user}@{host}:{pwd}]$ ",
	    "built-in prompt");
	is_str(ia->history_file, in_home(".bssh_history"), "built-in history");
	ok(ia->show_timestamps == 0 && ia->work_dir == NULL &&
	    ia->ncolors == 0, "built-in timestamps, work_dir, colors");
	is_str(ia->broadcast_prefix, "!broadcast ", "built-in broadcast");
	is_str(ia->node_switch_prefix, "!", "built-in switch prefix");
	is_str(ia->keys.switch_node, "Ctrl+N", "built-in switch_node");
	is_str(ia->keys.broadcast_toggle, "Ctrl+B", "built-in toggle");
	is_str(ia->keys.quit, "Ctrl+Q", "built-in quit");
	ok(ia->keys.clear_screen == NULL, "built-in clear_screen");
	ok(ia->set == 0 && ia->keys.set == 0, "nothing set");
	clusters_free(c);

	c = from("interactive:\n  default_mode: multiplex\n"
	    "  prompt_format: \"> \"\n  history_file: ~/h\n"
	    "  show_timestamps: yes\n  work_dir: /w\n"
	    "  broadcast_prefix: \"!b \"\n"
	    "  node_switch_prefix: \"@\"\n  colors: {n1: red, n2: blue}\n"
	    "  keybindings:\n    switch_node: Ctrl+X\n    quit: Ctrl+D\n"
	    "clusters:\n  i1:\n    nodes: [h]\n    interactive:\n"
	    "      default_mode: single_node\n      show_timestamps: false\n"
	    "      keybindings:\n        quit: Ctrl+C\n"
	    "  i2:\n    nodes: [h]\n");
	ok(c != NULL, "interactive loads");
	ia = clusters_interactive(c);
	is_long(ia->mode, CLUSTERS_MODE_MULTIPLEX, "global mode");
	is_str(ia->prompt_format, "> ", "global prompt");
	is_str(ia->history_file, in_home("h"), "global history ~");
	is_long(ia->show_timestamps, 1, "global timestamps");
	is_str(ia->work_dir, "/w", "global work_dir");
	is_str(ia->broadcast_prefix, "!b ", "global broadcast");
	is_str(ia->node_switch_prefix, "@", "global switch prefix");
	is_long(ia->ncolors, 2, "two colours");
	is_str(ia->colors[1].node, "n2", "colour node");
	is_str(ia->colors[1].color, "blue", "colour");
	is_str(ia->keys.switch_node, "Ctrl+X", "global switch_node");
	is_str(ia->keys.broadcast_toggle, "Ctrl+B", "built-in toggle kept");
	is_str(ia->keys.quit, "Ctrl+D", "global quit");
	ia = &clusters_get(c, "i1", &eb)->interactive;
	is_long(ia->mode, CLUSTERS_MODE_SINGLE_NODE, "cluster mode wins");
	is_long(ia->show_timestamps, 0, "cluster timestamps win");
	is_str(ia->prompt_format, "> ", "global prompt under the cluster");
	is_str(ia->keys.quit, "Ctrl+C", "cluster quit");
	is_str(ia->keys.switch_node, "Ctrl+X", "global switch_node");
	is_long(ia->ncolors, 2, "global colours");
	ia = &clusters_get(c, "i2", &eb)->interactive;
	is_long(ia->mode, CLUSTERS_MODE_MULTIPLEX, "no override: global");
	clusters_free(c);
}

static void
test_interactive_errors(void)
{
	is_str(err_of("interactive:\n  default_mode: both\n"),
	    "c.yaml:2: interactive.default_mode: not single_node or "
	    "multiplex: \"both\"", "bad mode");
	is_str(err_of("interactive:\n  show_timestamps: maybe\n"),
	    "c.yaml:2: interactive.show_timestamps: not a boolean "
	    "(yes/no/true/false): \"maybe\"", "bad boolean");
	is_str(err_of("interactive:\n  colors: [a]\n"),
	    "c.yaml:2: interactive.colors: expected a mapping, not a sequence",
	    "colors not a mapping");
	is_str(err_of("interactive:\n  colors:\n    n1: [red]\n"),
	    "c.yaml:3: interactive.colors: \"n1\": expected a colour",
	    "a colour that is not a scalar");
	is_str(err_of("interactive:\n  keybindings: 5\n"),
	    "c.yaml:2: interactive.keybindings: expected a mapping, not a "
	    "scalar", "keybindings not a mapping");
	is_str(err_of("interactive:\n  keybindings:\n    quit: {a: 1}\n"),
	    "c.yaml:3: interactive.keybindings.quit: expected a scalar, not a "
	    "mapping", "a keybinding that is not a scalar");
	is_str(err_of("clusters:\n  x:\n    nodes: [h]\n    interactive:\n"
	    "      prompt_format: [a]\n"),
	    "c.yaml:5: clusters.x.interactive.prompt_format: expected a "
	    "scalar, not a sequence", "cluster interactive error path");
}

static void
test_errors(void)
{
	char *big, *text;

	is_str(err_of("clusters:\n  web:\n    nodes: [h]\n    port: abc\n"),
	    "c.yaml:4: clusters.web.port: not a number: \"abc\"", "bad port");
	is_str(err_of("defaults:\n  parallel: 0\n"),
	    "c.yaml:2: defaults.parallel: out of range 1-100000: \"0\"",
	    "parallel 0");
	is_str(err_of("defaults:\n  timeout: 5m\n"),
	    "c.yaml:2: defaults.timeout: not a number of seconds: \"5m\"",
	    "bad timeout");
	is_str(err_of("defaults:\n  server_alive_count_max: -1\n"),
	    "c.yaml:2: defaults.server_alive_count_max: out of range "
	    "0-1000000: \"-1\"", "negative count");
	is_str(err_of("defaults:\n  user: -x\n"),
	    "c.yaml:2: defaults.user: not a valid user name: \"-x\"",
	    "bad user");
	is_str(err_of("defaults:\n  user: \"a b\"\n"),
	    "c.yaml:2: defaults.user: not a valid user name: \"a b\"",
	    "user with a space");
	is_str(err_of("defaults:\n  ssh_key: {a: 1}\n"),
	    "c.yaml:2: defaults.ssh_key: expected a scalar, not a mapping",
	    "key not a scalar");
	is_str(err_of("defaults: [a]\n"),
	    "c.yaml:1: defaults: expected a mapping, not a sequence",
	    "defaults not a mapping");
	is_str(err_of("default_cluster: nope\nclusters:\n  a:\n"
	    "    nodes: [h]\n"),
	    "c.yaml:1: default_cluster: no cluster \"nope\"",
	    "unknown default cluster");
	is_str(err_of("- a\n"), "c.yaml:1: expected a mapping at the top level",
	    "top-level sequence");
	is_str(err_of("clusters: [a]\n"),
	    "c.yaml:1: clusters: expected a mapping, not a sequence",
	    "clusters not a mapping");
	is_str(err_of("clusters:\n  web: 5\n"),
	    "c.yaml:2: clusters.web: expected a mapping", "cluster a scalar");
	is_str(err_of("clusters:\n  web:\n"),
	    "c.yaml:2: clusters.web: expected a mapping", "cluster null");
	is_str(err_of("clusters:\n  \"\":\n    nodes: [h]\n"),
	    "c.yaml:2: clusters.: empty cluster name", "empty name");
	is_str(err_of("clusters:\n  a:\n    nodes: [h]\n  a:\n"
	    "    nodes: [i]\n"),
	    "c.yaml:4: duplicate key \"a\" (first at line 2)",
	    "duplicate cluster");
	is_str(err_of("clusters:\n  a:\n    nodes: [h\n"),
	    "c.yaml:4:1: did not find expected ',' or ']' (while parsing a "
	    "flow sequence at line 3)", "syntax error");
	big = malloc(5000);
	memset(big, 'u', 4999);
	big[4999] = '\0';
	setenv("CT_BIG", big, 1);
	is_str(err_of("defaults:\n  user: $CT_BIG\n"),
	    "c.yaml:2: defaults.user: longer than 4096 bytes once expanded",
	    "expansion too long");
	if (asprintf(&text, "defaults:\n  ssh_key: ~/%s\n", big) > 0) {
		is_str(err_of(text), "c.yaml:2: defaults.ssh_key: longer than "
		    "4096 bytes once expanded", "~ expansion too long");
		free(text);
	}
	unsetenv("CT_BIG");
	free(big);
}

static void
test_warnings(void)
{
	struct clusters *c;

	c = from("colour: red\ndefaults:\n  prot: 22\nclusters:\n  w:\n"
	    "    nodes:\n      - host: h\n        hots: x\n"
	    "    interactive:\n      mode: x\n      keybindings:\n"
	    "        exit: q\n    jump_host: {host: j, sshkey: k}\n"
	    "    bogus:\n  e:\n    nodes: []\n  f:\n    nodes:\n");
	ok(c != NULL, "unknown keys do not fail");
	is_str(warnings(c),
	    "c.yaml:1: unknown key \"colour\" (ignored)\n"
	    "c.yaml:3: unknown key \"prot\" (ignored)\n"
	    "c.yaml:14: unknown key \"bogus\" (ignored)\n"
	    "c.yaml:13: unknown key \"sshkey\" (ignored)\n"
	    "c.yaml:10: unknown key \"mode\" (ignored)\n"
	    "c.yaml:12: unknown key \"exit\" (ignored)\n"
	    "c.yaml:8: unknown key \"hots\" (ignored)\n"
	    "c.yaml:16: clusters.e: no nodes\n"
	    "c.yaml:18: clusters.f: no nodes\n",
	    "every unknown key, with its line");
	is_long(clusters_get(c, "e", &eb)->nnodes, 0, "empty cluster kept");
	clusters_free(c);
}

static void
test_backendai(void)
{
	const struct clusters_cluster *cl;
	struct passwd *pw = getpwuid(getuid());
	const char *name = pw != NULL ? pw->pw_name : getenv("USER");
	struct clusters *c;
	char want[1024], me[300] = "";

	if (name != NULL) {
		snprintf(me, sizeof(me), "%s@", name);
	}

	bai_env("main1, sub1,sub2,,", "sub1", NULL);
	c = from("clusters:\n  web:\n    nodes: [h1, sub1]\n");
	ok(c != NULL, "Backend.AI with a file");
	is_long(clusters_count(c), 2, "the file's cluster and bai_auto");
	snprintf(want, sizeof(want), "%smain1:2200 %ssub1:2200 %ssub2:2200",
	    me, me, me);
	is_str(specs(c, "bai_auto"), want, "every host, user@host:2200");
	cl = clusters_get(c, "bai_auto", &eb);
	is_str(cl->source, "environment", "source");
	is_long(cl->line, 0, "no line");
	is_str(cl->settings.ssh_key, "/home/config/ssh/id_cluster", "key");
	is_str(cl->nodes[0].ssh_key, "/home/config/ssh/id_cluster", "node key");
	is_long(cl->nodes[0].port, 2200, "port 2200");
	is_long(cl->main_rank, 0, "no role: main rank 0");
	is_str(clusters_default(c), "bai_auto", "the default cluster");
	is_long(clusters_get(c, "web", &eb)->main_rank, 0,
	    "no role: web main rank 0");
	clusters_free(c);

	bai_env("main1,sub1,sub2", "sub1", "main");
	c = from("clusters:\n  web:\n    nodes: [h1, sub1]\n");
	is_long(clusters_get(c, "bai_auto", &eb)->main_rank, 1,
	    "role main: the node of BACKENDAI_CLUSTER_HOST");
	is_long(clusters_get(c, "web", &eb)->main_rank, 1,
	    "in any cluster");
	clusters_free(c);
	bai_env("main1,sub1,sub2", "sub2", "MAIN");
	c = from("");
	is_long(clusters_get(c, "bai_auto", &eb)->main_rank, 2,
	    "role compared in any case");
	clusters_free(c);
	bai_env(",main1,sub1,sub2", "sub1", "sub");
	c = from("");
	snprintf(want, sizeof(want), "%ssub1:2200 %ssub2:2200", me, me);
	is_str(specs(c, "bai_auto"), want, "sub role drops the first host");
	is_long(clusters_get(c, "bai_auto", &eb)->main_rank, 0,
	    "sub role: main rank 0");
	clusters_free(c);
	bai_env("main1,sub1", NULL, NULL);
	c = from("");
	is_long(clusters_count(c), 0, "HOSTS without HOST: nothing");
	clusters_free(c);
	bai_env("main1,bad host", "main1", NULL);
	is_str(err_of(""), "BACKENDAI_CLUSTER_HOSTS: \"bad host\": not a host "
	    "name", "a bad host");
	bai_env("main1,u@h", "main1", NULL);
	is_str(err_of(""), "BACKENDAI_CLUSTER_HOSTS: \"u@h\": not a host name",
	    "a user is not a host");
	bai_env(NULL, NULL, NULL);
}

static void
test_backendai_file(void)
{
	struct clusters *c;

	bai_env("m1,s1", "m1", "main");
	c = from("default_cluster: web\ndefaults:\n  parallel: 5\n"
	    "clusters:\n  web:\n    nodes: [h]\n");
	is_str(clusters_default(c), "web", "default_cluster beats bai_auto");
	is_long(clusters_get(c, "bai_auto", &eb)->settings.parallel, 5,
	    "defaults apply to bai_auto");
	clusters_free(c);
	c = from("default_cluster: bai_auto\nclusters:\n  bai_auto:\n"
	    "    nodes: [mine]\n");
	is_str(specs(c, "bai_auto"), "mine", "the file's bai_auto wins");
	is_str(warnings(c), "c.yaml:3: cluster \"bai_auto\" replaces the "
	    "Backend.AI cluster\n", "with a warning");
	is_long(clusters_count(c), 1, "once");
	clusters_free(c);
	c = from("default_cluster: bai_auto\n");
	ok(c != NULL && clusters_count(c) == 1, "default_cluster: bai_auto");
	clusters_free(c);
	bai_env(NULL, NULL, NULL);
	is_str(err_of("default_cluster: bai_auto\n"),
	    "c.yaml:1: default_cluster: no cluster \"bai_auto\"",
	    "bai_auto outside a session");
}

static void
test_example(void)
{
	const char *src = getenv("BSSH_SRCDIR");
	const struct clusters_cluster *cl;
	struct clusters *c;
	char *path;

	if (asprintf(&path, "%s/etc/bssh/config.yaml",
	    src != NULL ? src : ".") < 0) {
		abort();
	}
	c = clusters_load(path, &eb);
	ok(c != NULL, "etc/bssh/config.yaml loads");
	if (c == NULL) {
		printf("# %s\n", eb.msg);
		free(path);
		return;
	}
	is_str(warnings(c), "", "without warnings");
	is_str(clusters_default(c), "web", "its default cluster");
	is_long(clusters_count(c), 4, "its four clusters");
	cl = clusters_get(c, "gpu", &eb);
	ok(cl != NULL && cl->nnodes == 8, "gpu[01-08]");
	ok(cl != NULL && cl->interactive.mode == CLUSTERS_MODE_MULTIPLEX,
	    "gpu's interactive override");
	clusters_free(c);
	free(path);
}

int
main(void)
{
	setenv("HOME", HOME, 1);
	unsetenv("XDG_CONFIG_HOME");
	bai_env(NULL, NULL, NULL);
	test_schema();
	test_builtin();
	test_interactive();
	test_interactive_errors();
	test_errors();
	test_warnings();
	test_example();
	test_backendai();
	test_backendai_file();
	return tap_done();
}
