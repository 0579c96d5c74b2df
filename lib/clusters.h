/*
 * clusters: the bssh client configuration (bssh-config(5)): clusters of
 * nodes from a YAML file, defaults, jump hosts, interactive settings, and
 * the cluster a Backend.AI multi-node session describes in its environment.
 *
 * Which file (the first that exists is read; nothing is merged):
 *   1. the path given to clusters_load (--config): must exist and parse;
 *   2. ./config.yaml, unless it is not bssh's (below);
 *   3. $XDG_CONFIG_HOME/bssh/config.yaml when XDG_CONFIG_HOME is an
 *      absolute path, else ~/.config/bssh/config.yaml;
 *   4. ~/.bssh/config.yaml.
 * A file that exists but cannot be read or parsed is an error, wherever it
 * is in the order.  No file at all is an empty configuration.
 *
 * ./config.yaml is a common name, so when the search reaches it, it is
 * bssh's only if the top-level mapping of one of its documents has one of
 * the keys defaults, clusters, default_cluster or interactive.  One that
 * parses as YAML but has none of them (other keys only, or empty, or a
 * sequence or scalar at the top) is skipped as if absent: no warning, no
 * error, the search goes on.  Aliases, duplicate keys and several
 * documents do not matter for that test.  One that has a bssh key is read
 * as strictly as any other file; one that is not YAML at all (a syntax
 * error, bad UTF-8), unreadable, not a regular file or too large is an
 * error.  The later files and --config are never tested this way.
 *
 * Errors are fatal and read "FILE:LINE: key.path: why"; unknown keys and
 * other oddities are warnings "FILE:LINE: ..." kept for the program to
 * print (clusters_warning).  Everything is checked and every cluster's node
 * list expanded at load time, so a configuration that loads is usable.
 *
 * Nodes: a string "[user@]host[:port]" ("[v6]:port" for IPv6), which is a
 * hostlist expression (hostlist.h: "web[01-20]", commas; no ^file), or a
 * mapping {host, port, user, ssh_key, jump_host} whose host may hold
 * ranges too.  ${VAR} and $VAR are expanded in hosts, users and jump hosts
 * (yamlconf_expand_vars); ~ in ssh_key, ssh_config and history_file.
 * jump_host "" means no jump host, ssh_key "" and ssh_config "" no file,
 * each stopping inheritance from the level below; null is the same as an
 * absent key.
 * Identical node specs within a cluster are kept once, the first.
 *
 * Precedence of every setting: node > cluster > defaults > built-in; the
 * command line is the program's business, above all of these.
 *
 * Backend.AI: with BACKENDAI_CLUSTER_HOSTS and BACKENDAI_CLUSTER_HOST both
 * set, a cluster "bai_auto" is added to what the file gives (a cluster of
 * that name in the file wins, with a warning): one node "USER@HOST:2200"
 * per comma-separated host, key /home/config/ssh/id_cluster, the first host
 * dropped when BACKENDAI_CLUSTER_ROLE is set and is not "main".  It is the
 * default cluster unless the file names one.
 *
 * Ownership: everything reachable from a struct clusters (names, nodes,
 * strings) belongs to it and lives until clusters_free.  Functions never
 * exit and never print; they return NULL or -1 and fill *eb.
 */
#ifndef BSSH_CLUSTERS_H
#define BSSH_CLUSTERS_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

#define CLUSTERS_NODES_MAX	100000	/* nodes in all clusters together */
#define CLUSTERS_BAI_NAME	"bai_auto"
#define CLUSTERS_BAI_PORT	2200
#define CLUSTERS_BAI_KEY	"/home/config/ssh/id_cluster"

/* Built-in settings (what bssh uses when nothing is configured). */
#define CLUSTERS_DEF_PARALLEL		10
#define CLUSTERS_DEF_TIMEOUT_MS		(300 * 1000)
#define CLUSTERS_DEF_ALIVE_MS		(30 * 1000)
#define CLUSTERS_DEF_ALIVE_COUNT	3

struct clusters;

enum clusters_jump_kind {
	CLUSTERS_JUMP_UNSET = 0,	/* nothing configured: -J, ssh_config */
	CLUSTERS_JUMP_NONE,		/* "": no jump host, stop inheriting */
	CLUSTERS_JUMP_HOPS,		/* hops: "[user@]host[:port][,...]" */
	CLUSTERS_JUMP_ALIAS		/* alias: an ssh_config Host alias */
};

/*
 * A jump host as configured.  hops is normalised ("u@h:p,h2", IPv6 in
 * brackets), ready for ssh -J.  ssh_key is the hop's key (map form).
 */
struct clusters_jump {
	enum clusters_jump_kind	 kind;
	const char		*hops;
	const char		*alias;
	const char		*ssh_key;
};

/*
 * A cluster's settings; effective ones merge cluster > defaults >
 * built-in.  set has bit CLUSTERS_SET_x when the value came from the file
 * (or the Backend.AI environment) rather than from the built-in defaults.
 */
