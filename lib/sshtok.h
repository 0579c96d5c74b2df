/*
 * sshtok: the text primitives of OpenSSH's configuration language, with
 * OpenSSH's exact semantics (misc.c and match.c of OpenSSH 9.2), for
 * lib/sshconfig and lib/sshopts.
 *
 *   - tokens: strdelim (keyword and Match criteria: whitespace, one '=',
 *     double quotes) and argv_split (arguments: single and double quotes,
 *     backslash escapes, '#' comments);
 *   - patterns: '*' and '?' wildcards, comma lists with '!' negation;
 *   - expansion: %-tokens from a key table, ${ENV}, and ~ / ~user;
 *   - convtime durations ("1h30m").
 *
 * Nothing here prints or exits.  Functions that allocate say so; the
 * caller frees.  No global state.
 */
#ifndef BSSH_SSHTOK_H
#define BSSH_SSHTOK_H

#include <stddef.h>

#include "err.h"

#define SSHTOK_WHITESPACE	" \t\r\n"
#define SSHTOK_MAX_ARGS		1024	/* arguments on one line */

/*
 * The next token of *s, as OpenSSH's strdelim(): split on whitespace, a
 * double-quoted string, or one '='.  Modifies the string in place; *s
 * becomes NULL after the last token.  Returns NULL at the end or on an
 * unterminated quote.
 */
char	*sshtok_strdelim(char **s);

/* Arguments of a line, split as OpenSSH's argv_split(s, 1). */
struct sshtok_argv {
	char	**v;	/* n entries, then NULL */
	int	  n;
	char	 *buf;	/* the tokens' storage */
};

/*
 * Split s into a (a "#" at the start of a token ends the line).  Returns
 * 0, -1 for an unterminated quote or too many arguments, -2 when out of
 * memory.  Free a with sshtok_argv_free() in every case.
 */
int	sshtok_argv_split(const char *s, struct sshtok_argv *a);
void	sshtok_argv_free(struct sshtok_argv *a);

/* 1 if s matches the glob pattern ('*', '?'; case-sensitive), else 0. */
int	sshtok_match(const char *s, const char *pattern);

/*
 * Match s against a comma-separated pattern list with "!" negation, as
 * OpenSSH's match_pattern_list(): 1 positive match, -1 negated match, 0
 * none.  With dolower the patterns are lower-cased first.
 */
int	sshtok_match_list(const char *s, const char *list, int dolower);

/* match_hostname(): s lower-cased, matched against list with dolower. */
int	sshtok_match_host(const char *host, const char *list);

/* ASCII lower-case s in place; returns s. */
char	*sshtok_lower(char *s);

/*
 * OpenSSH's convtime(): "90", "1h30m", "2d" ... into seconds, or -1 for
 * an invalid or too large value.
 */
long	sshtok_convtime(const char *s);

/* One %-token: key character and its replacement. */
struct sshtok_key {
	char		 key;
	const char	*val;
};

#define SSHTOK_DOLLAR	0x1	/* expand ${ENV} */
#define SSHTOK_PERCENT	0x2	/* expand %x from keys, %% */

/*
 * percent_dollar_expand(): a malloc'd copy of s with %x replaced from
 * keys[0..nkeys) and/or ${NAME} from the environment, in one pass.  NULL
 * with eb set for an unknown %x, a lone '%', an unterminated or empty
 * ${}, an unset variable, or no memory.
 */
char	*sshtok_expand(const char *s, const struct sshtok_key *keys, size_t nkeys,
	    int flags, struct errbuf *eb);

/*
 * tilde_expand(): "~" and "~/x" against home, "~user/x" against user's
 * home; other strings are copied.  malloc'd, NULL with eb set.
 */
char	*sshtok_tilde(const char *s, const char *home, struct errbuf *eb);

/* a2port(): a port number 1..65535 or a TCP service name; -1 if neither. */
int	sshtok_port(const char *s);

/*
 * Check a ProxyJump value: "none", or comma-separated hops
 * [user@]host[:port], [user@][v6addr][:port] or ssh://user@host:port.  The
 * value as ssh -G prints it goes to *out (malloc'd).  0, or -1 with eb set.
 */
int	sshtok_jump(const char *s, char **out, struct errbuf *eb);

/* 1 if s is a valid environment variable name ([A-Za-z_][A-Za-z0-9_]*). */
int	sshtok_env_name(const char *s);

#endif
