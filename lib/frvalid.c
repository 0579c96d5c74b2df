/*
 * frvalid: fail-fast validation of the configuration.  See frvalid.h.
 */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "frcrypto.h"
#include "frvalid.h"

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* [A-Za-z0-9_-]+, plus '_' only when underscore is set. */
static int
name_ok(const char *s, int underscore)
{
	for (; *s != '\0'; s++)
		if (!isascii((unsigned char)*s) || !(isalnum((unsigned char)*s) || *s == '-' ||
		    (underscore && *s == '_')))
			return 0;
	return 1;
}

/* Lowercase, check, sort and deduplicate tags; where names the owner. */
static int
normalise_tags(char **tags, size_t *n, const char *where, struct errbuf *eb)
{
	size_t i, j;
	char *p;

	for (i = 0; i < *n; i++) {
		for (p = tags[i]; *p != '\0'; p++)
			if (isascii((unsigned char)*p))
				*p = (char)tolower((unsigned char)*p);
		if (*tags[i] == '\0')
			return err_set(eb, "empty tag in %s", where);
		if (!name_ok(tags[i], 1))
			return err_set(eb, "invalid tag '%s' in %s: must be alphanumeric, hyphen or "
			    "underscore", tags[i], where);
	}
	qsort(tags, *n, sizeof(*tags), cmp_str);
	for (i = j = 0; i < *n; i++) {
		if (j > 0 && strcmp(tags[j - 1], tags[i]) == 0) {
			free(tags[i]);
			continue;
		}
		tags[j++] = tags[i];
	}
	*n = j;
	tags[j] = NULL;
	return 0;
}

static int
check_placeholders(const struct fr_domain *d, const struct fr_action *a, struct errbuf *eb)
{
	const char *p = a->execute, *open, *close;
	size_t n;
	char name[256];

	while ((open = strchr(p, '{')) != NULL && (close = strchr(open + 1, '}')) != NULL) {
		n = (size_t)(close - open - 1);
		snprintf(name, sizeof(name), "%.*s", (int)n, open + 1);
		if (strcmp(name, "domain") != 0 && (n >= sizeof(name) || frconf_arg(a, name) == NULL))
			return err_set(eb, "placeholder '{%s}' in %s.%s has no matching argument "
			    "definition", name, d->id, a->id);
		p = close + 1;
	}
	return 0;
}

static int
check_arg(const struct fr_domain *d, const struct fr_action *a, const struct fr_arg *g,
    struct errbuf *eb)
{
	size_t i;

	if (!name_ok(g->name, 1))
		return err_set(eb, "invalid argument name '%s' in %s.%s: must be alphanumeric, "
		    "hyphen or underscore", g->name, d->id, a->id);
	if (strcmp(g->type, "enum") != 0 || g->free)
		return 0;
	if (!g->has_values)
		return err_set(eb, "enum argument '%s' in %s.%s has no values", g->name, d->id, a->id);
	if (g->nvalues == 0)
		return err_set(eb, "enum argument '%s' in %s.%s has empty values list", g->name,
		    d->id, a->id);
	if (g->def == NULL)
		return 0;
	for (i = 0; i < g->nvalues; i++)
		if (strcmp(g->values[i], g->def) == 0)
			return 0;
	return err_set(eb, "default value '%s' for enum argument '%s' in %s.%s is not in allowed "
	    "values", g->def, g->name, d->id, a->id);
}

static int
check_action(const struct fr_domain *d, struct fr_action *a, struct errbuf *eb)
{
	char where[512];
	size_t i;

	snprintf(where, sizeof(where), "%s.%s", d->id, a->id);
	if (normalise_tags(a->tags, &a->ntags, where, eb) < 0)
		return -1;
	if (a->max_body_size == 0)
		return err_set(eb, "max_body_size must be > 0 in %s", where);
	for (i = 0; i < a->nargs; i++)
		if (check_arg(d, a, &a->args[i], eb) < 0)
			return -1;
	return check_placeholders(d, a, eb);
}

static int
check_token(struct fr_token *t, const char *text, struct errbuf *eb)
{
	struct errbuf sub;
	char where[300];

	if (!name_ok(t->id, 0))
		return err_set(eb, "invalid token name '%s': must be alphanumeric or hyphen", t->id);
	if (strncmp(text, "b64:", 4) != 0)
		return err_set(eb, "token '%s' secret must start with 'b64:' prefix", t->id);
	if ((t->secret = frcrypto_b64_decode(text + 4, &t->secretlen, &sub)) == NULL)
		return err_set(eb, "token '%s' has invalid base64 secret: %s", t->id, sub.msg);
	snprintf(where, sizeof(where), "token '%s'", t->id);
	return normalise_tags(t->tags, &t->ntags, where, eb);
}

int
frvalid_check(struct fr_config *c, const char *const *secrets, struct errbuf *eb)
{
	size_t i, j;

	if (c->ndomains == 0)
		return err_set(eb, "no domain defined in configuration");
	for (i = 0; i < c->ndomains; i++) {
		if (c->domains[i].nactions == 0)
			return err_set(eb, "domain '%s' has no action defined", c->domains[i].id);
		for (j = 0; j < c->domains[i].nactions; j++)
			if (check_action(&c->domains[i], &c->domains[i].actions[j], eb) < 0)
				return -1;
	}
	for (i = 0; i < c->ntokens; i++)
		if (check_token(&c->tokens[i], secrets[i], eb) < 0)
			return -1;
	if (c->max_stdout_chars > c->max_output_chars)
		return err_set(eb, "max_stdout_chars exceeds max_output_chars hard limit");
	if (c->max_stderr_chars > c->max_output_chars)
		return err_set(eb, "max_stderr_chars exceeds max_output_chars hard limit");
	return 0;
}

