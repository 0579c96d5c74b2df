/*
 * frhelp: help and list.  See frhelp.h.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "frhelp.h"
#include "frout.h"

static const char *const overview_head[] = {
	"ssh-frontiere " FR_VERSION " \xe2\x80\x94 SSH command dispatcher",
	"",
	"Protocol:",
	"  +     Client configuration (headers)",
	"  #     Client comment",
	"  .     End of command block (alone on its line)",
	"  +>    Server configuration",
	"  #>    Server comment",
	"  >>    Stdout output (streaming)",
	"  >>!   Stderr output (streaming)",
	"  >>>   Final JSON response",
	"",
	"Operators:",
	"  ;     Strict sequential (stop on first failure)",
	"  &     Permissive sequential (continue regardless)",
	"  |     Fallback (execute on failure)",
	"  ()    Grouping",
	"",
	"Available domains:",
	"",
	NULL
};

struct out {
	void	(*line)(void *, const char *);
	void	*arg;
};

static void
say(struct out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
say(struct out *o, const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) >= 0) {
		o->line(o->arg, s);
		free(s);
	}
	va_end(ap);
}

static size_t
visible_count(const struct fr_domain *d, const struct fr_identity *id)
{
	size_t i, n = 0;

	for (i = 0; i < d->nactions; i++)
		n += frcmd_allowed(id, &d->actions[i]);
	return n;
}

/* An action id padded to 20 columns (bytes), or unpadded plus one space. */
static void
action_line(struct out *o, const char *indent, const struct fr_action *a)
{
	say(o, "%s%-20s %s", indent, a->id, a->description);
}

static void
overview(const struct fr_config *cfg, const struct fr_identity *id, struct out *o)
{
	size_t i, j;

	for (i = 0; overview_head[i] != NULL; i++)
		o->line(o->arg, overview_head[i]);
	for (i = 0; i < cfg->ndomains; i++) {
		const struct fr_domain *d = &cfg->domains[i];

		if (visible_count(d, id) == 0)
			continue;
		say(o, "  %s", d->id);
		for (j = 0; j < d->nactions; j++)
			if (frcmd_allowed(id, &d->actions[j]))
				action_line(o, "    ", &d->actions[j]);
		o->line(o->arg, "");
	}
	o->line(o->arg, "For the full list (JSON): list");
	o->line(o->arg, "");
}

static void
arguments_line(struct out *o, const struct fr_action *a)
{
	size_t i, len = 0;
	char *buf, *p;

	for (i = 0; i < a->nargs; i++)
		len += strlen(a->args[i].name) + strlen(a->args[i].type) + 32;
	if ((buf = malloc(len + 1)) == NULL)
		return;
	for (i = 0, p = buf; i < a->nargs; i++) {
		const struct fr_arg *g = &a->args[i];

		p += sprintf(p, "%s%s=", i ? ", " : "", g->name);
		if (g->free)
			p += sprintf(p, "[free text]");
		else
			p += sprintf(p, "{%s}", g->type);
		if (g->def != NULL)
			p += sprintf(p, " [optional]");
	}
	say(o, "    arguments: %s", buf);
	free(buf);
}

static void
domain_help(const struct fr_config *cfg, const struct fr_identity *id, const char *target,
    struct out *o)
{
	const struct fr_domain *d = frconf_domain(cfg, target);
	size_t j;

	o->line(o->arg, overview_head[0]);
	o->line(o->arg, "");
	if (d == NULL) {
		say(o, "unknown domain: %s", target);
		return;
	}
	say(o, "Domain: %s \xe2\x80\x94 %s", d->id, d->description);
	o->line(o->arg, "");
	for (j = 0; j < d->nactions; j++) {
		const struct fr_action *a = &d->actions[j];

		if (!frcmd_allowed(id, a))
			continue;
		action_line(o, "  ", a);
		say(o, "    required level: %s", frconf_level_name(a->level));
		if (a->nargs > 0)
			arguments_line(o, a);
		if (a->max_body_size != 65536)
			say(o, "    body: max %llu KB", (unsigned long long)(a->max_body_size / 1024));
		o->line(o->arg, "");
	}
}

void
frhelp_text(const struct fr_config *cfg, const struct fr_identity *id, const char *target,
    void (*line)(void *, const char *), void *arg)
{
	struct out o = { line, arg };

	if (target == NULL)
		overview(cfg, id, &o);
	else
		domain_help(cfg, id, target, &o);
}

char *
frhelp_list(const struct fr_config *cfg, const struct fr_identity *id)
{
	json_t *root = json_object(), *acts = json_array(), *e;
	size_t i, j;
	char *s;

	if (root == NULL || acts == NULL) {
		json_decref(root);
		json_decref(acts);
		return NULL;
	}
	for (i = 0; i < cfg->ndomains; i++)
		for (j = 0; j < cfg->domains[i].nactions; j++) {
			const struct fr_action *a = &cfg->domains[i].actions[j];

			if (!frcmd_allowed(id, a))
				continue;
			e = json_pack("{s:s, s:s, s:s, s:s}", "action", a->id,
			    "description", a->description, "domain", cfg->domains[i].id,
			    "level", frconf_level_name(a->level));
			json_array_append_new(acts, e);
		}
	json_object_set_new(root, "actions", acts);
	s = frout_json(root);
	json_decref(root);
	return s;
}
