/*
 * frforced: whether a `-c' string handed to frontiere-dispatch by sshd is
 * a forced command (trusted: its --level and --config count) or a client's
 * command (not trusted).
 *
 * When the program is an account's login shell, sshd runs it as
 * `shell -c STRING' both for a forced command and for a command the
 * client typed, so the string alone cannot tell.  It is a forced command
 * when sshd says so (SSH_ORIGINAL_COMMAND is set only when a forced
 * command replaced the client's), or when it is exactly the command="..."
 * of a key in the account's authorized_keys, or a ForceCommand of
 * sshd_config.  Paths come from the passwd database and fixed system
 * locations, never from the environment.  Nothing here exits or prints.
 */
#ifndef BSSH_FRFORCED_H
#define BSSH_FRFORCED_H

/*
 * 1 when str is a forced command.  original is SSH_ORIGINAL_COMMAND's
 * value (or NULL), home the account's home directory, sshd_config the
 * server configuration file (its sshd_config.d/ *.conf are read too).
 */
int	frforced_is_forced(const char *str, const char *original, const char *home,
	    const char *sshd_config);

#endif
