/*
 * clusters: the bssh client configuration; see clusters.h and
 * bssh-config(5).
 *
 * Settings and interactive settings are read through yamltab tables, so
 * one yamltab_merge makes cluster > defaults > built-in of them; nodes and
 * jump hosts are clusternodes'.  Strings that need no rewriting point into
 * the YAML tree, which lives as long as the handle; the others are kept by
 * the handle's yamltab.
 */
#include "config.h"

#include <sys/stat.h>

#include <errno.h>
#include <pwd.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <jansson.h>

#include "clusternodes.h"
#include "clusters.h"
#include "err.h"
#include "hostlist.h"
#include "hostspec.h"
#include "strset.h"
#include "varexpand.h"
#include "yamlconf.h"
#include "yamltab.h"
#include "yamltree.h"

#define MAX_S		(86400L * 365)	/* longest duration, as bssh(1) */
#define ENV_SOURCE	"environment"
#define CWD_FILE	"config.yaml"	/* ./config.yaml, named so */

struct clusters {
	struct yamlconf		*yc;		/* owned; NULL: no file */
	struct yamltab		 tab;		/* reads yc, keeps strings */
	struct clusters_cluster	*cl;
	size_t			 n;
	size_t			 cap;
	size_t			 total;		/* nodes in all clusters */
	const char		*def;
	struct clusters_settings raw_defaults;
	struct clusters_settings defaults;
	struct clusters_interactive raw_ia;
	struct clusters_interactive builtin_ia;
	struct clusters_interactive ia;
};

static int	 read_colors(struct yamltab *, const json_t *, const char *,
		    const char *, void *);

/* In the order of the CLUSTERS_SET_* bits. */
static const struct yamltab_field settings_tab[] = {
	YAMLTAB_CHECKED(struct clusters_settings, "user", user,
	    clusternodes_check_user),
	YAMLTAB_FIELD(struct clusters_settings, "port", YAMLTAB_INT, port,
	    1, 65535),
	YAMLTAB_FIELD(struct clusters_settings, "ssh_key", YAMLTAB_PATH,
	    ssh_key, 0, 0),
	YAMLTAB_FIELD(struct clusters_settings, "ssh_config", YAMLTAB_PATH,
	    ssh_config, 0, 0),
	YAMLTAB_FIELD(struct clusters_settings, "parallel", YAMLTAB_INT,
	    parallel, 1, 100000),
	YAMLTAB_FIELD(struct clusters_settings, "timeout", YAMLTAB_SECS,
	    timeout_ms, 0, MAX_S),
	YAMLTAB_FIELD(struct clusters_settings, "server_alive_interval",
	    YAMLTAB_SECS, alive_ms, 0, MAX_S),
	YAMLTAB_FIELD(struct clusters_settings, "server_alive_count_max",
	    YAMLTAB_INT, alive_count, 0, 1000000),
	YAMLTAB_CUSTOM(struct clusters_settings, "jump_host", jump,
	    clusternodes_read_jump),
	YAMLTAB_END
};

static const struct yamltab_field keys_tab[] = {
	YAMLTAB_FIELD(struct clusters_keys, "switch_node", YAMLTAB_STR,
	    switch_node, 0, 0),
	YAMLTAB_FIELD(struct clusters_keys, "broadcast_toggle", YAMLTAB_STR,
	    broadcast_toggle, 0, 0),
	YAMLTAB_FIELD(struct clusters_keys, "quit", YAMLTAB_STR, quit, 0, 0),
	YAMLTAB_FIELD(struct clusters_keys, "clear_screen", YAMLTAB_STR,
	    clear_screen, 0, 0),
	YAMLTAB_END
};

/* In the order of enum clusters_mode, from CLUSTERS_MODE_SINGLE_NODE. */
static const char *const mode_words[] = { "single_node", "multiplex", NULL };

