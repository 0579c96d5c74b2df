/*
 * frauth: `+ auth' on a frontiere-dispatch session: the proof checked in
 * constant time, the level raised to max(base, token) and the token's
 * tags added, failures counted up to the lockout, its log entry and the
 * ban command (no shell, PATH-only environment, stdio on /dev/null, at
 * most 10 s).  Also the session id and the challenge nonce.
 */
#ifndef BSSH_FRAUTH_H
#define BSSH_FRAUTH_H

#include <stddef.h>

#include "frsession.h"

enum fr_auth {
	FRA_OK,
	FRA_FAILED,
	FRA_LOCKOUT,		/* "session terminated" written, logged, ban run */
	FRA_NOT_CONFIGURED
};

/*
 * Check `+ auth token=T proof=P' and write the client's feedback.  In
 * nonce mode a success replaces the nonce and announces the new one, so a
 * proof is accepted at most once.
 */
enum fr_auth	frsession_auth(struct fr_session *s, const char *token, size_t tokenlen,
		    const char *proof, size_t prooflen);

/* 16 random bytes as a UUID v4 into s->session_id.  0, or -1 (eb set). */
int	frsession_new_id(struct fr_session *s, struct errbuf *eb);

/* A fresh nonce.  0, or -1 (eb set). */
int	frsession_new_nonce(struct fr_session *s, struct errbuf *eb);

#endif
