/*
 * tomlval: the lexical half of lib/toml: bytes, whitespace, comments,
 * keys and every value that is not an array or an inline table (strings,
 * integers, floats, booleans, date-times).  lib/toml builds the tree and
 * enforces the rules on tables; nothing else should use this.
 *
 * Decoded text (keys, strings) goes onto a scratch stack: callers note
 * sclen, use the text, and set sclen back.  A scratch as long as the
 * input always suffices, since decoding never makes text longer and the
 * text on the stack at once comes from disjoint parts of the input.
 *
 * Errors are "line N: what is wrong" in *eb, N the line of the offending
 * byte.  Functions returning int return 0 or -1, pointers NULL on error.
 */
#ifndef BSSH_TOMLVAL_H
#define BSSH_TOMLVAL_H

#include <stddef.h>

#include <jansson.h>

#include "err.h"

#define TOMLVAL_QUOTE_MAX	64	/* bytes of input quoted in a message */
#define TOMLVAL_QBUF		(TOMLVAL_QUOTE_MAX + 4)

struct tomlval {
	const char	*buf;		/* the input, for line numbers */
	const char	*p;		/* the next byte to read */
	const char	*end;
	char		*sc;		/* scratch stack of decoded text */
	size_t		 sclen;
	size_t		 sccap;
	struct errbuf	*eb;
};

/* Set eb to "line N: msg" for the line of at.  Returns -1. */
int	tomlval_fail(const struct tomlval *, const char *, const char *, ...)
	    ERR_PRINTF(3, 4);
/* s[0..n) fit for a message in q (TOMLVAL_QBUF bytes); returns q. */
const char *tomlval_shorten(char *, const char *, size_t);

/* Refuse NUL bytes and invalid UTF-8 anywhere in the input. */
int	tomlval_check(struct tomlval *);

/* The byte at p + off, or -1 past the end. */
int	tomlval_peek(const struct tomlval *, size_t);
/* The length of the newline (LF or CRLF) at the given byte, or 0. */
int	tomlval_newline(const struct tomlval *, const char *);
/* Spaces and tabs. */
void	tomlval_skip_ws(struct tomlval *);
/* Whitespace, comments and newlines (inside arrays). */
int	tomlval_skip_wscnl(struct tomlval *);
/* Whitespace, an optional comment, then a newline or the end of input. */
int	tomlval_end_line(struct tomlval *);

/* One bare or quoted key part, decoded onto the scratch stack. */
int	tomlval_key(struct tomlval *, const char **, size_t *);
/* A string, number, boolean or date-time value. */
json_t	*tomlval_scalar(struct tomlval *);

#endif