static const struct yamltab_field ia_tab[] = {
	YAMLTAB_WORDS(struct clusters_interactive, "default_mode", mode,
	    mode_words, CLUSTERS_MODE_SINGLE_NODE),
	YAMLTAB_FIELD(struct clusters_interactive, "prompt_format",
	    YAMLTAB_STR, prompt_format, 0, 0),
	YAMLTAB_FIELD(struct clusters_interactive, "history_file",
	    YAMLTAB_PATH, history_file, 0, 0),
	YAMLTAB_FIELD(struct clusters_interactive, "show_timestamps",
	    YAMLTAB_BOOL, show_timestamps, 0, 0),
	YAMLTAB_FIELD(struct clusters_interactive, "work_dir", YAMLTAB_STR,
	    work_dir, 0, 0),
	YAMLTAB_FIELD(struct clusters_interactive, "broadcast_prefix",
	    YAMLTAB_STR, broadcast_prefix, 0, 0),
	YAMLTAB_FIELD(struct clusters_interactive, "node_switch_prefix",
	    YAMLTAB_STR, node_switch_prefix, 0, 0),
	/* colors and ncolors, which follows it, merged together */
	{ "colors", YAMLTAB_FUNC, offsetof(struct clusters_interactive, colors),
	    offsetof(struct clusters_interactive, ncolors) + sizeof(size_t) -
	    offsetof(struct clusters_interactive, colors), 0, 0, NULL, NULL,
	    NULL, read_colors },
	YAMLTAB_SUBMAP(struct clusters_interactive, "keybindings", keys,
	    keys_tab),
	YAMLTAB_END
};

static const struct clusters_settings builtin_settings = {
	~0u, NULL, 0, NULL, NULL, CLUSTERS_DEF_PARALLEL,
	CLUSTERS_DEF_TIMEOUT_MS, CLUSTERS_DEF_ALIVE_MS,
	CLUSTERS_DEF_ALIVE_COUNT, { CLUSTERS_JUMP_UNSET, NULL, NULL, NULL }
};

/* bssh's top-level keys; a ./config.yaml with none is not ours. */
static const char *const top_keys[] = {
	"defaults", "default_cluster", "interactive", "clusters", NULL
};

static struct clusters_cluster *new_cluster(struct clusters *, const char *,
		    const char *, unsigned long);
static int	 read_cluster(struct clusters *, const char *, const json_t *);
static int	 read_top(struct clusters *);
static const char *login_name(void);
static int	 backendai(struct clusters *);
static int	 bai_nodes(struct clusters *, struct clusters_cluster *,
		    const char *, int);
static int	 finish(struct clusters *, const char *, unsigned long);
static struct clusters *build(struct yamlconf *, struct errbuf *);
static int	 load_cwd(struct yamlconf **, struct errbuf *);
static int	 try_file(const char *, int, struct yamlconf **,
		    struct errbuf *);
static int	 locate(const char *, struct yamlconf **, struct errbuf *);

/* ---------------------------------------------------------------- reading */

/* colors: node -> colour, into colors and ncolors; a yamltab_read_fn. */
static int
read_colors(struct yamltab *t, const json_t *obj, const char *path,
    const char *key, void *p)
{
	struct clusters_color *v;
	json_t *m = NULL, *col;
	char what[YAMLTAB_PATH_MAX];
	const char *node;
	size_t n = 0;
	int rc;

	if ((rc = yamlconf_map(t->yc, obj, path, key, &m, t->eb)) != 1) {
		return rc;
	}
	v = yamltab_keep(t, calloc(json_object_size(m) + 1, sizeof(*v)));
	if (v == NULL) {
		return yamltab_oom(t);
	}
	json_object_foreach(m, node, col) {
		if (!json_is_string(col)) {
			snprintf(what, sizeof(what), "%s.%s", path, key);
			return yamlconf_fail(t->yc,
			    yamlconf_member_line(t->yc, m, node), what, t->eb,
			    "\"%.64s\": expected a colour", node);
		}
		v[n].node = node;
		v[n++].color = json_string_value(col);
	}
	memcpy(p, &v, sizeof(v));
	memcpy((char *)p + sizeof(v), &n, sizeof(n));
	return 1;
}

static struct clusters_cluster *
new_cluster(struct clusters *c, const char *name, const char *source,
    unsigned long line)
{
	struct clusters_cluster *p;

	if (c->n == c->cap) {
		p = reallocarray(c->cl, c->cap ? c->cap * 2 : 8, sizeof(*p));
		if (p == NULL) {
			return NULL;
		}
		c->cl = p;
		c->cap = c->cap ? c->cap * 2 : 8;
	}
	p = &c->cl[c->n++];
	memset(p, 0, sizeof(*p));
	p->name = name;
	p->source = source;
	p->line = line;
	return p;
}

