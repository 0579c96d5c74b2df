/*
 * yamltab: tables of fields read from yamlconf mappings; see yamltab.h.
 */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "err.h"
#include "varexpand.h"
#include "yamlconf.h"
#include "yamltab.h"

static int	 store_word(struct yamltab *, const char *, unsigned long,
		    const struct yamltab_field *, const char *, void *);
static int	 read_field(struct yamltab *, const json_t *, const char *,
		    const struct yamltab_field *, void *);

void
yamltab_init(struct yamltab *t, struct yamlconf *yc, const char *name,
    struct errbuf *eb)
{
	memset(t, 0, sizeof(*t));
	t->yc = yc;
	t->name = name;
	t->eb = eb;
}

void
yamltab_clear(struct yamltab *t)
{
	size_t i;

	for (i = 0; i < t->npool; i++) {
		free(t->pool[i]);
	}
	free(t->pool);
	t->pool = NULL;
	t->npool = 0;
}

void *
yamltab_keep(struct yamltab *t, void *p)
{
	void **np;

	if (p == NULL) {
		return NULL;
	}
	if ((t->npool & (t->npool - 1)) == 0) {	/* full at 0, 1, 2, 4... */
		np = reallocarray(t->pool, t->npool ? t->npool * 2 : 1,
		    sizeof(*np));
		if (np == NULL) {
			free(p);
			return NULL;
		}
		t->pool = np;
	}
	t->pool[t->npool++] = p;
	return p;
}

int
yamltab_oom(const struct yamltab *t)
{
	return err_set(t->eb, "%s: out of memory",
	    t->yc != NULL ? yamlconf_name(t->yc) : t->name);
}

void
yamltab_check_keys(struct yamltab *t, const json_t *obj,
    const struct yamltab_field *tab, const char *extra1, const char *extra2)
{
	const char *names[YAMLTAB_FIELDS_MAX + 3];
	size_t n = 0;

	for (; tab->key != NULL && n < YAMLTAB_FIELDS_MAX; tab++) {
		names[n++] = tab->key;
	}
	names[n] = extra1;
	names[n + (extra1 != NULL)] = extra2;
	names[n + (extra1 != NULL) + (extra2 != NULL)] = NULL;
	(void)yamlconf_check_keys(t->yc, obj, names);
}

/* A WORD field: s must be one of f->words ("not a, b or c" if not). */
static int
store_word(struct yamltab *t, const char *what, unsigned long line,
    const struct yamltab_field *f, const char *s, void *dst)
{
	char list[256] = "";
	size_t i, n;

	for (i = 0; f->words[i] != NULL; i++) {
		if (strcmp(s, f->words[i]) == 0) {
			*(int *)dst = (int)(f->min + (long)i);
			return 1;
		}
	}
	for (n = i, i = 0; i < n; i++) {
		snprintf(list + strlen(list), sizeof(list) - strlen(list),
		    "%s%s", i == 0 ? "" : i + 1 < n ? ", " : " or ",
		    f->words[i]);
	}
	return yamlconf_fail(t->yc, line, what, t->eb, "not %s: \"%.64s\"",
	    list, s);
}

int
yamltab_store(struct yamltab *t, const char *what, unsigned long line,
    const struct yamltab_field *f, const char *s, void *dst)
{
	const char *bad;
	char *v;

	if (f->type == YAMLTAB_WORD) {
		return store_word(t, what, line, f, s, dst);
	}
	if (f->type == YAMLTAB_STR || (f->type == YAMLTAB_PATH && *s == '\0')) {
		/* a path "" is no file (and stops inheriting one) */
		*(const char **)dst = f->type == YAMLTAB_STR ? s : NULL;
		return 1;
	}
	v = f->type == YAMLTAB_PATH ? varexpand_tilde(s) : varexpand_vars(s);
	if (v == NULL && errno == ENAMETOOLONG) {
		return yamlconf_fail(t->yc, line, what, t->eb,
		    "longer than %d bytes once expanded", VAREXPAND_MAX);
	}
	if ((v = yamltab_keep(t, v)) == NULL) {
		return yamltab_oom(t);
	}
	if (f->check != NULL && (bad = f->check(v)) != NULL) {
		return yamlconf_fail(t->yc, line, what, t->eb,
		    "%s: \"%.64s\"", bad, v);
	}
	*(const char **)dst = v;
	return 1;
}

