/*
 * targets: the nodes one run of bssh targets, each with where it came from.
 *
 * Nodes come from -H hostlist expressions and from -C clusters (lib/
 * clusters), in command-line order, each label once (the first wins, with
 * its origin); then -f keeps the matching ones and -x removes some, with
 * lib/hostmatch's exact semantics.  A node from a cluster keeps a pointer
 * to its configuration (node and cluster settings), so the driver can hand
 * each worker its own key, ssh_config and jump host.
 *
 * Ownership: the targets own their labels; the clusters pointers are
 * borrowed from the struct clusters, which must outlive the targets.
 */
#ifndef BSSH_TARGETS_H
#define BSSH_TARGETS_H

#include <stddef.h>

#include "clusters.h"
#include "err.h"

struct target {
	const char			*label;		/* as workers get it */
	const struct clusters_node	*node;		/* NULL for -H nodes */
	const struct clusters_cluster	*cluster;	/* NULL for -H nodes */
};

struct targets;

/* An empty set, or NULL when out of memory. */
struct targets		*targets_new(void);
void			 targets_free(struct targets *t);

/* Add the hosts of a -H expression.  0 or -1 with eb set. */
int			 targets_add_hosts(struct targets *t, const char *expr,
			    struct errbuf *eb);
/* Add every node of a cluster.  0 or -1 with eb set. */
int			 targets_add_cluster(struct targets *t,
			    const struct clusters_cluster *c, struct errbuf *eb);
/* Keep the nodes matching any pattern of the list.  0 or -1. */
int			 targets_filter(struct targets *t, const char *patterns,
			    struct errbuf *eb);
/* Remove the nodes matching any pattern of the list.  0 or -1. */
int			 targets_exclude(struct targets *t, const char *patterns,
			    struct errbuf *eb);

size_t			 targets_count(const struct targets *t);
/* The i-th node in order, or NULL when i is out of range (or no memory). */
const struct target	*targets_nth(struct targets *t, size_t i);

#endif