static int
read_cluster(struct clusters *c, const char *name, const json_t *obj)
{
	const json_t *top = json_object_get(yamlconf_root(c->yc), "clusters");
	unsigned long line = yamlconf_key_mark(c->yc, top, name).line;
	struct clusters_settings raw;
	struct clusters_interactive ia;
	struct clusters_cluster *cl;
	char path[YAMLTAB_PATH_MAX];

	snprintf(path, sizeof(path), "clusters.%s", name);
	if (*name == '\0' || !json_is_object(obj)) {
		return yamlconf_fail(c->yc, line, path, c->tab.eb, "%s", *name ?
		    "expected a mapping" : "empty cluster name");
	}
	memset(&raw, 0, sizeof(raw));
	memset(&ia, 0, sizeof(ia));
	yamltab_check_keys(&c->tab, obj, settings_tab, "nodes", "interactive");
	if (yamltab_read(&c->tab, obj, path, settings_tab, &raw) != 0 ||
	    yamltab_read_map(&c->tab, obj, path, "interactive", ia_tab,
	    &ia) < 0) {
		return -1;
	}
	if ((cl = new_cluster(c, name, yamlconf_name(c->yc), line)) == NULL) {
		return yamltab_oom(&c->tab);
	}
	yamltab_merge(settings_tab, &cl->settings, (const void *[]){ &raw,
	    &c->raw_defaults, &builtin_settings }, 3);
	yamltab_merge(ia_tab, &cl->interactive, (const void *[]){ &ia,
	    &c->raw_ia, &c->builtin_ia }, 3);
	return clusternodes_read(&c->tab, cl, obj, path, &c->total);
}

static int
read_top(struct clusters *c)
{
	json_t *root = yamlconf_root(c->yc), *m = NULL, *v;
	struct yamltab *t = &c->tab;
	const char *name;

	if (root == NULL || json_is_null(root)) {
		return 0;
	}
	if (!json_is_object(root)) {
		return yamlconf_fail(c->yc,
		    yamlconf_node_mark(c->yc, root).line, NULL, t->eb,
		    "expected a mapping at the top level");
	}
	(void)yamlconf_check_keys(c->yc, root, top_keys);
	if (yamltab_read_map(t, root, "", "defaults", settings_tab,
	    &c->raw_defaults) < 0 ||
	    yamltab_read_map(t, root, "", "interactive", ia_tab,
	    &c->raw_ia) < 0 ||
	    yamlconf_string(c->yc, root, "", "default_cluster", &c->def,
	    t->eb) < 0 ||
	    yamlconf_map(c->yc, root, "", "clusters", &m, t->eb) < 0) {
		return -1;
	}
	json_object_foreach(m, name, v) {
		if (read_cluster(c, name, v) != 0) {
			return -1;
		}
	}
	return 0;
}

/* ----------------------------------------------------------- Backend.AI */

static const char *
login_name(void)
{
	struct passwd *pw = getpwuid(getuid());

	if (pw != NULL && pw->pw_name != NULL && *pw->pw_name != '\0') {
		return pw->pw_name;
	}
	return getenv("USER");
}

/* One node USER@HOST:2200 per host of hosts, the first skip dropped. */
static int
bai_nodes(struct clusters *c, struct clusters_cluster *cl, const char *hosts,
    int skip)
{
	size_t pos = 0, off, len;
	struct strset seen;
	struct hostspec hs;
	struct errbuf heb;
	char *host, *spec;
	int rc = 0;

	strset_init(&seen);
	while (rc == 0 && hostlist_next_item(hosts, strlen(hosts), &pos, &off,
	    &len)) {
		if (len == 0 || (skip && skip-- > 0)) {
			continue;
		}
		if ((host = strndup(hosts + off, len)) == NULL) {
			rc = yamltab_oom(&c->tab);
		} else if (hostspec_parse(host, &hs, &heb) != 0 || *hs.user ||
		    hs.port || strchr(host, '[') != NULL) {
			rc = err_set(c->tab.eb, "BACKENDAI_CLUSTER_HOSTS: "
			    "\"%.64s\": not a host name", host);
		} else if ((spec = clusternodes_compose(login_name(), host, 0,
		    CLUSTERS_BAI_PORT)) == NULL) {
			rc = yamltab_oom(&c->tab);
		} else {
			rc = clusternodes_add(&c->tab, cl, spec, &seen,
			    &c->total);
			free(spec);
		}
		free(host);
	}
	strset_clear(&seen);
	return rc;
}

