/*
 * sshmatch: the two pieces of ssh_config's Match evaluation that reach
 * outside the process: running a Match exec command and the %C hash.
 *
 * A Match exec command runs WITHOUT a shell: its words are split as
 * OpenSSH's argv_split() does (quotes, backslashes), the program is found
 * on PATH, stdin and stdout are /dev/null, stderr is inherited, and it
 * leads its own process group, which is killed when the time is up.
 */
#ifndef BSSH_SSHMATCH_H
#define BSSH_SSHMATCH_H

#include "err.h"

/*
 * Run cmd for at most ms milliseconds.  Returns 1 when it exits 0, 0 for
 * another exit status, 2 when it cannot be started (eb says why; a shell
 * would have exited 127), -1 with eb set when it was killed at the limit,
 * died of a signal or the command is empty or badly quoted.
 */
int	sshmatch_exec(const char *cmd, int ms, struct errbuf *eb);

/* %C: SHA1 hex of l h p r concatenated (OpenSSH's ssh_connection_hash). */
void	sshmatch_conn_hash(const char *l, const char *h, const char *p, const char *r,
	    char hex[41]);

#endif
