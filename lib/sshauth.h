/*
 * sshauth: client authentication for lib/sshclient, and the secrets it
 * may use.
 *
 * Secrets (a password, key passphrases) come from a secrets fd written by
 * the driver, from BSSH_PASSWORD, or from a prompt on /dev/tty; they are
 * never logged and are wiped by sshauth_wipe().
 */
#ifndef BSSH_SSHAUTH_H
#define BSSH_SSHAUTH_H

#include <stddef.h>

#include <libssh/libssh.h>

#include "err.h"
#include "sshopts.h"

#define SC_SECRET_MAX		1024
#define SC_PASSPHRASES_MAX	8
#define SC_SECRETS_RECORD_MAX	16384

struct sc_passphrase {
	char	path[1024];
	char	pass[SC_SECRET_MAX];
};

struct sshauth_secrets {
	char			password[SC_SECRET_MAX];
	int			have_password;
	int			want_password;	/* --password: ask once, up front */
	struct sc_passphrase	pp[SC_PASSPHRASES_MAX];
	size_t			npp;
	int			may_prompt;	/* a terminal and not BatchMode */
};

/*
 * Authenticate session s as o->user in PreferredAuthentications order.
 * Returns 0 and copies the winning method's name into method (size 32), or
 * -1 with eb set.  agent_only restricts publickey to the agent.
 */
int	sshauth_run(ssh_session s, const struct sshopts *o, const char *host,
	    int agent_only, struct sshauth_secrets *sec, char *method, struct errbuf *eb);

/*
 * Read a secrets record from fd until EOF: NUL-terminated fields
 * "password" PW | "passphrase" PATH PASS, at most SC_SECRETS_RECORD_MAX
 * bytes.  0 or -1 with eb set.
 */
int	sshauth_read_secrets(int fd, struct sshauth_secrets *sec, struct errbuf *eb);

/* Write sec as a secrets record on fd (the inverse of the above).  0 or -1. */
int	sshauth_write_secrets(int fd, const struct sshauth_secrets *sec);

#define SA_ASK_PASSPHRASES	0x1	/* ask now for encrypted identity files */
#define SA_AGENT_ONLY		0x2	/* no identity files will be used */
#define SA_SHARED_PASSWORD	0x4	/* the password is for every host */

/*
 * Gather secrets before connecting: the password from BSSH_PASSWORD, or
 * asked once on the terminal when want_password is set.  With
 * SA_ASK_PASSPHRASES (o must be finished), also the passphrase of every
 * encrypted identity file of o: the first nexplicit (given with -i or
 * IdentityFile) always, the defaults only when no agent will be tried.
 * Sets sec->may_prompt from the terminal and batch.  0 or -1 with eb set.
 */
int	sshauth_collect(struct sshauth_secrets *sec, const struct sshopts *o, size_t nexplicit,
	    int want_password, int batch, int flags, struct errbuf *eb);

/* Wipe every secret in sec. */
void	sshauth_wipe(struct sshauth_secrets *sec);

/*
 * Whether the private key at path is protected by a passphrase: 1 yes,
 * 0 no, -1 unreadable or not a key.
 */
int	sshauth_key_encrypted(const char *path);

#endif
