/*
 * frsession: the state of one frontiere-dispatch connection (who the
 * client is, its auth failures and nonce) and the execution of command
 * blocks: a chain parsed by frchain, each command resolved by frcmd, run
 * by frexec, answered with exactly one `>>>' line and logged by frlog.
 */
#ifndef BSSH_FRSESSION_H
#define BSSH_FRSESSION_H

#include <stddef.h>

#include "frcmd.h"
#include "frconf.h"
#include "frcrypto.h"
#include "frout.h"

struct fr_session {
	const struct fr_config	*cfg;
	struct fr_out		*out;
	enum fr_level		 base;		/* from --level= */
	struct fr_identity	 id;		/* effective level; tags owned */
	char			 session_id[37];
	const char		*ssh_client;	/* NULL: not under sshd */
	const char		*prog;		/* for stderr lines */
	int			 diagnostic;
	/* token authentication */
	unsigned long long	 failures;
	int			 nonce_mode;
	unsigned char		 nonce[FR_NONCE_LEN];
	/* the body of the block being run, for its first command */
	const char		*body;
	size_t			 bodylen;
	int			 has_body;
};

void	frsession_init(struct fr_session *s, const struct fr_config *cfg, struct fr_out *out,
	    enum fr_level base);
void	frsession_clear(struct fr_session *s);

/*
 * Run a block (lines joined by LF) with an optional body for its first
 * command.  Returns the chain's status code.
 */
int	frsession_block(struct fr_session *s, const char *block, size_t len, const char *body,
	    size_t bodylen, int has_body);

/* Write the overview help and its response (the first block's `help'). */
void	frsession_help(struct fr_session *s);

#endif