static int
backendai(struct clusters *c)
{
	const char *hosts = getenv("BACKENDAI_CLUSTER_HOSTS");
	const char *role = getenv("BACKENDAI_CLUSTER_ROLE");
	struct clusters_settings raw = { CLUSTERS_SET_SSH_KEY, NULL, 0,
	    CLUSTERS_BAI_KEY, NULL, 0, 0, 0, 0, { 0, NULL, NULL, NULL } };
	struct clusters_cluster *cl;
	size_t i;

	if (hosts == NULL || getenv("BACKENDAI_CLUSTER_HOST") == NULL) {
		return 0;
	}
	for (i = 0; i < c->n; i++) {
		if (strcmp(c->cl[i].name, CLUSTERS_BAI_NAME) == 0) {
			(void)yamlconf_warn(c->yc, c->cl[i].line,
			    "cluster \"%s\" replaces the Backend.AI cluster",
			    CLUSTERS_BAI_NAME);
			return 0;
		}
	}
	if ((cl = new_cluster(c, CLUSTERS_BAI_NAME, ENV_SOURCE, 0)) == NULL) {
		return yamltab_oom(&c->tab);
	}
	yamltab_merge(settings_tab, &cl->settings, (const void *[]){ &raw,
	    &c->raw_defaults, &builtin_settings }, 3);
	cl->interactive = c->ia;
	return bai_nodes(c, cl, hosts,
	    role != NULL && strcasecmp(role, "main") != 0);
}

/* ---------------------------------------------------------------- loading */

/* The default cluster and every cluster's main rank. */
static int
finish(struct clusters *c, const char *def, unsigned long line)
{
	const char *role = getenv("BACKENDAI_CLUSTER_ROLE");
	const char *me = getenv("BACKENDAI_CLUSTER_HOST");
	struct errbuf tmp;
	size_t i, k;

	if (def != NULL && clusters_get(c, def, &tmp) == NULL) {
		return yamlconf_fail(c->yc, line, "default_cluster", c->tab.eb,
		    "no cluster \"%.64s\"", def);
	}
	c->def = def != NULL ? def : clusters_get(c, CLUSTERS_BAI_NAME, &tmp) ?
	    CLUSTERS_BAI_NAME : NULL;
	if (role == NULL || strcasecmp(role, "main") != 0 || me == NULL) {
		return 0;
	}
	for (i = 0; i < c->n; i++) {
		for (k = 0; k < c->cl[i].nnodes; k++) {
			if (strcmp(c->cl[i].nodes[k].host, me) == 0) {
				c->cl[i].main_rank = k;
				break;
			}
		}
	}
	return 0;
}

/* Read the configuration in yc (NULL: none; owned from here on). */
static struct clusters *
build(struct yamlconf *yc, struct errbuf *eb)
{
	struct clusters *c = calloc(1, sizeof(*c));
	const char *def;
	char *hist;

	if (c == NULL) {
		yamlconf_free(yc);
		err_set(eb, "out of memory");
		return NULL;
	}
	c->yc = yc;
	yamltab_init(&c->tab, yc, ENV_SOURCE, eb);
	c->builtin_ia = (struct clusters_interactive){ ~0u,
	    CLUSTERS_MODE_SINGLE_NODE, "[{node}:{user}@{host}:{pwd}]$ ", NULL,
	    0, NULL, "!broadcast ", "!", NULL, 0, { ~0u, "Ctrl+N", "Ctrl+B",
	    "Ctrl+Q", NULL } };
	hist = yamltab_keep(&c->tab, varexpand_tilde("~/.bssh_history"));
	if ((c->builtin_ia.history_file = hist) == NULL) {
		yamltab_oom(&c->tab);
	} else if (yc == NULL || read_top(c) == 0) {
		yamltab_merge(settings_tab, &c->defaults, (const void *[]){
		    &c->raw_defaults, &builtin_settings }, 2);
		yamltab_merge(ia_tab, &c->ia, (const void *[]){ &c->raw_ia,
		    &c->builtin_ia }, 2);
		def = c->def;
		if (backendai(c) == 0 && finish(c, def, yc == NULL ? 0 :
		    yamlconf_member_line(yc, yamlconf_root(yc),
		    "default_cluster")) == 0) {
			c->tab.eb = NULL;
			return c;
		}
	}
	clusters_free(c);
	return NULL;
}

/*
 * ./config.yaml into *yc, unless it is YAML that is not ours: no document
 * has a top-level key of bssh's.  1 loaded, 0 skipped, -1.
 */
