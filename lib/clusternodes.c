/*
 * clusternodes: node items and jump hosts of a cluster; see clusternodes.h
 * and bssh-config(5).
 *
 * A node mapping and a jump host mapping are both read into a struct
 * node_raw through yamltab tables; strings are kept by the yamltab, so a
 * node's fields may share them.
 */
#include "config.h"

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

/* A node mapping, or a jump host mapping, as written. */
struct node_raw {
	unsigned		 set;
	const char		*host;
	long			 port;
	const char		*user;
	const char		*ssh_key;
	struct clusters_jump	 jump;
	const char		*alias;
};

/* node_tab's bit for ssh_key, whose "" (NULL) still counts as given */
#define NODE_SET_KEY	(1u << 3)

static const struct yamltab_field node_tab[] = {
	YAMLTAB_FIELD(struct node_raw, "host", YAMLTAB_EXP, host, 0, 0),
	YAMLTAB_FIELD(struct node_raw, "port", YAMLTAB_INT, port, 1, 65535),
	YAMLTAB_CHECKED(struct node_raw, "user", user, clusternodes_check_user),
	YAMLTAB_FIELD(struct node_raw, "ssh_key", YAMLTAB_PATH, ssh_key, 0, 0),
	YAMLTAB_CUSTOM(struct node_raw, "jump_host", jump,
	    clusternodes_read_jump),
	YAMLTAB_END
};

static const struct yamltab_field jump_tab[] = {
	YAMLTAB_FIELD(struct node_raw, "host", YAMLTAB_EXP, host, 0, 0),
	YAMLTAB_FIELD(struct node_raw, "port", YAMLTAB_INT, port, 1, 65535),
	YAMLTAB_CHECKED(struct node_raw, "user", user, clusternodes_check_user),
	YAMLTAB_FIELD(struct node_raw, "ssh_key", YAMLTAB_PATH, ssh_key, 0, 0),
	YAMLTAB_FIELD(struct node_raw, "ssh_config_host", YAMLTAB_EXP, alias,
	    0, 0),
	YAMLTAB_END
};

static int	 bare_v6(const char *);
static int	 jump_string(struct yamltab *, const char *, unsigned long,
		    const char *, struct clusters_jump *);
static int	 jump_map(struct yamltab *, const json_t *, const char *,
		    struct clusters_jump *);
static int	 add_node(struct yamltab *, struct clusters_cluster *,
		    const struct node_raw *, const char *, struct strset *,
		    size_t *);
static int	 add_expr(struct yamltab *, struct clusters_cluster *,
		    const struct node_raw *, const char *, struct strset *,
		    size_t *, struct errbuf *);
static int	 node_item(struct yamltab *, struct clusters_cluster *,
		    const json_t *, const char *, unsigned long,
		    struct strset *, size_t *);

/* ---------------------------------------------------------------- helpers */

char *
clusternodes_compose(const char *user, const char *host, int v6, long port)
{
	char pb[24] = "";
	char *s;

	if (port > 0) {
		snprintf(pb, sizeof(pb), ":%ld", port);
	}
	if (asprintf(&s, "%s%s%s%s%s%s", user != NULL ? user : "",
	    user != NULL ? "@" : "", v6 ? "[" : "", host, v6 ? "]" : "",
	    pb) < 0) {
		return NULL;
	}
	return s;
}

/* 1 if host is an IPv6 address written without brackets. */
static int
bare_v6(const char *host)
{
	return host[0] != '[' && strchr(host, ':') != NULL;
}

const char *
clusternodes_check_user(const char *user)
{
	char probe[VAREXPAND_MAX + 8];
	struct hostspec hs;

	/* as the user part of "user@h", and nothing else */
	if (strlen(user) + 3 > sizeof(probe)) {
		return "not a valid user name";
	}
	snprintf(probe, sizeof(probe), "%s@h", user);
	if (hostspec_parse(probe, &hs, NULL) != 0 ||
	    strcmp(hs.user, user) != 0) {
		return "not a valid user name";
	}
	return NULL;
}

/* ----------------------------------------------------------- jump hosts */

