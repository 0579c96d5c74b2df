/*
 * sshoptlist: the list-valued options of lib/sshopts, with OpenSSH's rules
 * for each:
 *
 *   IdentityFile          accumulates; a duplicate is dropped
 *   User/GlobalKnownHostsFile  the whole list comes from the first line
 *                         that sets it; "none" must appear alone
 *   SendEnv               accumulates; "-pattern" removes what it matches
 *   SetEnv                NAME=VALUE list from the first line; a name
 *                         given twice keeps its first value
 *
 * Arguments are checked whether or not the line is active.  Each function
 * returns 0, or -1 with eb set to the reason ("more than 100 entries").
 * Lists are malloc'd arrays of malloc'd strings owned by struct sshopts.
 */
#ifndef BSSH_SSHOPTLIST_H
#define BSSH_SSHOPTLIST_H

#include <stddef.h>

#include "err.h"
#include "sshopts.h"

/* Append a copy of s to the list *v of *n entries (eb may be NULL). */
int	sshoptlist_push(char ***v, size_t *n, const char *s, struct errbuf *eb);

/* IdentityFile raw: kept as written and, ~ expanded, as a path. */
int	sshoptlist_identity(struct sshopts *o, const char *raw, struct errbuf *eb);

/* A known-hosts keyword's arguments into the list *v, *n (add: even if set). */
int	sshoptlist_hostfiles(char ***v, size_t *n, char **argv, int argc, int active,
	    int add, struct errbuf *eb);

int	sshoptlist_sendenv(struct sshopts *o, char **argv, int argc, int active,
	    struct errbuf *eb);
int	sshoptlist_setenv(struct sshopts *o, char **argv, int argc, int active,
	    struct errbuf *eb);

#endif
