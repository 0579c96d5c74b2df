/*
 * frconf: typed reads of the TOML tree, then validation.  See frconf.h.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "frconf.h"
#include "frvalid.h"
#include "slurp.h"
#include "toml.h"

/* Where a typed read is, for "invalid TOML: ..." messages. */
struct rd {
	struct errbuf	*eb;
	char		 path[256];
};

static const char *const level_names[] = { "read", "ops", "admin" };

const char *
frconf_level_name(enum fr_level level)
{
	return level_names[level];
}

static int
bad(struct rd *r, const char *key, const char *why)
{
	return err_set(r->eb, "invalid TOML: %s%s%s: %s", r->path, *r->path ? "." : "", key, why);
}

static int
missing(struct rd *r, const char *key)
{
	return err_set(r->eb, "invalid TOML: missing field `%s` in %s", key,
	    *r->path ? r->path : "the top level");
}

/* 1 read, 0 absent, -1 wrong type. */
static int
get_str(struct rd *r, const json_t *o, const char *key, const char **dst)
{
	json_t *v = json_object_get(o, key);

	if (v == NULL)
		return 0;
	if (!json_is_string(v) || strlen(json_string_value(v)) != json_string_length(v))
		return bad(r, key, "expected a string");
	*dst = json_string_value(v);
	return 1;
}

static int
get_req_str(struct rd *r, const json_t *o, const char *key, const char **dst)
{
	int rc = get_str(r, o, key, dst);

	return rc == 0 ? missing(r, key) : rc;
}

static int
get_uint(struct rd *r, const json_t *o, const char *key, uint64_t max, uint64_t *dst)
{
	json_t *v = json_object_get(o, key);

	if (v == NULL)
		return 0;
	if (!json_is_integer(v) || json_integer_value(v) < 0)
		return bad(r, key, "expected a non-negative integer");
	if ((uint64_t)json_integer_value(v) > max)
		return bad(r, key, "integer out of range");
	*dst = (uint64_t)json_integer_value(v);
	return 1;
}

static int
get_bool(struct rd *r, const json_t *o, const char *key, int *dst)
{
	json_t *v = json_object_get(o, key);

	if (v == NULL)
		return 0;
	if (!json_is_boolean(v))
		return bad(r, key, "expected a boolean");
	*dst = json_is_true(v);
	return 1;
}

static int
get_level(struct rd *r, const json_t *o, const char *key, enum fr_level *dst)
{
	const char *s;
	int rc = get_req_str(r, o, key, &s);
	size_t i;

	if (rc < 0)
		return -1;
	for (i = 0; i < 3; i++)
		if (strcmp(s, level_names[i]) == 0) {
			*dst = (enum fr_level)i;
			return 1;
		}
	return err_set(r->eb, "invalid TOML: %s.%s: unknown variant `%s`, expected one of "
	    "`read`, `ops`, `admin`", r->path, key, s);
}

/* An array of strings (absent: 0 items). */
static int
get_strs(struct rd *r, const json_t *o, const char *key, const char ***dst, size_t *n)
{
	json_t *v = json_object_get(o, key), *it;
	size_t i;

	*dst = NULL;
	*n = 0;
	if (v == NULL)
		return 0;
	if (!json_is_array(v))
		return bad(r, key, "expected an array of strings");
	json_array_foreach(v, i, it)
		if (!json_is_string(it) || strlen(json_string_value(it)) != json_string_length(it))
			return bad(r, key, "expected an array of strings");
	if ((*dst = calloc(json_array_size(v) + 1, sizeof(**dst))) == NULL)
		return err_set(r->eb, "out of memory");
	json_array_foreach(v, i, it)
		(*dst)[i] = json_string_value(it);
	*n = json_array_size(v);
	return 1;
}

/*
 * Own copies of the tags read (they are lowercased in validation), then
 * the array of pointers into the tree freed.
 */
static int
copy_tags(struct rd *r, const char **tags, size_t n, char ***dst, size_t *ndst)
{
	size_t i;
	int rc = 0;

	if ((*dst = calloc(n + 1, sizeof(**dst))) == NULL)
		rc = err_set(r->eb, "out of memory");
	for (i = 0; rc == 0 && i < n; i++)
		if (((*dst)[(*ndst)++] = strdup(tags[i])) == NULL)
			rc = err_set(r->eb, "out of memory");
	free(tags);
	return rc;
}

static int
get_table(struct rd *r, const json_t *o, const char *key, json_t **dst)
{
	json_t *v = json_object_get(o, key);

	*dst = NULL;
	if (v == NULL)
		return 0;
	if (!json_is_object(v))
		return bad(r, key, "expected a table");
	*dst = v;
	return 1;
}

