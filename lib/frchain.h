/*
 * frchain: a command block parsed into a chain of commands joined by
 * `;' (strict), `&' (permissive), `|' (recovery) and `( )'.
 *
 *   sequence := recovery ((";" | "&") recovery)*     left to right
 *   recovery := primary ("|" recovery)?              right-associative
 *   primary  := "(" sequence ")" | command
 *
 * Newlines outside quotes separate commands like `;'.  Leading, trailing
 * and repeated operators are dropped as the reference does.  Unlike the
 * reference, tokens left after a complete chain are an error, not
 * silently ignored.  Nothing here exits or prints.
 */
#ifndef BSSH_FRCHAIN_H
#define BSSH_FRCHAIN_H

#include <stddef.h>

#include "err.h"

enum fr_node_kind {
	FRN_SINGLE,
	FRN_STRICT,		/* a ; b */
	FRN_PERMISSIVE,		/* a & b */
	FRN_RECOVERY		/* a | b */
};

struct fr_node {
	enum fr_node_kind	 kind;
	char			*text;		/* FRN_SINGLE: trimmed, quotes as typed */
	size_t			 textlen;
	struct fr_node		*left;
	struct fr_node		*right;
};

/*
 * Parse block (len bytes, LF-separated lines; may contain NULs).  Returns
 * the tree, or NULL with eb set to the reference's message ("empty command
 * block", "unclosed double quote", "unclosed single quote", "unclosed
 * parenthesis", "unexpected closing parenthesis", "unexpected end of
 * block", "unexpected token at position N") or "out of memory".
 */
struct fr_node	*frchain_parse(const char *block, size_t len, struct errbuf *eb);

void	frchain_free(struct fr_node *n);

#endif
