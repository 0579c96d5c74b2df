/*
 * frcmd: tokenising, resolution, arguments, RBAC and the template.  See
 * frcmd.h.
 */
#include "config.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "frcmd.h"

struct words {
	char	**v;
	size_t	 *len;	/* true lengths: a word may hold NULs */
	size_t	  n;
};

static void
words_free(struct words *w)
{
	size_t i;

	for (i = 0; i < w->n; i++)
		free(w->v[i]);
	free(w->v);
	free(w->len);
	w->v = NULL;
	w->len = NULL;
	w->n = 0;
}

static int
words_push(struct words *w, const char *s, size_t len)
{
	size_t *nl;
	char **nv, *c;

	if ((nv = realloc(w->v, (w->n + 2) * sizeof(*nv))) == NULL)
		return -1;
	w->v = nv;
	if ((nl = realloc(w->len, (w->n + 1) * sizeof(*nl))) == NULL)
		return -1;
	w->len = nl;
	if ((c = malloc(len + 1)) == NULL)
		return -1;
	memcpy(c, s, len);
	c[len] = '\0';
	w->len[w->n] = len;
	w->v[w->n++] = c;
	w->v[w->n] = NULL;
	return 0;
}

static int
reject(struct fr_cmd *c, enum fr_cmd_kind kind, const char *fmt, ...)
{
	va_list ap;
	char *m;
	int rc;

	va_start(ap, fmt);
	rc = vasprintf(&m, fmt, ap);
	va_end(ap);
	if (rc < 0)
		return -1;
	c->kind = kind;
	if (asprintf(&c->message, "rejected: %s", m) < 0)
		c->message = NULL;
	free(m);
	return c->message == NULL ? -1 : 0;
}

/*
 * Split on spaces and tabs outside quotes; quotes group and are removed,
 * the other kind is literal inside, and there is no escape character.
 * 1 with *quote set when a quote is left open, -1 out of memory.
 */
static int
tokenize(const char *s, size_t len, struct words *w, char *quote)
{
	char *cur;
	size_t i, n = 0;
	int have = 0;

	*quote = 0;
	if ((cur = malloc(len + 1)) == NULL)
		return -1;
	for (i = 0; i < len; i++) {
		char ch = s[i];

		if (*quote) {
			if (ch == *quote)
				*quote = 0;
			else
				cur[n++] = ch;
		} else if (ch == '"' || ch == '\'') {
			*quote = ch;
			have = 1;
		} else if (ch == ' ' || ch == '\t') {
			if ((have || n > 0) && words_push(w, cur, n) < 0)
				goto oom;
			n = 0;
			have = 0;
		} else
			cur[n++] = ch;
	}
	if (!*quote && (have || n > 0) && words_push(w, cur, n) < 0)
		goto oom;
	free(cur);
	return *quote ? 1 : 0;
oom:
	free(cur);
	return -1;
}

int
frcmd_allowed(const struct fr_identity *id, const struct fr_action *a)
{
	return frconf_tags_allow(a, id->tags, id->ntags) && id->level >= a->level;
}

/* One value per declared argument (sorted like the action's args). */
struct values {
	const char	**v;
	int		 *nul;	/* the client's value held a NUL */
};

static int
check_enum(const struct fr_arg *g, const char *value, struct fr_cmd *c)
{
	size_t i, len = 0;
	char *list, *p;
	int rc;

	if (strcmp(g->type, "enum") != 0 || g->free)
		return 1;
	for (i = 0; i < g->nvalues; i++) {
		if (strcmp(g->values[i], value) == 0)
			return 1;
		len += strlen(g->values[i]) + 2;
	}
	if ((list = calloc(1, len + 1)) == NULL)
		return -1;
	for (i = 0, p = list; i < g->nvalues; i++)
		p += sprintf(p, "%s%s", i ? ", " : "", g->values[i]);
	rc = reject(c, FRK_REJECT, "invalid value '%s' for argument '%s' (allowed: %s)", value,
	    g->name, list);
	free(list);
	return rc < 0 ? -1 : 0;
}

