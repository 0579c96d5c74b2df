/*
 * clusternodes: the nodes and jump hosts of a bssh cluster (bssh-config(5)
 * "Nodes" and "Jump hosts"), read from the cluster's YAML mapping into the
 * struct clusters_cluster and struct clusters_jump of clusters.h.
 *
 * A node item is a hostlist expression "[user@]host[:port]" (ranges and
 * commas, no ^file) or a mapping {host, port, user, ssh_key, jump_host}.
 * Each resulting node gets node > spec > cluster settings for user and
 * port, node > cluster for ssh_key and jump_host; identical specs within a
 * cluster are kept once, the first.  A jump_host is "" (none), "@alias",
 * "hop[,hop...]" or a mapping {host, user, port, ssh_key} or
 * {ssh_config_host, ssh_key}; hops come out normalised for ssh -J.
 *
 * Everything is read through a yamltab: failures are "FILE:LINE: path:
 * why" in t->eb, unknown keys warnings, strings kept by t.  A cluster's
 * nodes array is malloc'd and grown here; its owner (clusters) frees it.
 * Functions never exit and never print.
 */
#ifndef BSSH_CLUSTERNODES_H
#define BSSH_CLUSTERNODES_H

#include <stddef.h>

#include <jansson.h>

#include "clusters.h"
#include "strset.h"
#include "yamltab.h"

/*
 * The jump_host member key of obj (at path) into the struct clusters_jump
 * at dst; a yamltab_read_fn.  1 read, 0 absent or null, -1.
 */
int	 clusternodes_read_jump(struct yamltab *t, const json_t *obj,
	    const char *path, const char *key, void *dst);

/*
 * NULL when user is a valid user name for a spec (hostspec.h: not empty,
 * at most 255 bytes, no white space, not starting with '-'), else "not a
 * valid user name"; a yamltab_check_fn.
 */
const char *clusternodes_check_user(const char *user);

/*
 * "[user@]host[:port]", the host in brackets when v6, no port when port
 * is 0.  A malloc'd string (the caller frees it), or NULL (ENOMEM).
 */
char	*clusternodes_compose(const char *user, const char *host, int v6,
	    long port);

/*
 * Read the sequence "nodes" of the cluster mapping obj (at path, named at
 * line cl->line) into cl, whose settings must be final.  *total counts the
 * nodes of every cluster and may not pass CLUSTERS_NODES_MAX.  An empty
 * or null sequence is a warning.  0 or -1.
 */
int	 clusternodes_read(struct yamltab *t, struct clusters_cluster *cl,
	    const json_t *obj, const char *path, size_t *total);

/*
 * Add the node spec entry (no ranges) to cl with cl's settings, unless
 * seen (the specs of cl so far; the caller clears it) holds it already.
 * 0, or -1 with t->eb set.
 */
int	 clusternodes_add(struct yamltab *t, struct clusters_cluster *cl,
	    const char *entry, struct strset *seen, size_t *total);

#endif
