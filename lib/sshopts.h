/*
 * sshopts: the client options model, keyed by OpenSSH's keywords.
 *
 * Values arrive from -o Key=Value, from command-line flags (which map to
 * the same keywords) and from ssh_config (lib/sshconfig).  As in OpenSSH
 * the first value obtained wins: a keyword already set keeps its value.
 * IdentityFile and SendEnv accumulate; UserKnownHostsFile,
 * GlobalKnownHostsFile and SetEnv take their whole list from the first
 * line that sets them.  Each keyword's arguments are parsed and checked as
 * OpenSSH 9.2 does, also on lines that do not apply to the host.
 * sshopts_finish() fills in the defaults for what is still unset.
 *
 * Every keyword of OpenSSH 9.2's ssh_config(5) is known: those this
 * toolkit does not use are accepted and reported as "ignored".
 */
#ifndef BSSH_SSHOPTS_H
#define BSSH_SSHOPTS_H

#include <stddef.h>

#include "err.h"

#define SSHOPTS_MAX_LIST	100	/* entries of a list option (OpenSSH's cap) */

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

/* RequestTTY; -1 unset. */
enum request_tty {
	RTTY_NO = 0,
	RTTY_YES,
	RTTY_FORCE,
	RTTY_AUTO
};

/* PubkeyAuthentication: OPT_NO, OPT_YES, or these (all count as yes). */
#define PUBKEY_UNBOUND		2
#define PUBKEY_HOST_BOUND	3

struct sshopts {
	char		*hostname;
	char		*user;
	int		 port;				/* 0: unset */
	char		**identity_files;		/* paths: ~ (and tokens) expanded */
	char		**identity_raw;			/* the same, as written */
	size_t		 n_identity_files;
	int		 identities_only;		/* enum opt_bool */
	char		*identity_agent;		/* NULL: $SSH_AUTH_SOCK */
	enum shk_mode	 strict;
	char		**user_known_hosts;
	size_t		 n_user_known_hosts;
	char		**global_known_hosts;		/* ~ not expanded */
	size_t		 n_global_known_hosts;
	int		 hash_known_hosts;		/* enum opt_bool */
	long		 connect_timeout;		/* seconds; -1 unset or none */
	long		 connection_attempts;		/* -1 unset */
	long		 server_alive_interval;		/* seconds; -1 unset */
	long		 server_alive_count_max;	/* -1 unset */
	long		 number_of_password_prompts;	/* -1 unset */
	int		 address_family;		/* AF_UNSPEC/AF_INET/AF_INET6; -1 unset */
	int		 batch_mode;			/* enum opt_bool */
	int		 password_auth;			/* enum opt_bool */
	int		 pubkey_auth;			/* enum opt_bool or PUBKEY_* */
	int		 kbdint_auth;			/* enum opt_bool */
	char		*preferred_auth;
	char		*kex_algorithms;		/* as written; plain lists after */
	char		*ciphers;			/* sshopts_finish() */
	char		*macs;
	char		*hostkey_algorithms;
	int		 compression;			/* enum opt_bool */
	int		 log_level;			/* verbosity 0 .. 3; -1 unset */
	int		 log_level_ssh;			/* OpenSSH level 0 QUIET .. 7 DEBUG3 */
	char		*host_key_alias;		/* the known_hosts name */
	char		*proxy_command;			/* NULL or "none": none */
	char		*proxy_jump;			/* as ssh -G prints it; "none" */
	char		*remote_command;
	int		 request_tty;			/* enum request_tty; -1 unset */
	char		**send_env;			/* patterns */
	size_t		 n_send_env;
	char		**set_env;			/* NAME=VALUE */
	size_t		 n_set_env;
	char		*ignored_unknown;
};

/* What sshopts_apply() did with a keyword. */
enum sshopts_use {
	SSHOPTS_USED,		/* a keyword of ours */
	SSHOPTS_IGNORED,	/* known to OpenSSH, not used here */
	SSHOPTS_UNKNOWN_OK	/* unknown but matched by IgnoreUnknown */
};

/* An empty option set (everything unset). */
void	sshopts_init(struct sshopts *o);
void	sshopts_free(struct sshopts *o);

#define SSHOPTS_ACTIVE	0x1	/* the line applies to this host */
#define SSHOPTS_CMDLINE	0x2	/* from -o: known-hosts lists accumulate */

/*
 * Apply one configuration line: keyword kw (any case), rest the text after
 * it (for ProxyCommand, RemoteCommand and ProxyJump, which take it
 * verbatim), argv[0..argc) its arguments as OpenSSH splits them.  The
 * arguments are checked whether or not the line is active; an active line
 * (flags SSHOPTS_ACTIVE) sets what is still unset.  With SSHOPTS_CMDLINE,
 * repeated UserKnownHostsFile and GlobalKnownHostsFile add files (ssh
 * would keep the first line's list).  Host, Match and Include are not handled here
 * (lib/sshconfig does).  Returns 0 with *use set, or -1 with eb set
 * ("Keyword: why" or "Keyword value: why") for an unknown keyword, a
 * missing, extra or bad argument, or no memory.
 */
int	sshopts_apply(struct sshopts *o, const char *kw, const char *rest, char **argv,
	    int argc, int flags, enum sshopts_use *use, struct errbuf *eb);

/*
 * Set keyword (case-insensitive) to the single argument value unless
 * already set.  0, or -1 with eb set.
 */
int	sshopts_set(struct sshopts *o, const char *keyword, const char *value, struct errbuf *eb);

/*
 * A -o argument: "Key=Value" or "Key Value ...", split as an ssh_config
 * line (quotes, several arguments), applied with SSHOPTS_CMDLINE; Host,
 * Match and Include are refused.
 */
int	sshopts_set_arg(struct sshopts *o, const char *arg, struct errbuf *eb);

/*
 * Fill defaults for unset values: Port 22, User from the login name,
 * known_hosts files under ~/.ssh (~ expanded in UserKnownHostsFile),
 * StrictHostKeyChecking accept-new, keepalive off, and so on.  The
 * default identity files (~/.ssh/id_ed25519, id_ecdsa, id_rsa) follow any
 * given ones, unless IdentitiesOnly is set and some were given;
 * "IdentityFile none" leaves none.  "none" as the only known_hosts file
 * means no file; ProxyCommand/ProxyJump/RemoteCommand "none" mean unset.
 * Algorithm lists with +, - or ^ are resolved against libssh's lists.
 * 0, or -1 with eb set.
 */
int	sshopts_finish(struct sshopts *o, struct errbuf *eb);

/*
 * Turn IdentityAgent's environment forms into a path, as ssh does when
 * it connects: "SSH_AUTH_SOCK" or "$NAME" become the variable's value
 * (unset: "none").  0, or -1 when out of memory.
 */
int	sshopts_resolve_agent(struct sshopts *o);

/* Name of a strict-host-key-checking mode ("yes", "accept-new", "no"). */
const char *sshopts_shk_name(enum shk_mode m);

/* Parse a strict-host-key-checking word (yes/no/accept-new/ask/off...). */
int	sshopts_parse_shk(const char *s, enum shk_mode *m, struct errbuf *eb);

/* The user's home directory: $HOME, else the password database. */
const char *sshopts_home(void);

#endif
