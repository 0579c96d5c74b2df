/*
 * frconf: SSH-Frontiere's TOML configuration (the whitelist), read into C
 * structs and validated the reference's fail-fast way.
 *
 * The file is parsed by lib/toml into a jansson tree; typed reads turn it
 * into the structs below (a wrong type or a missing required key is
 * "invalid TOML: ..."), then the validation of frontiere.toml(5) runs in
 * the reference's order and stops at the first error.  Unknown keys are
 * ignored everywhere, as the reference does.  Domains, actions, arguments
 * and tokens are sorted by id (byte order), which is the order help, list
 * and validation use.  Strings point into the tree the config keeps;
 * frconf_free releases everything.  Nothing here exits or prints.
 */
#ifndef BSSH_FRCONF_H
#define BSSH_FRCONF_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "err.h"

#define FR_DEFAULT_CONFIG	"/etc/ssh-frontiere/config.toml"
#define FR_MAX_BODY_DEFAULT	65536
#define FR_CONFIG_MAX		(4u << 20)	/* bytes of a config file */

enum fr_level { FR_READ, FR_OPS, FR_ADMIN };

struct fr_arg {
	const char	*name;
	const char	*type;		/* "" when not given */
	const char	**values;	/* enum values, config order */
	size_t		 nvalues;
	int		 has_values;
	const char	*def;		/* NULL: required */
	int		 free;
	int		 sensitive;
};

struct fr_action {
	const char	*id;
	const char	*description;
	enum fr_level	 level;
	const char	*execute;
	int		 has_timeout;
	uint64_t	 timeout;
	char		**tags;		/* lowercased, sorted, unique */
	size_t		 ntags;
	uint64_t	 max_body_size;
	struct fr_arg	*args;		/* sorted by name */
	size_t		 nargs;
};

struct fr_domain {
	const char		*id;
	const char		*description;
	struct fr_action	*actions;	/* sorted by id */
	size_t			 nactions;
};

struct fr_token {
	const char	*id;
	unsigned char	*secret;	/* decoded */
	size_t		 secretlen;
	enum fr_level	 level;
	char		**tags;
	size_t		 ntags;
};

struct fr_config {
	json_t		*tree;
	const char	*log_file;
	uint64_t	 default_timeout;
	uint64_t	 max_stdout_chars;
	uint64_t	 max_stderr_chars;
	uint64_t	 max_output_chars;
	uint64_t	 max_stream_bytes;
	uint64_t	 timeout_session;
	uint64_t	 max_auth_failures;
	int		 log_comments;
	const char	*ban_command;
	int		 expose_session_id;
	struct fr_domain *domains;	/* sorted by id */
	size_t		 ndomains;
	int		 has_auth;	/* an [auth] table exists */
	int		 challenge_nonce;
	struct fr_token	*tokens;	/* sorted by id */
	size_t		 ntokens;
};

/*
 * Load and validate the file at path.  0, or -1 with eb set to the
 * reference's message ("config not found: PATH: why", "invalid TOML:
 * ...", "domain 'd' has no action defined", ...); cfg is then empty.
 */
int	frconf_load(const char *path, struct fr_config *cfg, struct errbuf *eb);

/* The same from a buffer (the fuzz target's entry). */
int	frconf_parse(const char *buf, size_t len, struct fr_config *cfg, struct errbuf *eb);

/*
 * Call warn once per token tag that no action carries, in token then tag
 * order, with the token id and the tag.
 */
void	frconf_orphan_tags(const struct fr_config *cfg,
	    void (*warn)(const char *token, const char *tag, void *arg), void *arg);

void	frconf_free(struct fr_config *cfg);

const char		*frconf_level_name(enum fr_level level);
const struct fr_domain	*frconf_domain(const struct fr_config *cfg, const char *id);
const struct fr_action	*frconf_action(const struct fr_domain *d, const char *id);
const struct fr_arg	*frconf_arg(const struct fr_action *a, const char *name);
const struct fr_token	*frconf_token(const struct fr_config *cfg, const char *id);

/* Whether a sorted tag set shares a tag with the action's (no tags: yes). */
int	frconf_tags_allow(const struct fr_action *a, char *const *tags, size_t ntags);

#endif