static int
load_cwd(struct yamlconf **yc, struct errbuf *eb)
{
	char *buf;
	size_t len;
	int rc;

	if (yamltree_read_file(CWD_FILE, YAMLCONF_FILE_MAX, &buf, &len,
	    eb) != 0) {
		return -1;
	}
	if ((rc = yamltree_has_top_key(buf, len, top_keys)) != 0) {
		/* ours, or not YAML: read as strictly as any other file */
		*yc = yamlconf_load_buffer(CWD_FILE, buf, len, eb);
		rc = *yc != NULL ? 1 : -1;
	}
	free(buf);
	return rc;
}

/* Load path (NULL: out of memory) if it exists.  1, 0 absent/skipped, -1. */
static int
try_file(const char *path, int cwd, struct yamlconf **yc, struct errbuf *eb)
{
	struct stat st;

	if (path == NULL) {
		return err_set(eb, "out of memory");
	}
	if (stat(path, &st) != 0) {
		return errno == ENOENT || errno == ENOTDIR ? 0 :
		    err_set_sys(eb, "%s", path);
	}
	if (cwd) {
		return load_cwd(yc, eb);
	}
	*yc = yamlconf_load_file(path, eb);
	return *yc != NULL ? 1 : -1;
}

/* The first candidate file that is there (and ours), or NULL.  0 or -1. */
static int
locate(const char *xdg, struct yamlconf **yc, struct errbuf *eb)
{
	char *cand[3] = { NULL, NULL, NULL };
	size_t i;
	int rc = 0;

	cand[0] = strdup(CWD_FILE);
	if (xdg != NULL && *xdg == '/') {
		if (asprintf(&cand[1], "%s/bssh/config.yaml", xdg) < 0) {
			cand[1] = NULL;
		}
	} else {
		cand[1] = varexpand_tilde("~/.config/bssh/config.yaml");
	}
	cand[2] = varexpand_tilde("~/.bssh/config.yaml");
	*yc = NULL;
	for (i = 0; i < 3 && rc == 0; i++) {
		rc = try_file(cand[i], i == 0, yc, eb);
	}
	for (i = 0; i < 3; i++) {
		free(cand[i]);
	}
	return rc < 0 ? -1 : 0;
}

struct clusters *
clusters_load(const char *path, struct errbuf *eb)
{
	struct yamlconf *yc = NULL;

	if (path != NULL) {
		if ((yc = yamlconf_load_file(path, eb)) == NULL) {
			return NULL;
		}
	} else if (locate(getenv("XDG_CONFIG_HOME"), &yc, eb) != 0) {
		return NULL;
	}
	return build(yc, eb);
}

struct clusters *
clusters_load_buffer(const char *name, const void *buf, size_t len,
    struct errbuf *eb)
{
	struct yamlconf *yc = yamlconf_load_buffer(name, buf, len, eb);

	return yc != NULL ? build(yc, eb) : NULL;
}

void
clusters_free(struct clusters *c)
{
	size_t i;

	if (c == NULL) {
		return;
	}
	for (i = 0; i < c->n; i++) {
		free((void *)c->cl[i].nodes);
	}
	yamltab_clear(&c->tab);
	free(c->cl);
	yamlconf_free(c->yc);
	free(c);
}

/* ---------------------------------------------------------------- queries */

const char *
clusters_source(const struct clusters *c)
{
	return c->yc != NULL ? yamlconf_name(c->yc) : NULL;
}

const char *
clusters_default(const struct clusters *c)
{
	return c->def;
}

size_t
clusters_count(const struct clusters *c)
{
	return c->n;
}

const struct clusters_cluster *
clusters_nth(const struct clusters *c, size_t i)
{
	return i < c->n ? &c->cl[i] : NULL;
}

const struct clusters_cluster *
clusters_get(const struct clusters *c, const char *name, struct errbuf *eb)
{
	size_t i;

	for (i = 0; i < c->n; i++) {
		if (strcmp(c->cl[i].name, name) == 0) {
			return &c->cl[i];
		}
	}
	err_set(eb, "no cluster \"%.64s\" in %s", name, c->yc != NULL ?
	    yamlconf_name(c->yc) : "the configuration (no file found)");
	return NULL;
}

const struct clusters_settings *
clusters_defaults(const struct clusters *c)
{
	return &c->defaults;
}

const struct clusters_interactive *
clusters_interactive(const struct clusters *c)
{
	return &c->ia;
}

size_t
clusters_nwarnings(const struct clusters *c)
{
	return c->yc != NULL ? yamlconf_nwarnings(c->yc) : 0;
}

const char *
clusters_warning(const struct clusters *c, size_t i)
{
	return c->yc != NULL ? yamlconf_warning(c->yc, i) : NULL;
}
