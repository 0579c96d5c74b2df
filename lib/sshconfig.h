/*
 * sshconfig: ssh_config(5) read and resolved for one destination with
 * OpenSSH 9.2's semantics, into a struct sshopts; libssh's own parser is
 * never used (it diverges: "Host * !x", matching after HostName, Match
 * originalhost, list modifiers...).
 *
 *   Files    -F FILE alone ("none": no file), else ~/.ssh/config then the
 *            system file.  Values already in the sshopts (-o, the
 *            destination's user@ and :port) come first: the first value
 *            obtained wins.
 *   Host     patterns with '*', '?' and '!' (a negated match anywhere
 *            vetoes the block), matched case-sensitively against the host
 *            as given (the resolved host name on the final pass).
 *   Match    all, canonical, final, exec, host, originalhost, user,
 *            localuser, '!' negation, criteria AND-ed.  When a "Match
 *            final" is seen, every file is read again with final true and
 *            the resolved host name, as ssh does (canonical matches on
 *            that pass: hosts are never canonicalised here).
 *   Include  globs, sorted; relative paths under ~/.ssh (user files) or
 *            the system file's directory; missing files are skipped; at
 *            most 16 levels.
 *   Tokens   HostName %h; after resolution, RemoteCommand, IdentityFile,
 *            IdentityAgent and UserKnownHostsFile get %C %d %h %i %k %L %l
 *            %n %p %r %u %% (and ${ENV} except RemoteCommand) and ~.
 *
 * Match exec is the one place a configuration runs a program: its
 * argument is expanded, split into words as OpenSSH's argv_split() does
 * and executed WITHOUT a shell (PATH searched), stdin and stdout on
 * /dev/null, stderr ours; it matches when it exits 0.  It is killed after
 * the time limit (an error), and at most 64 run per resolution.
 *
 * Bounds: lines of 64 KiB, files of 1 MiB, 256 files and 16 MiB in all.
 * Errors come back as "FILE:LINE: what: why" in eb; nothing is printed
 * but err_debug() traces ("ignored" keywords at -v) and a warning when a
 * Match exec program cannot be started.
 */
#ifndef BSSH_SSHCONFIG_H
#define BSSH_SSHCONFIG_H

#include <stddef.h>

#include "err.h"
#include "sshopts.h"

#define SSHCONFIG_SYSTEM_FILE	"/etc/ssh/ssh_config"
#define SSHCONFIG_EXEC_MS	5000

#define SSHCONFIG_NO_EXEC	0x1	/* Match exec runs nothing and never matches */
#define SSHCONFIG_NO_INCLUDE	0x2	/* Include is checked but reads nothing */

struct sshconfig_params {
	const char	*host_arg;	/* the destination host as given */
	const char	*file;		/* -F; "none": no file; NULL: user + system */
	const char	*system_file;	/* NULL: SSHCONFIG_SYSTEM_FILE */
	const char	*text;		/* if set: the -F file's text (tests, fuzzing) */
	size_t		 text_len;
	int		 flags;		/* SSHCONFIG_NO_* */
	int		 exec_ms;	/* Match exec limit; 0: SSHCONFIG_EXEC_MS */
};

/*
 * Read the configuration for p->host_arg into o (which may already hold
 * command-line values), then finish o (sshopts_finish) and expand its
 * tokens.  o->hostname is the host to connect to (HostName expanded,
 * lower-cased, or the address in canonical form).  o->identity_raw keeps
 * IdentityFile as written.  0, or -1 with eb set.
 */
int	sshconfig_resolve(struct sshopts *o, const struct sshconfig_params *p,
	    struct errbuf *eb);

#endif