struct clusters_settings {
	unsigned		 set;		/* first (see clusters.c) */
	const char		*user;		/* NULL: none configured */
	long			 port;		/* 0: none configured */
	const char		*ssh_key;	/* NULL: none */
	const char		*ssh_config;	/* NULL: none (worker -F) */
	long			 parallel;
	int64_t			 timeout_ms;	/* 0: no timeout */
	int64_t			 alive_ms;	/* server_alive_interval */
	long			 alive_count;	/* server_alive_count_max */
	struct clusters_jump	 jump;
};

enum {
	CLUSTERS_SET_USER = 1 << 0,
	CLUSTERS_SET_PORT = 1 << 1,
	CLUSTERS_SET_SSH_KEY = 1 << 2,
	CLUSTERS_SET_SSH_CONFIG = 1 << 3,
	CLUSTERS_SET_PARALLEL = 1 << 4,
	CLUSTERS_SET_TIMEOUT = 1 << 5,
	CLUSTERS_SET_ALIVE = 1 << 6,
	CLUSTERS_SET_ALIVE_COUNT = 1 << 7,
	CLUSTERS_SET_JUMP = 1 << 8
};

enum clusters_mode {
	CLUSTERS_MODE_SINGLE_NODE = 1,
	CLUSTERS_MODE_MULTIPLEX
};

struct clusters_color {
	const char	*node;
	const char	*color;
};

struct clusters_keys {
	unsigned	 set;
	const char	*switch_node;		/* "Ctrl+N" */
	const char	*broadcast_toggle;	/* "Ctrl+B" */
	const char	*quit;			/* "Ctrl+Q" */
	const char	*clear_screen;		/* NULL */
};

/* Interactive settings, merged: cluster > global > built-in. */
struct clusters_interactive {
	unsigned		 set;
	int			 mode;		/* enum clusters_mode */
	const char		*prompt_format;
	const char		*history_file;	/* ~ expanded */
	int			 show_timestamps;
	const char		*work_dir;	/* NULL: none */
	const char		*broadcast_prefix;
	const char		*node_switch_prefix;
	const struct clusters_color *colors;	/* node -> colour, ncolors */
	size_t			 ncolors;
	struct clusters_keys	 keys;
};

/*
 * One node, resolved.  spec is what the worker gets:
 * [user@]host[:port] with the configured user and port only (the worker's
 * own defaults, -l and -p apply to what is missing), IPv6 in brackets.
 */
struct clusters_node {
	const char		*spec;
	const char		*host;		/* no brackets, user, port */
	const char		*user;		/* NULL: none configured */
	int			 port;		/* 0: none configured */
	const char		*ssh_key;	/* NULL: none configured */
	struct clusters_jump	 jump;		/* node > cluster > defaults */
};

struct clusters_cluster {
	const char		*name;
	const char		*source;	/* the file, or "environment" */
	unsigned long		 line;		/* of its name; 0: from env */
	const struct clusters_node *nodes;
	size_t			 nnodes;
	/*
	 * The main rank: the node whose host is $BACKENDAI_CLUSTER_HOST when
	 * $BACKENDAI_CLUSTER_ROLE is "main" (any case), else 0.
	 */
	size_t			 main_rank;
	struct clusters_settings settings;
	struct clusters_interactive interactive;
};

/*
 * Find and load the configuration (path = --config, or NULL for the search
 * order above) and add the Backend.AI cluster.  The handle, or NULL with eb
 * set.
 */
struct clusters	*clusters_load(const char *path, struct errbuf *eb);
/* Load buf[0..len) as if it were the file name (tests, fuzzing). */
struct clusters	*clusters_load_buffer(const char *name, const void *buf,
		    size_t len, struct errbuf *eb);
void		 clusters_free(struct clusters *c);

/* The file read, or NULL when there was none (for -v and `bssh list'). */
const char	*clusters_source(const struct clusters *c);
/* The default cluster's name (default_cluster, else bai_auto), or NULL. */
const char	*clusters_default(const struct clusters *c);

/* The clusters in file order (bai_auto last); NULL when i is too large. */
size_t		 clusters_count(const struct clusters *c);
const struct clusters_cluster *clusters_nth(const struct clusters *c,
		    size_t i);
/* The cluster called name, or NULL with eb set ("no cluster ..."). */
const struct clusters_cluster *clusters_get(const struct clusters *c,
		    const char *name, struct errbuf *eb);

/* Settings for hosts given without a cluster (-H): defaults > built-in. */
const struct clusters_settings *clusters_defaults(const struct clusters *c);
/* Interactive settings without a cluster: global > built-in. */
const struct clusters_interactive *clusters_interactive(
		    const struct clusters *c);

/* Warnings of the load, "FILE:LINE: ..." each; NULL when out of range. */
size_t		 clusters_nwarnings(const struct clusters *c);
const char	*clusters_warning(const struct clusters *c, size_t i);

#endif
