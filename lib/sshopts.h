/*
 * sshopts: the client options model, keyed by OpenSSH's keywords.
 *
 * Values arrive from -o Key=Value, from command-line flags (which map to
 * the same keywords) and, later, from ssh_config.  As in OpenSSH the first
 * value obtained wins: sshopts_set() ignores a keyword that is already set
 * (IdentityFile, UserKnownHostsFile and friends accumulate instead).
 * sshopts_finish() fills in the defaults for what is still unset.
 */
#ifndef BSSH_SSHOPTS_H
#define BSSH_SSHOPTS_H

#include <stddef.h>

#include "err.h"

#define SSHOPTS_MAX_LIST	16

enum shk_mode {
	SHK_UNSET = 0,
	SHK_YES,
	SHK_ACCEPT_NEW,
	SHK_NO
};

enum opt_bool {
	OPT_UNSET = -1,
	OPT_NO = 0,
	OPT_YES = 1
};

struct sshopts {
	char		*hostname;
	char		*user;
	int		 port;				/* 0: unset */
	char		*identity_files[SSHOPTS_MAX_LIST];
	size_t		 n_identity_files;
	int		 identities_only;		/* enum opt_bool */
	char		*identity_agent;		/* NULL: $SSH_AUTH_SOCK */
	enum shk_mode	 strict;
	char		*user_known_hosts[SSHOPTS_MAX_LIST];
	size_t		 n_user_known_hosts;
	char		*global_known_hosts[SSHOPTS_MAX_LIST];
	size_t		 n_global_known_hosts;
	int		 hash_known_hosts;		/* enum opt_bool */
	long		 connect_timeout;		/* seconds; -1 unset, 0 none */
	long		 connection_attempts;		/* -1 unset */
	long		 server_alive_interval;		/* seconds; -1 unset */
	long		 server_alive_count_max;	/* -1 unset */
	int		 address_family;		/* AF_UNSPEC/AF_INET/AF_INET6; -1 unset */
	int		 batch_mode;			/* enum opt_bool */
	int		 password_auth;			/* enum opt_bool */
	int		 pubkey_auth;			/* enum opt_bool */
	int		 kbdint_auth;			/* enum opt_bool */
	char		*preferred_auth;
	char		*kex_algorithms;
	char		*ciphers;
	char		*macs;
	char		*hostkey_algorithms;
	int		 compression;			/* enum opt_bool */
	int		 log_level;			/* 0 quiet .. 3; -1 unset */
};

/* An empty option set (everything unset). */
void	sshopts_init(struct sshopts *o);
void	sshopts_free(struct sshopts *o);

/*
 * Set keyword (case-insensitive) to value unless already set.  Returns 0,
 * or -1 with eb set for an unknown keyword or a bad value.
 */
int	sshopts_set(struct sshopts *o, const char *keyword, const char *value, struct errbuf *eb);

/* Parse "Key=Value" or "Key Value" (the -o argument) and set it. */
int	sshopts_set_arg(struct sshopts *o, const char *arg, struct errbuf *eb);

/*
 * Fill defaults for unset values: Port 22, User from the login name,
 * known_hosts files under $HOME/.ssh, StrictHostKeyChecking accept-new,
 * ConnectTimeout none, keepalive off, and so on.  The default identity
 * files (~/.ssh/id_ed25519, id_ecdsa, id_rsa) follow any given ones, unless
 * IdentitiesOnly is set and some were given; "IdentityFile none" leaves
 * none.  "none" as the only known_hosts file means no file.  0 or -1.
 */
int	sshopts_finish(struct sshopts *o, struct errbuf *eb);

/* Name of a strict-host-key-checking mode ("yes", "accept-new", "no"). */
const char *sshopts_shk_name(enum shk_mode m);

/* Parse a strict-host-key-checking word (yes/no/accept-new/ask/off...). */
int	sshopts_parse_shk(const char *s, enum shk_mode *m, struct errbuf *eb);

/* The user's home directory: $HOME, else the password database. */
const char *sshopts_home(void);

#endif