/* key=value words into vals; 1 all good, 0 rejected, -1 out of memory. */
static int
bind_args(const struct fr_domain *d, const struct fr_action *a, char **args, size_t *lens,
    size_t nargs, struct values *vals, struct fr_cmd *c)
{
	const struct fr_arg *g;
	size_t i, k;
	char *eq;
	int rc;

	for (i = 0; i < nargs; i++) {
		if ((eq = strchr(args[i], '=')) == NULL)
			return reject(c, FRK_REJECT, "argument '%s' must use key=value syntax "
			    "(positional arguments not supported)", args[i]) < 0 ? -1 : 0;
		*eq = '\0';
		if ((g = frconf_arg(a, args[i])) == NULL)
			return reject(c, FRK_REJECT, "unknown argument '%s' for '%s %s'", args[i],
			    d->id, a->id) < 0 ? -1 : 0;
		k = (size_t)(g - a->args);
		if (vals->v[k] != NULL)
			return reject(c, FRK_REJECT, "duplicate argument '%s'", args[i]) < 0 ? -1 : 0;
		vals->v[k] = eq + 1;
		vals->nul[k] = strlen(args[i]) + 1 + strlen(eq + 1) != lens[i];
	}
	for (k = 0; k < a->nargs; k++) {
		if (vals->v[k] != NULL)
			continue;
		if (a->args[k].def == NULL)
			return reject(c, FRK_REJECT, "missing required argument '%s' for '%s %s'",
			    a->args[k].name, d->id, a->id) < 0 ? -1 : 0;
		vals->v[k] = a->args[k].def;
	}
	for (k = 0; k < a->nargs; k++)
		if ((rc = check_enum(&a->args[k], vals->v[k], c)) <= 0)
			return rc;
	return 1;
}

/* One template word with {domain} and {arg} replaced in a single pass. */
static char *
substitute(const char *tw, size_t twlen, const struct fr_domain *d, const struct fr_action *a,
    const struct values *vals, int *nul)
{
	const char *p = tw, *end = tw + twlen, *close, *val;
	const struct fr_arg *g;
	char *out = NULL, name[FR_CMD_MAX];
	size_t outlen = 0;
	FILE *f;

	if ((f = open_memstream(&out, &outlen)) == NULL)
		return NULL;
	while (p < end) {
		val = NULL;
		if (*p == '{' && (close = memchr(p, '}', (size_t)(end - p))) != NULL &&
		    (size_t)(close - p - 1) < sizeof(name)) {
			memcpy(name, p + 1, (size_t)(close - p - 1));
			name[close - p - 1] = '\0';
			if (strcmp(name, "domain") == 0)
				val = d->id;
			else if ((g = frconf_arg(a, name)) != NULL) {
				val = vals->v[g - a->args];
				*nul |= vals->nul[g - a->args];
			}
		}
		if (val != NULL) {
			fputs(val, f);
			p = close + 1;
		} else
			fputc(*p++, f);
	}
	if (fclose(f) != 0) {
		free(out);
		return NULL;
	}
	return out;
}

static int
transpose(const struct fr_domain *d, const struct fr_action *a, const struct values *vals,
    struct fr_cmd *c)
{
	const char *p = a->execute, *w;
	struct words argv = { NULL, NULL, 0 };
	char *word, **nv;

	for (;;) {
		while (isspace((unsigned char)*p))
			p++;
		if (*p == '\0')
			break;
		for (w = p; *w != '\0' && !isspace((unsigned char)*w); w++)
			continue;
		if ((word = substitute(p, (size_t)(w - p), d, a, vals, &c->nul)) == NULL ||
		    (nv = realloc(argv.v, (argv.n + 2) * sizeof(*nv))) == NULL) {
			free(word);
			words_free(&argv);
			return -1;
		}
		argv.v = nv;
		argv.v[argv.n++] = word;
		argv.v[argv.n] = NULL;
		p = w;
	}
	c->kind = FRK_RUN;
	c->argv = argv.v;
	c->argc = argv.n;
	return 0;
}

