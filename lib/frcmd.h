/*
 * frcmd: one command of a chain, from its text to what to do: a built-in
 * (exit, help, list), a rejection with its status and message, or an argv
 * to run.  The checks run in the reference's order and the first failure
 * wins: exit, empty, length (4096), quote tokenising (no escapes), token
 * length (256), help/list, domain, action, key=value arguments, defaults,
 * enum values, tags, level.  The argv comes from the action's template,
 * substituted in one pass: a value is never scanned again, so a value
 * holding "{other}" stays literal.  Nothing here exits or prints.
 */
#ifndef BSSH_FRCMD_H
#define BSSH_FRCMD_H

#include <stddef.h>

#include "frconf.h"

#define FR_CMD_MAX	4096	/* bytes of one command */
#define FR_TOKEN_MAX	256	/* bytes of one token, key= included */

enum fr_cmd_kind {
	FRK_EXIT,
	FRK_HELP,
	FRK_LIST,
	FRK_REJECT,		/* status 128 */
	FRK_DENY,		/* status 131 (RBAC) */
	FRK_RUN
};

/* Who is asking: the effective level and the sorted tag set. */
struct fr_identity {
	enum fr_level	 level;
	char		**tags;
	size_t		 ntags;
};

struct fr_cmd {
	enum fr_cmd_kind	 kind;
	char			*message;	/* FRK_REJECT/DENY: "rejected: ..." */
	char			*help_target;	/* FRK_HELP: NULL for the overview */
	const struct fr_domain	*domain;	/* FRK_RUN, FRK_DENY */
	const struct fr_action	*action;
	char			**argv;		/* FRK_RUN: NULL-terminated */
	size_t			 argc;
	int			 nul;		/* a value in argv held a NUL: no exec */
};

/*
 * Resolve the command text (trimmed by the chain parser; len bytes).
 * 0, or -1 when memory ran out.
 */
int	frcmd_resolve(const struct fr_config *cfg, const struct fr_identity *id,
	    const char *text, size_t len, struct fr_cmd *out);

void	frcmd_clear(struct fr_cmd *c);

/* Whether the identity may see and run the action (tags, then level). */
int	frcmd_allowed(const struct fr_identity *id, const struct fr_action *a);

#endif