static int
jump_string(struct yamltab *t, const char *s, unsigned long line,
    const char *what, struct clusters_jump *j)
{
	size_t pos = 0, off, len, hl = 0;
	struct hostspec hs;
	struct errbuf heb;
	char *v, *hop, *hops = NULL, *np;

	if (*s == '\0') {
		j->kind = CLUSTERS_JUMP_NONE;
		return 1;
	}
	if ((v = yamltab_keep(t, varexpand_vars(s + (*s == '@')))) == NULL) {
		return errno == ENAMETOOLONG ? yamlconf_fail(t->yc, line, what,
		    t->eb, "too long once expanded") : yamltab_oom(t);
	}
	if (*s == '@') {
		j->kind = CLUSTERS_JUMP_ALIAS;
		j->alias = v;
		return *v != '\0' ? 1 : yamlconf_fail(t->yc, line, what, t->eb,
		    "empty ssh_config alias");
	}
	while (hostlist_next_item(v, strlen(v), &pos, &off, &len)) {
		hop = strndup(v + off, len);
		if (hop == NULL || hostspec_parse(hop, &hs, &heb) != 0) {
			free(hop);
			free(hops);
			return hop == NULL ? yamltab_oom(t) :
			    yamlconf_fail(t->yc, line, what, t->eb, "%s",
			    heb.msg);
		}
		free(hop);
		hop = clusternodes_compose(*hs.user ? hs.user : NULL, hs.host,
		    hs.ipv6, hs.port);
		if (hop == NULL || (np = realloc(hops, hl + strlen(hop) + 2)) ==
		    NULL) {
			free(hop);
			free(hops);
			return yamltab_oom(t);
		}
		hops = np;
		hl += (size_t)sprintf(hops + hl, "%s%s", hl ? "," : "", hop);
		free(hop);
	}
	j->kind = CLUSTERS_JUMP_HOPS;
	return (j->hops = yamltab_keep(t, hops)) != NULL ? 1 : yamltab_oom(t);
}

static int
jump_map(struct yamltab *t, const json_t *m, const char *what,
    struct clusters_jump *j)
{
	unsigned long line = yamlconf_node_mark(t->yc, m).line;
	struct node_raw r;
	struct hostspec hs;
	struct errbuf heb;
	char *hop;

	memset(&r, 0, sizeof(r));
	yamltab_check_keys(t, m, jump_tab, NULL, NULL);
	if (yamltab_read(t, m, what, jump_tab, &r) != 0) {
		return -1;
	}
	j->ssh_key = r.ssh_key;
	if (r.alias != NULL && r.host == NULL) {
		j->kind = CLUSTERS_JUMP_ALIAS;
		j->alias = r.alias;
		return 1;
	}
	if (r.alias != NULL || r.host == NULL) {
		return yamlconf_fail(t->yc, line, what, t->eb, "%s",
		    r.host == NULL ? "needs host or ssh_config_host" :
		    "host and ssh_config_host exclude each other");
	}
	hop = yamltab_keep(t, clusternodes_compose(r.user, r.host,
	    bare_v6(r.host), r.port));
	if (hop == NULL) {
		return yamltab_oom(t);
	}
	if (hostspec_parse(hop, &hs, &heb) != 0) {
		return yamlconf_fail(t->yc, line, what, t->eb, "%s", heb.msg);
	}
	j->kind = CLUSTERS_JUMP_HOPS;
	j->hops = hop;
	return 1;
}

int
clusternodes_read_jump(struct yamltab *t, const json_t *obj, const char *path,
    const char *key, void *dst)
{
	struct clusters_jump *j = dst;
	json_t *v = json_object_get(obj, key);
	char what[YAMLTAB_PATH_MAX];

	snprintf(what, sizeof(what), "%s%s%s", path, *path ? "." : "", key);
	if (v == NULL || json_is_null(v)) {
		return 0;
	}
	if (json_is_string(v)) {
		return jump_string(t, json_string_value(v),
		    yamlconf_member_line(t->yc, obj, key), what, j);
	}
	if (json_is_object(v)) {
		return jump_map(t, v, what, j);
	}
	return yamlconf_fail(t->yc, yamlconf_member_line(t->yc, obj, key),
	    what, t->eb, "expected a host string or a mapping, not a sequence");
}

/* ---------------------------------------------------------------- nodes */

/* Add the expanded spec entry to cl, with r's node-level settings. */
static int
add_node(struct yamltab *t, struct clusters_cluster *cl,
    const struct node_raw *r, const char *entry, struct strset *seen,
    size_t *total)
{
	struct clusters_node *nodes = (struct clusters_node *)cl->nodes, *nd;
	const char *user = r->user;
	struct hostspec hs;
	size_t idx;
	long port;
	char *spec;

	if (hostspec_parse(entry, &hs, NULL) != 0) {
		return err_set(t->eb, "%s: cannot parse", entry);
	}
	if (user == NULL && *hs.user != '\0' &&
	    (user = yamltab_keep(t, strdup(hs.user))) == NULL) {
		return yamltab_oom(t);
	}
	user = user != NULL ? user : cl->settings.user;
	port = r->port ? r->port : hs.port ? hs.port : cl->settings.port;
	spec = clusternodes_compose(user, hs.host, hs.ipv6, port);
	if (spec == NULL || strset_add(seen, spec, strlen(spec), &idx) != 0) {
		free(spec);
		return yamltab_oom(t);
	}
	if (idx + 1 < seen->n) {
		free(spec);
		return 0;
	}
	if (*total == CLUSTERS_NODES_MAX) {
		free(spec);
		return err_set(t->eb, "more than %d nodes", CLUSTERS_NODES_MAX);
	}
	if ((cl->nnodes & (cl->nnodes - 1)) == 0 && (nodes = reallocarray(
	    nodes, cl->nnodes ? cl->nnodes * 2 : 1, sizeof(*nodes))) == NULL) {
		free(spec);
		return yamltab_oom(t);
	}
	cl->nodes = nodes;
	nd = &nodes[cl->nnodes];
	if ((nd->spec = yamltab_keep(t, spec)) == NULL ||
	    (nd->host = yamltab_keep(t, strdup(hs.host))) == NULL) {
		return yamltab_oom(t);
	}
	nd->user = user;
	nd->port = (int)port;
	nd->ssh_key = r->set & NODE_SET_KEY ? r->ssh_key : cl->settings.ssh_key;
	nd->jump = r->jump.kind ? r->jump : cl->settings.jump;
	cl->nnodes++;
	(*total)++;
	return 0;
}

