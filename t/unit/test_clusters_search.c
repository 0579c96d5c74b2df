/*
 * Unit tests of the search for the bssh configuration in lib/clusters, with
 * HOME, XDG_CONFIG_HOME and the working directory pointed at a temporary
 * directory: the order, files never merged, --config, broken files never
 * skipped, a ./config.yaml that is not bssh's (no bssh top-level key)
 * skipped and one that is read strictly, and the file read in a Backend.AI
 * session too.
 */
#include "config.h"

#include <sys/stat.h>

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tap.h"
#include "clusters.h"

static struct errbuf eb;
static char	tmpdir[] = "/tmp/test_clusters_search.XXXXXX";
static char	*home;
static char	 joined[4096];

static int	 rm_entry(const char *, const struct stat *, int,
		    struct FTW *);
static char	*path_in(const char *);
static void	 put(const char *, const char *);
static void	 unlink_in(const char *);
static const char *warnings(const struct clusters *);
static const char *in_home(const char *);
static void	 test_search(void);
static void	 test_search_errors(void);
static struct clusters *cwd_load(const char *);
static void	 test_search_skip(void);
static void	 test_search_strict(void);
static void	 test_search_backendai(void);

static int
rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)remove(path);
	return 0;
}

/* tmpdir/rel (malloc'd). */
static char *
path_in(const char *rel)
{
	char *p;

	if (asprintf(&p, "%s/%s", tmpdir, rel) < 0) {
		abort();
	}
	return p;
}

/* Write text to tmpdir/rel, making the directories on the way. */
static void
put(const char *rel, const char *text)
{
	char *p = path_in(rel);
	size_t i;
	FILE *f;

	for (i = strlen(tmpdir) + 1; p[i] != '\0'; i++) {
		if (p[i] == '/') {
			p[i] = '\0';
			(void)mkdir(p, 0700);
			p[i] = '/';
		}
	}
	if ((f = fopen(p, "w")) == NULL) {
		abort();
	}
	fputs(text, f);
	fclose(f);
	free(p);
}

static void
unlink_in(const char *rel)
{
	char *p = path_in(rel);

	(void)unlink(p);
	free(p);
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

	snprintf(buf, sizeof(buf), "%s/%s", home, rel);
	return buf;
}

static void
test_search(void)
{
	struct clusters *c;
	char *p;

	c = clusters_load(NULL, &eb);
	ok(c != NULL && clusters_source(c) == NULL && clusters_count(c) == 0,
	    "no file: empty configuration");
	clusters_free(c);
	put("home/.bssh/config.yaml",
	    "clusters:\n  dotbssh:\n    nodes: [h]\n");
	c = clusters_load(NULL, &eb);
	is_str(clusters_source(c), in_home(".bssh/config.yaml"),
	    "~/.bssh/config.yaml is the last resort");
	clusters_free(c);
	put("home/.config/bssh/config.yaml",
	    "clusters:\n  dotconfig:\n    nodes: [h]\n");
	c = clusters_load(NULL, &eb);
	is_str(clusters_source(c), in_home(".config/bssh/config.yaml"),
	    "~/.config/bssh before ~/.bssh");
	ok(clusters_get(c, "dotbssh", &eb) == NULL, "files are not merged");
	clusters_free(c);
	p = path_in("xdg");
	setenv("XDG_CONFIG_HOME", p, 1);
	c = clusters_load(NULL, &eb);
	is_str(clusters_source(c), in_home(".bssh/config.yaml"),
	    "XDG_CONFIG_HOME set: ~/.config is not read");
	clusters_free(c);
	put("xdg/bssh/config.yaml", "clusters:\n  xdg:\n    nodes: [h]\n");
	c = clusters_load(NULL, &eb);
	ok(c != NULL && strstr(clusters_source(c), "/xdg/bssh/config.yaml"),
	    "$XDG_CONFIG_HOME/bssh/config.yaml");
	clusters_free(c);
	setenv("XDG_CONFIG_HOME", "relative/dir", 1);
	c = clusters_load(NULL, &eb);
	is_str(clusters_source(c), in_home(".config/bssh/config.yaml"),
	    "a relative XDG_CONFIG_HOME is ignored");
	clusters_free(c);
	setenv("XDG_CONFIG_HOME", p, 1);
	put("cwd/config.yaml", "clusters:\n  cwd:\n    nodes: [h]\n");
	c = clusters_load(NULL, &eb);
	is_str(clusters_source(c), "config.yaml", "./config.yaml first");
	ok(clusters_get(c, "cwd", &eb) != NULL, "its clusters");
	clusters_free(c);
	put("explicit.yaml", "clusters:\n  explicit:\n    nodes: [h]\n");
	free(p);
	p = path_in("explicit.yaml");
	c = clusters_load(p, &eb);
	is_str(clusters_source(c), p, "--config over everything");
	clusters_free(c);
	free(p);
}