/* Read field f of obj into base.  1 read, 0 absent, -1. */
static int
read_field(struct yamltab *t, const json_t *obj, const char *path,
    const struct yamltab_field *f, void *base)
{
	char *p = (char *)base + f->off, what[YAMLTAB_PATH_MAX];
	struct yamlconf *yc = t->yc;
	const char *s = NULL;
	int rc;

	switch (f->type) {
	case YAMLTAB_INT:
		return yamlconf_int(yc, obj, path, f->key, f->min, f->max,
		    (long *)(void *)p, t->eb);
	case YAMLTAB_SECS:
		return yamlconf_seconds(yc, obj, path, f->key, f->max,
		    (int64_t *)(void *)p, t->eb);
	case YAMLTAB_BOOL:
		return yamlconf_bool(yc, obj, path, f->key, (int *)(void *)p,
		    t->eb);
	case YAMLTAB_FUNC:
		return f->read(t, obj, path, f->key, p);
	case YAMLTAB_MAP:
		return yamltab_read_map(t, obj, path, f->key, f->sub, p);
	default:
		rc = yamlconf_string(yc, obj, path, f->key, &s, t->eb);
		if (rc != 1) {
			return rc;
		}
		snprintf(what, sizeof(what), "%s%s%s", path, *path ? "." : "",
		    f->key);
		return yamltab_store(t, what, yamlconf_member_line(yc, obj,
		    f->key), f, s, p);
	}
}

int
yamltab_read(struct yamltab *t, const json_t *obj, const char *path,
    const struct yamltab_field *tab, void *base)
{
	size_t i;
	int rc;

	for (i = 0; tab[i].key != NULL && i < YAMLTAB_FIELDS_MAX; i++) {
		if ((rc = read_field(t, obj, path, &tab[i], base)) < 0) {
			return -1;
		}
		if (rc == 1) {
			*(unsigned *)base |= 1u << i;
		}
	}
	return 0;
}

int
yamltab_read_map(struct yamltab *t, const json_t *obj, const char *path,
    const char *key, const struct yamltab_field *tab, void *base)
{
	char what[YAMLTAB_PATH_MAX];
	json_t *m = NULL;
	int rc;

	if ((rc = yamlconf_map(t->yc, obj, path, key, &m, t->eb)) != 1) {
		return rc;
	}
	snprintf(what, sizeof(what), "%s%s%s", path, *path ? "." : "", key);
	yamltab_check_keys(t, m, tab, NULL, NULL);
	return yamltab_read(t, m, what, tab, base) == 0 ? 1 : -1;
}

void
yamltab_merge(const struct yamltab_field *tab, void *dst,
    const void *const *lv, size_t n)
{
	const void *sub[YAMLTAB_LEVELS_MAX];
	unsigned set = 0;
	size_t i, j;

	n = n < YAMLTAB_LEVELS_MAX ? n : YAMLTAB_LEVELS_MAX;
	for (j = 0; j + 1 < n; j++) {
		set |= *(const unsigned *)lv[j];
	}
	for (i = 0; tab[i].key != NULL && i < YAMLTAB_FIELDS_MAX; i++) {
		if (tab[i].type == YAMLTAB_MAP) {
			for (j = 0; j < n; j++) {
				sub[j] = (const char *)lv[j] + tab[i].off;
			}
			yamltab_merge(tab[i].sub, (char *)dst + tab[i].off, sub,
			    n);
			continue;
		}
		for (j = 0; j + 1 < n &&
		    (*(const unsigned *)lv[j] & (1u << i)) == 0; j++) {
			continue;
		}
		memcpy((char *)dst + tab[i].off, (const char *)lv[j] +
		    tab[i].off, tab[i].size);
	}
	*(unsigned *)dst = set;
}
