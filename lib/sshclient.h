/*
 * sshclient: one libssh client session set up the way this toolkit wants
 * it, from a finished struct sshopts.
 *
 *   - our own TCP connect (every resolved address in turn, address family,
 *     ConnectionAttempts, a deadline), TCP_NODELAY and SO_KEEPALIVE on,
 *     handed to libssh with SSH_OPTIONS_FD; libssh never reads ssh_config
 *     (lib/sshconfig resolves it);
 *   - or, with ProxyCommand, the command run as OpenSSH runs it ($SHELL,
 *     else /bin/sh, -c "exec COMMAND" with %h %k %n %p %r %% expanded) on
 *     one end of a socketpair whose other end goes to libssh; its stderr is
 *     ours; it leads its own process group, which gets SIGHUP (then SIGKILL)
 *     when the session closes, so a relay pipeline leaves nothing behind.
 *     This is the one place a shell runs: a ProxyCommand is by definition
 *     a shell command line;
 *   - host keys checked by lib/knownhosts under the StrictHostKeyChecking
 *     policy (yes / accept-new / no, with @revoked always refused), under
 *     the HostKeyAlias name when there is one;
 *   - authentication in PreferredAuthentications order (default publickey,
 *     keyboard-interactive, password): the agent, then each identity file
 *     (offered by its .pub first, so no passphrase is asked for a key the
 *     server would refuse), then a password;
 *   - ConnectTimeout bounds TCP connect, key exchange and authentication.
 *
 * Authentication itself lives in lib/sshauth.
 */
#ifndef BSSH_SSHCLIENT_H
#define BSSH_SSHCLIENT_H

#include <stdint.h>
#include <sys/types.h>

#include <libssh/libssh.h>

#include "err.h"
#include "sshauth.h"
#include "sshopts.h"

/* Why a connection failed; also the "kind" of status-fd error events. */
enum sc_errkind {
	SC_OK = 0,
	SC_ERR_CONNECT,
	SC_ERR_HOSTKEY,
	SC_ERR_AUTH,
	SC_ERR_PROTOCOL,
	SC_ERR_TIMEOUT
};

struct sshclient_params {
	const struct sshopts		*o;		/* after sshopts_finish() */
	const char			*host;		/* host to connect to */
	int				 agent_only;	/* -A: the agent and nothing else */
	struct sshauth_secrets	*sec;
	int				 status_fd;	/* JSON events; -1 for none */
	const char			*host_arg;	/* %n of ProxyCommand; NULL: host */
};

struct sshclient {
	ssh_session	 s;
	int		 fd;		/* our socket; libssh does not close it */
	pid_t		 proxy_pid;	/* the ProxyCommand, or 0 */
	enum sc_errkind	 kind;		/* after a failure */
	char		 method[32];	/* the method that authenticated */
	char		 addr[64];	/* numeric peer address */
};

/*
 * Connect, verify the host key and authenticate.  Returns 0 with c ready
 * for channels, or -1 with c->kind and eb set (c is cleaned up).
 */
int	sshclient_connect(struct sshclient *c, const struct sshclient_params *p,
	    struct errbuf *eb);

/* Disconnect politely, free the session, close the socket, end the proxy. */
void	sshclient_close(struct sshclient *c);

/* Name of an error kind as used in status events. */
const char *sshclient_kind_name(enum sc_errkind k);

#endif