static void
test_search_errors(void)
{
	char *p = path_in("missing.yaml"), want[512];
	struct clusters *c;

	ok(clusters_load(p, &eb) == NULL, "--config must exist");
	snprintf(want, sizeof(want), "%s: No such file or directory", p);
	is_str(eb.msg, want, "its message");
	free(p);
	put("cwd/config.yaml", "clusters:\n  a:\n    nodes: [h]\n  a: {}\n");
	ok(clusters_load(NULL, &eb) == NULL, "a broken ./config.yaml fails");
	is_str(eb.msg, "config.yaml:4: duplicate key \"a\" (first at line 2)",
	    "with file:line");
	p = path_in("cwd/config.yaml");
	unlink(p);
	free(p);
	put("xdg/bssh/config.yaml", "clusters:\n  x:\n    nodes: [h]\n"
	    "    port: x\n");
	ok(clusters_load(NULL, &eb) == NULL, "a broken later file fails too");
	ok(strstr(eb.msg, "/xdg/bssh/config.yaml:4: clusters.x.port: not a "
	    "number: \"x\"") != NULL, "never skipped silently");
	p = path_in("xdg/bssh/config.yaml");
	unlink(p);
	free(p);
	p = path_in("cwd/config.yaml");
	(void)mkdir(p, 0700);
	ok(clusters_load(NULL, &eb) == NULL, "./config.yaml a directory");
	is_str(eb.msg, "config.yaml: not a regular file", "its message");
	rmdir(p);
	free(p);
	c = clusters_load(NULL, &eb);
	is_str(clusters_source(c), in_home(".bssh/config.yaml"),
	    "back to ~/.bssh");
	clusters_free(c);
}

/* clusters_load(NULL) with text as ./config.yaml. */
static struct clusters *
cwd_load(const char *text)
{
	put("cwd/config.yaml", text);
	return clusters_load(NULL, &eb);
}

/* A ./config.yaml without bssh's top-level keys is someone else's. */
static void
test_search_skip(void)
{
	static const char *const foreign[] = {
		"name: my-app\nversion: 3\n",
		("apiVersion: v1\nkind: A\nbase: &b {x: 1}\nuse: *b\n---\n"
		    "kind: B\n"),
		"a: 1\na: 2\n",
		"app:\n  clusters: {web: {nodes: [h]}}\n",
		"- defaults\n- clusters\n",
		"clusters\n",
		"",
		"# nothing\n",
		"---\n",
		"Clusters: {}\n",
		"? [clusters]\n: 1\n",
	};
	char what[128];
	struct clusters *c;
	size_t i;

	for (i = 0; i < sizeof(foreign) / sizeof(foreign[0]); i++) {
		c = cwd_load(foreign[i]);
		snprintf(what, sizeof(what), "foreign ./config.yaml %zu: "
		    "skipped for ~/.bssh", i);
		is_str(c != NULL ? clusters_source(c) : eb.msg,
		    in_home(".bssh/config.yaml"), what);
		snprintf(what, sizeof(what), "foreign ./config.yaml %zu: "
		    "no warnings", i);
		is_str(c != NULL ? warnings(c) : eb.msg, "", what);
		clusters_free(c);
	}
	setenv("HOME", "/nonexistent/test_clusters", 1);
	c = cwd_load("name: my-app\n");
	ok(c != NULL && clusters_source(c) == NULL && clusters_count(c) == 0,
	    "skipped, and nothing else: the empty configuration");
	clusters_free(c);
	setenv("HOME", home, 1);
	put("xdg/bssh/config.yaml", "name: not-bssh\n");
	c = clusters_load(NULL, &eb);
	ok(c != NULL && strstr(clusters_source(c), "/xdg/bssh/config.yaml"),
	    "only ./config.yaml is probed: a later file is read anyway");
	ok(c != NULL && strstr(warnings(c), "unknown key \"name\"") != NULL,
	    "with its warning");
	clusters_free(c);
	c = clusters_load("config.yaml", &eb);
	is_str(c != NULL ? clusters_source(c) : eb.msg, "config.yaml",
	    "--config config.yaml is read whatever it holds");
	is_str(warnings(c), "config.yaml:1: unknown key \"name\" (ignored)\n",
	    "with its warning");
	clusters_free(c);
	unlink_in("xdg/bssh/config.yaml");
	unlink_in("cwd/config.yaml");
}