static int
resolve_action(const struct fr_config *cfg, const struct fr_identity *id, struct words *w,
    struct fr_cmd *c)
{
	const struct fr_domain *d;
	const struct fr_action *a;
	struct values vals;
	int rc;

	if (w->n < 2)
		return reject(c, FRK_REJECT, "expected: <domain> <action> [args...]");
	/* A NUL inside a word must not make a prefix of it match. */
	if (strlen(w->v[0]) != w->len[0] || (d = frconf_domain(cfg, w->v[0])) == NULL)
		return reject(c, FRK_REJECT, "unknown domain '%s'", w->v[0]);
	if (strlen(w->v[1]) != w->len[1] || (a = frconf_action(d, w->v[1])) == NULL)
		return reject(c, FRK_REJECT, "unknown action '%s' in domain '%s'", w->v[1], d->id);
	c->domain = d;
	c->action = a;
	vals.v = calloc(a->nargs + 1, sizeof(*vals.v));
	vals.nul = calloc(a->nargs + 1, sizeof(*vals.nul));
	if (vals.v == NULL || vals.nul == NULL) {
		free(vals.v);
		free(vals.nul);
		return -1;
	}
	rc = bind_args(d, a, w->v + 2, w->len + 2, w->n - 2, &vals, c);
	if (rc == 1) {
		if (!frconf_tags_allow(a, id->tags, id->ntags))
			rc = reject(c, FRK_DENY, "access denied (tag mismatch)");
		else if (id->level < a->level)
			rc = reject(c, FRK_DENY, "insufficient level (%s required, %s granted)",
			    frconf_level_name(a->level), frconf_level_name(id->level));
		else
			rc = transpose(d, a, &vals, c);
	}
	free(vals.v);
	free(vals.nul);
	return rc < 0 ? -1 : 0;
}

int
frcmd_resolve(const struct fr_config *cfg, const struct fr_identity *id, const char *text,
    size_t len, struct fr_cmd *c)
{
	struct words w = { NULL, NULL, 0 };
	size_t i;
	char quote;
	int rc;

	memset(c, 0, sizeof(*c));
	while (len > 0 && isspace((unsigned char)*text))
		text++, len--;
	while (len > 0 && isspace((unsigned char)text[len - 1]))
		len--;
	if (len == 4 && memcmp(text, "exit", 4) == 0) {
		c->kind = FRK_EXIT;
		return 0;
	}
	if (len == 0)
		return reject(c, FRK_REJECT, "empty command");
	if (len > FR_CMD_MAX)
		return reject(c, FRK_REJECT, "command too long (%zu chars, max %d)", len, FR_CMD_MAX);
	if ((rc = tokenize(text, len, &w, &quote)) != 0) {
		words_free(&w);
		return rc < 0 ? -1 : reject(c, FRK_REJECT, "unclosed %c quote", quote);
	}
	for (i = 0; i < w.n; i++)
		if (w.len[i] > FR_TOKEN_MAX) {
			rc = reject(c, FRK_REJECT, "token too long (%zu chars, max %d)",
			    w.len[i], FR_TOKEN_MAX);
			words_free(&w);
			return rc;
		}
	if (w.n > 0 && w.len[0] == 4 &&
	    (strcmp(w.v[0], "help") == 0 || strcmp(w.v[0], "list") == 0)) {
		c->kind = w.v[0][0] == 'h' ? FRK_HELP : FRK_LIST;
		if (c->kind == FRK_HELP && w.n > 1) {
			c->help_target = w.v[1];
			w.v[1] = strdup("");
		}
		words_free(&w);
		return 0;
	}
	rc = resolve_action(cfg, id, &w, &c[0]);
	words_free(&w);
	return rc;
}

void
frcmd_clear(struct fr_cmd *c)
{
	size_t i;

	free(c->message);
	free(c->help_target);
	for (i = 0; i < c->argc; i++)
		free(c->argv[i]);
	free(c->argv);
	memset(c, 0, sizeof(*c));
}
