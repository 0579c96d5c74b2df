/*
 * frlog: SSH-Frontiere's JSON Lines log, field for field:
 *
 *   event, timestamp, pid, [domain], [action], [reason], [ssh_client],
 *   effective_tags, action_tags
 *
 * The file is opened (created, appended) for each entry, its missing
 * parent directories made, and every failure ignored, as the reference
 * does.  Argument values are never logged.  Nothing here exits or prints.
 */
#ifndef BSSH_FRLOG_H
#define BSSH_FRLOG_H

struct fr_log_entry {
	const char	*event;		/* executed, timeout, rejected, ... */
	const char	*domain;	/* NULL: absent */
	const char	*action;
	const char	*reason;
	const char	*ssh_client;
};

void	frlog_write(const char *path, const struct fr_log_entry *e);

#endif
