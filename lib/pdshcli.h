/*
 * pdshcli: the pdsh personality's command line.
 *
 * bssh answers to pdsh(1)'s options when it runs as "pdsh" (argv[0]),
 * with --pdsh-compat anywhere in argv, or with BSSH_PDSH_COMPAT=1/true.
 * This module turns such a command line, plus pdsh's environment
 * (PDSH_SSH_ARGS, PDSH_SSH_ARGS_APPEND, PDSH_CONNECT_TIMEOUT,
 * PDSH_COMMAND_TIMEOUT, FANOUT, WCOLL), into bssh's own options, so one
 * driver serves both:
 *
 *   -w hosts    -H hosts (a value "-" reads hosts from stdin, one per line)
 *   -x hosts    -x hosts          -f n     --parallel n (default 32)
 *   -l user     -l user           -t s     --connect-timeout s (default 10)
 *   -u s        --timeout s (default none)
 *   -N  -b  -k  the same          -S       --any-failure
 *   -R ssh      accepted; any other module is an error
 *   -q          print pdsh's option summary and the targets, then exit
 *   -V, -h      version, usage
 * and the ssh options users keep in PDSH_SSH_ARGS(_APPEND): -i -p -o -l -F
 * -4 -6 -q -t -T, while -2 -a -x and %-tokens are accepted and dropped.
 * Option values are trimmed, so "-f 32" as one argv element (as
 * ClusterShell passes it) parses as pdsh parses it.
 */
#ifndef BSSH_PDSHCLI_H
#define BSSH_PDSHCLI_H

#include <stddef.h>

#include "err.h"

enum pdsh_action {
	PDSH_RUN,	/* run the translated command line */
	PDSH_QUERY,	/* -q: print the summary (pdshcli_print_query) */
	PDSH_VERSION,
	PDSH_HELP
};

struct pdshcli {
	enum pdsh_action	 action;
	char			**argv;		/* bssh's options, NULL-terminated */
	size_t			 argc;
	/* for -q and for pdsh-style messages */
	char			*hosts;		/* the -w list as given (joined) */
	char			*excludes;	/* the -x list (joined), or NULL */
	char			*user;		/* -l, or NULL */
	char			*command;	/* the command words joined, or NULL */
	long			 fanout;
	long			 connect_timeout;
	long			 command_timeout;
	int			 batch;
	int			 noprefix;
	int			 failfast;	/* -k */
	int			 any_failure;	/* -S */
};

/*
 * 1 when argv[0], --pdsh-compat or BSSH_PDSH_COMPAT asks for pdsh; the
 * --pdsh-compat word is removed from argv (argc updated).
 */
int	pdshcli_wanted(int *argc, char **argv);

/*
 * Translate a pdsh command line (argv[0] included).  0, or -1 with eb set
 * (the message is pdsh-like: what was wrong with which option).
 */
int	pdshcli_parse(struct pdshcli *pc, int argc, char **argv, struct errbuf *eb);
void	pdshcli_free(struct pdshcli *pc);

/*
 * Answer -q (pdsh's option summary and the targets folded into ranges),
 * -V or -h on stdout.  0, or -1 with eb set (a bad host list).
 */
int	pdshcli_answer(const struct pdshcli *pc, const char *version, struct errbuf *eb);

#endif
