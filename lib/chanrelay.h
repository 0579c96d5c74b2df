/*
 * chanrelay: one open session channel relayed to local fds in a single
 * poll(2) loop, for every client program that runs something remotely.
 *
 *   in_fd  -> the channel, as the window allows; end of file sends EOF
 *   channel stdout / stderr -> out_fd / err_fd (blocking writes: a slow
 *             reader slows the remote side through the SSH window)
 *   ServerAliveInterval keepalives, judged by TCP_INFO (libssh reads the
 *             replies itself, so only the kernel knows when the server
 *             last spoke)
 *   a deadline, and the program's signal self-pipe: SIGWINCH resizes the
 *             PTY, any other signal ends the relay.
 *
 * Create the relay before the exec/shell request (its callbacks must be in
 * place before the first data can arrive), run it after.
 */
#ifndef BSSH_CHANRELAY_H
#define BSSH_CHANRELAY_H

#include <stdint.h>

#include <libssh/libssh.h>

struct chanrelay_params {
	ssh_session	 s;
	ssh_channel	 ch;
	int		 sock;		/* the session's TCP socket */
	int		 in_fd;		/* -1: nothing to send, EOF at once */
	int		 out_fd;
	int		 err_fd;
	int		 sig_fd;	/* read end of the signal self-pipe, or -1 */
	int		 pty;		/* resize on SIGWINCH from in_fd's size */
	long		 alive_ms;	/* 0: no keepalives */
	long		 alive_max;
};

enum chanrelay_end {
	CR_CLOSED,	/* the channel closed: see have_status / signame */
	CR_LOST,	/* the connection broke */
	CR_TIMEOUT,	/* the deadline passed (the remote command got TERM) */
	CR_DEAD,	/* alive_max keepalives went unanswered */
	CR_SIGNAL	/* a signal arrived (forwarded to the remote command) */
};

struct chanrelay_result {
	enum chanrelay_end	 end;
	int			 have_status;
	int			 exit_status;
	char			 signame[32];	/* remote exit signal, "" if none */
	int			 sig;		/* CR_SIGNAL: the local signal */
};

struct chanrelay;

/* Install the channel callbacks.  NULL when out of memory. */
struct chanrelay	*chanrelay_new(const struct chanrelay_params *p);
/*
 * Relay until the channel closes or something ends it early; deadline is
 * a monotonic time in ms (0 for none).  Puts the session in non-blocking
 * mode for the duration.  0, or -1 when poll fails.
 */
int			 chanrelay_run(struct chanrelay *r, int64_t deadline,
			    struct chanrelay_result *res);
void			 chanrelay_free(struct chanrelay *r);

/* Ask the server to send sig to the remote command, then close the channel. */
void			 chanrelay_abandon(ssh_session s, ssh_channel ch, const char *sig);

/* The local number of a signal name as SSH sends it ("TERM"), or -1. */
int			 chanrelay_signal_number(const char *name);

#endif
