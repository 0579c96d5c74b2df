/*
 * varexpand: the expansions of configuration values, done once, in one
 * pass, never through a shell: ${NAME} and $NAME from the environment, and
 * a leading ~ or ~user.
 *
 * Ownership: both functions return a malloc'd string the caller frees.
 * They never exit and never print; they return NULL with errno ENOMEM, or
 * ENAMETOOLONG when the result would pass VAREXPAND_MAX bytes.
 */
#ifndef BSSH_VAREXPAND_H
#define BSSH_VAREXPAND_H

#define VAREXPAND_MAX	4096	/* bytes of an expanded value, NUL excluded */

/*
 * Expand ${NAME} and $NAME (NAME = [A-Za-z0-9_]+) from the environment.
 * An unset variable, a lone '$', "$" before a non-name character and an
 * unclosed "${" stay as written; inserted values are not expanded again.
 */
char	*varexpand_vars(const char *s);

/*
 * Expand a leading "~" or "~/" to $HOME (else the password database's
 * home for our uid) and "~user" / "~user/" to user's home directory.
 * Anything else, an unknown user and a name of 256 bytes or more stay as
 * written.  Variables are not expanded.
 */
char	*varexpand_tilde(const char *s);

#endif