int
clusternodes_add(struct yamltab *t, struct clusters_cluster *cl,
    const char *entry, struct strset *seen, size_t *total)
{
	struct node_raw r;

	memset(&r, 0, sizeof(r));
	return add_node(t, cl, &r, entry, seen, total);
}

/* Expand the hostlist expression expr and add its hosts.  0 or -1 (heb). */
static int
add_expr(struct yamltab *t, struct clusters_cluster *cl,
    const struct node_raw *r, const char *expr, struct strset *seen,
    size_t *total, struct errbuf *heb)
{
	struct hostlist *hl;
	size_t i;
	int rc = 0;

	if (strchr(expr, '^') != NULL) {
		return err_set(heb, "\"%.64s\": no ^file in a cluster", expr);
	}
	if ((hl = hostlist_new()) == NULL) {
		return err_set(heb, "out of memory");
	}
	if (hostlist_push(hl, expr, heb) != 0) {
		hostlist_free(hl);
		return -1;
	}
	for (i = 0; rc == 0 && i < hostlist_count(hl); i++) {
		rc = add_node(t, cl, r, hostlist_nth(hl, i), seen, total);
	}
	hostlist_free(hl);
	return rc != 0 ? err_set(heb, "%s", t->eb->msg) : 0;
}

static int
node_item(struct yamltab *t, struct clusters_cluster *cl, const json_t *item,
    const char *path, unsigned long line, struct strset *seen, size_t *total)
{
	struct node_raw r;
	struct errbuf heb;
	const char *expr;

	memset(&r, 0, sizeof(r));
	if (json_is_string(item)) {
		if (yamltab_store(t, path, line, &node_tab[0],
		    json_string_value(item), &r.host) != 1) {
			return -1;
		}
	} else if (json_is_object(item)) {
		yamltab_check_keys(t, item, node_tab, NULL, NULL);
		if (yamltab_read(t, item, path, node_tab, &r) != 0) {
			return -1;
		}
		if (r.host == NULL) {
			return yamlconf_fail(t->yc, line, path, t->eb,
			    "host: missing");
		}
	} else {
		return yamlconf_fail(t->yc, line, path, t->eb,
		    "expected a host string or a mapping");
	}
	expr = r.host;
	if (json_is_object(item) && bare_v6(r.host) && (expr = yamltab_keep(t,
	    clusternodes_compose(NULL, r.host, 1, 0))) == NULL) {
		return yamltab_oom(t);
	}
	if (json_is_object(item) && (strchr(r.host, '@') != NULL ||
	    (expr != r.host && !hostspec_is_v6(expr, strlen(expr))))) {
		return yamlconf_fail(t->yc, line, path, t->eb,
		    "host: \"%.64s\": a host name only (user and port are "
		    "keys)", r.host);
	}
	if (add_expr(t, cl, &r, expr, seen, total, &heb) != 0) {
		return yamlconf_fail(t->yc, line, path, t->eb, "%s", heb.msg);
	}
	return 0;
}

int
clusternodes_read(struct yamltab *t, struct clusters_cluster *cl,
    const json_t *obj, const char *path, size_t *total)
{
	char ipath[YAMLTAB_PATH_MAX + 32];
	struct strset seen;
	json_t *seq = NULL, *item;
	size_t i;
	int rc;

	if (json_object_get(obj, "nodes") == NULL) {
		return yamlconf_fail(t->yc, cl->line, path, t->eb,
		    "nodes: missing");
	}
	if ((rc = yamlconf_seq(t->yc, obj, path, "nodes", &seq, t->eb)) < 0) {
		return -1;
	}
	if (rc == 0 || json_array_size(seq) == 0) {
		(void)yamlconf_warn(t->yc, yamlconf_member_line(t->yc, obj,
		    "nodes"), "%s: no nodes", path);
		return 0;
	}
	strset_init(&seen);
	json_array_foreach(seq, i, item) {
		snprintf(ipath, sizeof(ipath), "%s.nodes[%zu]", path, i);
		rc = node_item(t, cl, item, ipath,
		    yamlconf_item_mark(t->yc, seq, i).line, &seen, total);
		if (rc != 0) {
			break;
		}
	}
	strset_clear(&seen);
	return rc;
}
