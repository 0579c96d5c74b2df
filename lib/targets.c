#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "hostlist.h"
#include "hostmatch.h"
#include "strset.h"
#include "targets.h"

/* Where a label came from; indexed like the origins set. */
struct origin {
	const struct clusters_node	*node;
	const struct clusters_cluster	*cluster;
};

struct targets {
	struct hostlist		*hl;		/* the labels, in order */
	struct strset		 seen;		/* cluster labels -> origin index */
	struct origin		*origin;
	size_t			 norigin;
	struct target		*view;		/* built on demand */
	size_t			 nview;
};

struct targets *
targets_new(void)
{
	struct targets *t = calloc(1, sizeof(*t));

	if (t == NULL)
		return NULL;
	strset_init(&t->seen);
	if ((t->hl = hostlist_new()) == NULL) {
		free(t);
		return NULL;
	}
	return t;
}

void
targets_free(struct targets *t)
{
	if (t == NULL)
		return;
	hostlist_free(t->hl);
	strset_clear(&t->seen);
	free(t->origin);
	free(t->view);
	free(t);
}

static void
invalidate(struct targets *t)
{
	free(t->view);
	t->view = NULL;
	t->nview = 0;
}

int
targets_add_hosts(struct targets *t, const char *expr, struct errbuf *eb)
{
	invalidate(t);
	return hostlist_push(t->hl, expr, eb);
}

/* Remember node as the origin of its label, unless the label is known. */
static int
note_origin(struct targets *t, const struct clusters_cluster *c,
    const struct clusters_node *node)
{
	size_t before = t->seen.n, idx;
	struct origin *o;

	if (hostlist_contains(t->hl, node->spec))
		return 0;	/* an earlier -H or cluster named it first */
	if (strset_add(&t->seen, node->spec, strlen(node->spec), &idx) != 0)
		return -1;
	if (t->seen.n == before)
		return 0;
	o = realloc(t->origin, t->seen.n * sizeof(*o));
	if (o == NULL)
		return -1;
	t->origin = o;
	t->origin[idx] = (struct origin){ node, c };
	t->norigin = t->seen.n;
	return 0;
}

int
targets_add_cluster(struct targets *t, const struct clusters_cluster *c,
    struct errbuf *eb)
{
	size_t i;

	invalidate(t);
	for (i = 0; i < c->nnodes; i++) {
		if (note_origin(t, c, &c->nodes[i]) != 0)
			return err_set(eb, "-C %s: out of memory", c->name);
		if (hostlist_push_host(t->hl, c->nodes[i].spec, eb) != 0)
			return -1;
	}
	return 0;
}

int
targets_filter(struct targets *t, const char *patterns, struct errbuf *eb)
{
	invalidate(t);
	return hostmatch_filter(t->hl, patterns, eb);
}

int
targets_exclude(struct targets *t, const char *patterns, struct errbuf *eb)
{
	invalidate(t);
	return hostmatch_exclude(t->hl, patterns, eb);
}

size_t
targets_count(const struct targets *t)
{
	return hostlist_count(t->hl);
}

/* The view pairs each label with its origin; it is rebuilt after changes. */
static int
build_view(struct targets *t)
{
	size_t n = hostlist_count(t->hl), i, idx;
	const char *label;

	t->view = calloc(n ? n : 1, sizeof(*t->view));
	if (t->view == NULL)
		return -1;
	for (i = 0; i < n; i++) {
		label = hostlist_nth(t->hl, i);
		t->view[i].label = label;
		idx = strset_find(&t->seen, label, strlen(label));
		if (idx != STRSET_NONE) {
			t->view[i].node = t->origin[idx].node;
			t->view[i].cluster = t->origin[idx].cluster;
		}
	}
	t->nview = n;
	return 0;
}

const struct target *
targets_nth(struct targets *t, size_t i)
{
	if (i >= hostlist_count(t->hl))
		return NULL;
	if (t->view == NULL && build_view(t) != 0)
		return NULL;
	return &t->view[i];
}