/* A ./config.yaml with one of them is held to the same rules as before. */
static void
test_search_strict(void)
{
	struct clusters *c;

	c = cwd_load("defaults:\n  parallel: 3\nother: 1\n");
	is_str(c != NULL ? clusters_source(c) : eb.msg, "config.yaml",
	    "one bssh key: ./config.yaml is read");
	is_str(warnings(c), "config.yaml:3: unknown key \"other\" (ignored)\n",
	    "unknown keys warned about");
	clusters_free(c);
	c = cwd_load("interactive:\n");
	is_str(c != NULL ? clusters_source(c) : eb.msg, "config.yaml",
	    "a bssh key with a null value is enough");
	clusters_free(c);
	ok(cwd_load("clusters: [a]\n") == NULL, "a bad value fails");
	is_str(eb.msg, "config.yaml:1: clusters: expected a mapping, not a "
	    "sequence", "with file:line");
	ok(cwd_load("default_cluster: nope\n") == NULL,
	    "default_cluster alone is bssh's");
	is_str(eb.msg, "config.yaml:1: default_cluster: no cluster \"nope\"",
	    "and checked");
	ok(cwd_load("\"clusters\": {}\nx: &a 1\ny: *a\n") == NULL,
	    "bssh's with an alias fails");
	is_str(eb.msg, "config.yaml:3: aliases (*name) are not supported",
	    "as before");
	ok(cwd_load("a: 1\n---\nclusters: {}\n") == NULL,
	    "a bssh key in a later document counts");
	is_str(eb.msg, "config.yaml:2: more than one YAML document",
	    "and the file fails");
	ok(cwd_load("name: x\nlist: [1, 2\n") == NULL,
	    "YAML that does not parse fails, bssh keys or not");
	is_str(eb.msg, "config.yaml:3:1: did not find expected ',' or ']' "
	    "(while parsing a flow sequence at line 2)",
	    "with libyaml's error");
	ok(cwd_load("a: \xff\n") == NULL, "so does a bad byte");
	is_str(eb.msg, "config.yaml: byte 3: invalid leading UTF-8 octet",
	    "its message");
	unlink_in("cwd/config.yaml");
}

/* The file is read in a Backend.AI session too, next to bai_auto. */
static void
test_search_backendai(void)
{
	struct clusters *c;

	setenv("BACKENDAI_CLUSTER_HOSTS", "m1,s1", 1);
	setenv("BACKENDAI_CLUSTER_HOST", "m1", 1);
	setenv("BACKENDAI_CLUSTER_ROLE", "main", 1);
	c = clusters_load(NULL, &eb);
	ok(c != NULL && clusters_get(c, "bai_auto", &eb) != NULL &&
	    clusters_get(c, "dotbssh", &eb) != NULL,
	    "the file is read in a Backend.AI session too");
	is_long(c != NULL ? (long)clusters_count(c) : -1, 2,
	    "its cluster and bai_auto");
	clusters_free(c);
	unsetenv("BACKENDAI_CLUSTER_HOSTS");
	unsetenv("BACKENDAI_CLUSTER_HOST");
	unsetenv("BACKENDAI_CLUSTER_ROLE");
}

int
main(void)
{
	char cwd[4096], *p;

	if (mkdtemp(tmpdir) == NULL || getcwd(cwd, sizeof(cwd)) == NULL) {
		perror("setup");
		return 1;
	}
	home = path_in("home");
	p = path_in("cwd");
	(void)mkdir(home, 0700);
	(void)mkdir(p, 0700);
	setenv("HOME", home, 1);
	unsetenv("XDG_CONFIG_HOME");
	unsetenv("BACKENDAI_CLUSTER_HOSTS");
	unsetenv("BACKENDAI_CLUSTER_HOST");
	unsetenv("BACKENDAI_CLUSTER_ROLE");
	if (chdir(p) != 0) {
		perror("chdir");
		return 1;
	}
	test_search();
	test_search_errors();
	test_search_skip();
	test_search_strict();
	test_search_backendai();
	(void)!chdir(cwd);
	(void)nftw(tmpdir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
	free(p);
	free(home);
	return tap_done();
}
