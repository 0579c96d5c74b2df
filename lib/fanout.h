/*
 * fanout: one run of a worker program on every target node — the part of
 * the driver that bssh's exec and ping share, and that upload and
 * download will share.
 *
 * Each node's worker gets the argv  prefix[0] NODE prefix[1..] NODE-OPTIONS
 * [-- command], where NODE-OPTIONS are what bssh-config(5) says for that
 * node (its key, ssh_config and jump host; for -H nodes the defaults' user
 * and port) as -o/-F/-J options ranking below the command line's.  The
 * node comes right after the path because the worker, as ssh, keeps the
 * first value of each option: a node's user@ and :port beat -l and -p.
 * lib/pool runs the workers; lib/output shows what they print; the exit
 * status follows the strategy (lib/exitcode), 130 or 128+N when a signal
 * stopped the run, and for ping 0 (all ok), 1 (some) or 255 (none).
 * Ctrl+C once prints the counts, twice within a second stops every node
 * (the first does with batch); fail-fast stops at the first failure.
 */
#ifndef BSSH_FANOUT_H
#define BSSH_FANOUT_H

#include <stddef.h>
#include <stdint.h>

#include "clusters.h"
#include "err.h"
#include "exitcode.h"
#include "output.h"
#include "sshauth.h"
#include "targets.h"

struct fanout_params {
	struct targets		*targets;	/* the nodes */
	const struct clusters	*conf;		/* their configuration, or NULL */
	char *const		*prefix;	/* the worker's path, then options */
	size_t			 nprefix;
	const char		*command;	/* NULL: no command (ping) */
	int			 cli_identity;	/* -i given: config keys do not apply */
	int			 cli_ssh_config;	/* -F given: nor config's -F */
	size_t			 parallel;
	int64_t			 timeout_ms;	/* the command's, 0 none */
	int64_t			 connect_ms;
	enum out_mode		 mode;
	int			 out_flags;	/* OUT_NOPREFIX, OUT_COLOR... */
	const char		*outdir;
	enum exit_strategy	 strategy;
	int			 failfast;
	int			 batch;
	int			 ping;
	int			 pdsh;		/* a remote signal counts 255 */
	int			 stdin_fd;	/* spooled stdin, or -1 */
	const struct sshauth_secrets *sec;	/* sent on fd 4 when it holds any */
	int			 sigfd;		/* the program's signal self-pipe */
};

/*
 * Run; returns the exit status, or -1 with eb set when the run could not
 * be set up (out of memory, the output directory).
 */
int	fanout_run(const struct fanout_params *p, struct errbuf *eb);

#endif