static int
cmp_key(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The keys of a table, sorted (malloc'd array of n pointers into the tree). */
static const char **
sorted_keys(const json_t *o, size_t *n, struct errbuf *eb)
{
	const char **k, *key;
	json_t *v;
	size_t i = 0;

	*n = json_object_size(o);
	if ((k = calloc(*n + 1, sizeof(*k))) == NULL) {
		err_set(eb, "out of memory");
		return NULL;
	}
	json_object_foreach((json_t *)o, key, v)
		k[i++] = key;
	qsort(k, *n, sizeof(*k), cmp_key);
	return k;
}

static void
rd_enter(struct rd *r, const char *parent, const char *key)
{
	char tmp[sizeof(r->path)];

	snprintf(tmp, sizeof(tmp), "%s%s%s", parent, *parent ? "." : "", key);
	memcpy(r->path, tmp, sizeof(tmp));
}

static int
read_arg(struct rd *r, const json_t *o, struct fr_arg *a)
{
	if (!json_is_object(o))
		return err_set(r->eb, "invalid TOML: %s: expected a table", r->path);
	if (get_str(r, o, "type", &a->type) < 0 ||
	    get_strs(r, o, "values", &a->values, &a->nvalues) < 0 ||
	    get_str(r, o, "default", &a->def) < 0 ||
	    get_bool(r, o, "free", &a->free) < 0 || get_bool(r, o, "sensitive", &a->sensitive) < 0)
		return -1;
	a->has_values = json_object_get(o, "values") != NULL;
	if (a->type == NULL)
		a->type = "";
	return 0;
}

static int
read_action(struct rd *r, const json_t *o, struct fr_action *a)
{
	const char **names, **tags;
	size_t i, ntags;
	json_t *args;
	char base[sizeof(r->path)];
	int rc;

	if (!json_is_object(o))
		return err_set(r->eb, "invalid TOML: %s: expected a table", r->path);
	a->max_body_size = FR_MAX_BODY_DEFAULT;
	if (get_req_str(r, o, "description", &a->description) < 0 ||
	    get_level(r, o, "level", &a->level) < 0 ||
	    get_req_str(r, o, "execute", &a->execute) < 0 ||
	    (rc = get_uint(r, o, "timeout", UINT64_MAX, &a->timeout)) < 0 ||
	    get_uint(r, o, "max_body_size", UINT64_MAX, &a->max_body_size) < 0 ||
	    get_strs(r, o, "tags", &tags, &ntags) < 0)
		return -1;
	a->has_timeout = rc;
	if (copy_tags(r, tags, ntags, &a->tags, &a->ntags) < 0)
		return -1;
	if (get_table(r, o, "args", &args) < 0)
		return -1;
	if (args == NULL)
		return 0;
	if ((names = sorted_keys(args, &a->nargs, r->eb)) == NULL)
		return -1;
	if ((a->args = calloc(a->nargs + 1, sizeof(*a->args))) == NULL) {
		free(names);
		return err_set(r->eb, "out of memory");
	}
	memcpy(base, r->path, sizeof(base));
	for (i = 0; i < a->nargs; i++) {
		a->args[i].name = names[i];
		rd_enter(r, base, "args");
		rd_enter(r, r->path, names[i]);
		if (read_arg(r, json_object_get(args, names[i]), &a->args[i]) < 0) {
			free(names);
			return -1;
		}
	}
	free(names);
	return 0;
}

static int
read_domain(struct rd *r, const json_t *o, struct fr_domain *d)
{
	const char **ids;
	json_t *acts;
	char base[sizeof(r->path)];
	size_t i;

	if (!json_is_object(o))
		return err_set(r->eb, "invalid TOML: %s: expected a table", r->path);
	if (get_req_str(r, o, "description", &d->description) < 0 ||
	    get_table(r, o, "actions", &acts) < 0)
		return -1;
	if (acts == NULL)
		return 0;
	if ((ids = sorted_keys(acts, &d->nactions, r->eb)) == NULL)
		return -1;
	if ((d->actions = calloc(d->nactions + 1, sizeof(*d->actions))) == NULL) {
		free(ids);
		return err_set(r->eb, "out of memory");
	}
	memcpy(base, r->path, sizeof(base));
	for (i = 0; i < d->nactions; i++) {
		d->actions[i].id = ids[i];
		rd_enter(r, base, "actions");
		rd_enter(r, r->path, ids[i]);
		if (read_action(r, json_object_get(acts, ids[i]), &d->actions[i]) < 0) {
			free(ids);
			return -1;
		}
	}
	free(ids);
	return 0;
}

static int
read_token(struct rd *r, const json_t *o, struct fr_token *t, const char **secret)
{
	const char **tags;
	size_t ntags;

	if (!json_is_object(o))
		return err_set(r->eb, "invalid TOML: %s: expected a table", r->path);
	if (get_req_str(r, o, "secret", secret) < 0 || get_level(r, o, "level", &t->level) < 0 ||
	    get_strs(r, o, "tags", &tags, &ntags) < 0)
		return -1;
	return copy_tags(r, tags, ntags, &t->tags, &t->ntags);
}

static int
read_global(struct rd *r, const json_t *g, struct fr_config *c)
{
	snprintf(r->path, sizeof(r->path), "global");
	c->default_timeout = 300;
	c->max_stdout_chars = 65536;
	c->max_stderr_chars = 16384;
	c->max_output_chars = 131072;
	c->max_stream_bytes = 10485760;
	c->timeout_session = 3600;
	c->max_auth_failures = 3;
	c->ban_command = "";
	if (get_req_str(r, g, "log_file", &c->log_file) < 0 ||
	    get_uint(r, g, "default_timeout", UINT64_MAX, &c->default_timeout) < 0 ||
	    get_uint(r, g, "max_stdout_chars", UINT64_MAX, &c->max_stdout_chars) < 0 ||
	    get_uint(r, g, "max_stderr_chars", UINT64_MAX, &c->max_stderr_chars) < 0 ||
	    get_uint(r, g, "max_output_chars", UINT64_MAX, &c->max_output_chars) < 0 ||
	    get_uint(r, g, "max_stream_bytes", UINT64_MAX, &c->max_stream_bytes) < 0 ||
	    get_uint(r, g, "timeout_session", UINT64_MAX, &c->timeout_session) < 0 ||
	    get_uint(r, g, "max_auth_failures", UINT32_MAX, &c->max_auth_failures) < 0 ||
	    get_bool(r, g, "log_comments", &c->log_comments) < 0 ||
	    get_str(r, g, "ban_command", &c->ban_command) < 0 ||
	    get_bool(r, g, "expose_session_id", &c->expose_session_id) < 0)
		return -1;
	return 0;
}

/* Secrets are kept as text until validation decodes them, in token order. */
struct secrets {
	const char	**text;
};

static int
read_auth(struct rd *r, const json_t *auth, struct fr_config *c, struct secrets *s)
{
	const char **ids;
	json_t *toks;
	size_t i;

	snprintf(r->path, sizeof(r->path), "auth");
	if (get_bool(r, auth, "challenge_nonce", &c->challenge_nonce) < 0 ||
	    get_table(r, auth, "tokens", &toks) < 0)
		return -1;
	if (toks == NULL)
		return 0;
	if ((ids = sorted_keys(toks, &c->ntokens, r->eb)) == NULL)
		return -1;
	c->tokens = calloc(c->ntokens + 1, sizeof(*c->tokens));
	s->text = calloc(c->ntokens + 1, sizeof(*s->text));
	if (c->tokens == NULL || s->text == NULL) {
		free(ids);
		return err_set(r->eb, "out of memory");
	}
	for (i = 0; i < c->ntokens; i++) {
		c->tokens[i].id = ids[i];
		snprintf(r->path, sizeof(r->path), "auth.tokens.%s", ids[i]);
		if (read_token(r, json_object_get(toks, ids[i]), &c->tokens[i], &s->text[i]) < 0) {
			free(ids);
			return -1;
		}
	}
	free(ids);
	return 0;
}

static int
read_tree(struct rd *r, const json_t *root, struct fr_config *c, struct secrets *s)
{
	json_t *g, *doms, *auth;
	const char **ids;
	size_t i;

	if (get_table(r, root, "global", &g) < 0)
		return -1;
	if (g == NULL)
		return missing(r, "global");
	if (read_global(r, g, c) < 0)
		return -1;
	*r->path = '\0';
	if (get_table(r, root, "domains", &doms) < 0 || get_table(r, root, "auth", &auth) < 0)
		return -1;
	if (doms != NULL) {
		if ((ids = sorted_keys(doms, &c->ndomains, r->eb)) == NULL)
			return -1;
		if ((c->domains = calloc(c->ndomains + 1, sizeof(*c->domains))) == NULL) {
			free(ids);
			return err_set(r->eb, "out of memory");
		}
		for (i = 0; i < c->ndomains; i++) {
			c->domains[i].id = ids[i];
			snprintf(r->path, sizeof(r->path), "domains.%s", ids[i]);
			if (read_domain(r, json_object_get(doms, ids[i]), &c->domains[i]) < 0) {
				free(ids);
				return -1;
			}
		}
		free(ids);
	}
	c->has_auth = auth != NULL;
	return auth != NULL ? read_auth(r, auth, c, s) : 0;
}

int
frconf_parse(const char *buf, size_t len, struct fr_config *cfg, struct errbuf *eb)
{
	struct secrets s = { NULL };
	struct errbuf sub;
	struct rd r;
	int rc;

	memset(cfg, 0, sizeof(*cfg));
	if ((cfg->tree = toml_parse(buf, len, &sub)) == NULL)
		return err_set(eb, "invalid TOML: %s", sub.msg);
	r.eb = eb;
	*r.path = '\0';
	rc = read_tree(&r, cfg->tree, cfg, &s);
	if (rc == 0)
		rc = frvalid_check(cfg, s.text, eb);
	free(s.text);
	if (rc < 0)
		frconf_free(cfg);
	return rc;
}

int
frconf_load(const char *path, struct fr_config *cfg, struct errbuf *eb)
{
	char *buf;
	size_t len;
	int fd, rc;

	memset(cfg, 0, sizeof(*cfg));
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return err_set_sys(eb, "config not found: %s", path);
	rc = slurp_fd(fd, FR_CONFIG_MAX, &buf, &len);
	close(fd);
	if (rc < 0)
		return err_set_sys(eb, "config not found: %s", path);
	rc = frconf_parse(buf, len, cfg, eb);
	free(buf);
	return rc;
}

static void
free_tags(char **tags, size_t n)
{
	size_t i;

	if (tags == NULL)
		return;
	for (i = 0; i < n; i++)
		free(tags[i]);
	free(tags);
}

void
frconf_free(struct fr_config *c)
{
	size_t i, j, k;

	for (i = 0; i < c->ndomains && c->domains != NULL; i++) {
		for (j = 0; j < c->domains[i].nactions && c->domains[i].actions != NULL; j++) {
			struct fr_action *a = &c->domains[i].actions[j];

			free_tags(a->tags, a->ntags);
			for (k = 0; k < a->nargs && a->args != NULL; k++)
				free(a->args[k].values);
			free(a->args);
		}
		free(c->domains[i].actions);
	}
	free(c->domains);
	for (i = 0; i < c->ntokens && c->tokens != NULL; i++) {
		free_tags(c->tokens[i].tags, c->tokens[i].ntags);
		if (c->tokens[i].secret != NULL)
			explicit_bzero(c->tokens[i].secret, c->tokens[i].secretlen);
		free(c->tokens[i].secret);
	}
	free(c->tokens);
	json_decref(c->tree);
	memset(c, 0, sizeof(*c));
}

static int
cmp_domain(const void *k, const void *e)
{
	return strcmp(k, ((const struct fr_domain *)e)->id);
}

static int
cmp_action(const void *k, const void *e)
{
	return strcmp(k, ((const struct fr_action *)e)->id);
}

static int
cmp_arg(const void *k, const void *e)
{
	return strcmp(k, ((const struct fr_arg *)e)->name);
}

static int
cmp_token(const void *k, const void *e)
{
	return strcmp(k, ((const struct fr_token *)e)->id);
}

const struct fr_domain *
frconf_domain(const struct fr_config *c, const char *id)
{
	return c->ndomains ? bsearch(id, c->domains, c->ndomains, sizeof(*c->domains),
	    cmp_domain) : NULL;
}

const struct fr_action *
frconf_action(const struct fr_domain *d, const char *id)
{
	return d->nactions ? bsearch(id, d->actions, d->nactions, sizeof(*d->actions),
	    cmp_action) : NULL;
}

const struct fr_arg *
frconf_arg(const struct fr_action *a, const char *name)
{
	return a->nargs ? bsearch(name, a->args, a->nargs, sizeof(*a->args), cmp_arg) : NULL;
}

const struct fr_token *
frconf_token(const struct fr_config *c, const char *id)
{
	return c->ntokens ? bsearch(id, c->tokens, c->ntokens, sizeof(*c->tokens),
	    cmp_token) : NULL;
}

static int
has_tag(char *const *tags, size_t n, const char *tag)
{
	return n > 0 && bsearch(&tag, tags, n, sizeof(*tags), cmp_key) != NULL;
}

int
frconf_tags_allow(const struct fr_action *a, char *const *tags, size_t ntags)
{
	size_t i;

	if (a->ntags == 0)
		return 1;
	for (i = 0; i < a->ntags; i++)
		if (has_tag(tags, ntags, a->tags[i]))
			return 1;
	return 0;
}

void
frconf_orphan_tags(const struct fr_config *c,
    void (*warn)(const char *token, const char *tag, void *arg), void *arg)
{
	size_t i, j, d, a;
	int found;

	for (i = 0; i < c->ntokens; i++)
		for (j = 0; j < c->tokens[i].ntags; j++) {
			found = 0;
			for (d = 0; d < c->ndomains && !found; d++)
				for (a = 0; a < c->domains[d].nactions && !found; a++)
					found = has_tag(c->domains[d].actions[a].tags,
					    c->domains[d].actions[a].ntags, c->tokens[i].tags[j]);
			if (!found)
				warn(c->tokens[i].id, c->tokens[i].tags[j], arg);
		}
}
