/*
 * frproto: the client side of SSH-Frontiere's line protocol: what a line
 * is (empty, `.', `+ ' directive, `# ' comment, command text), what a
 * directive says (`+ auth', `+ session keepalive', `+ body ...'), and the
 * reading of a `+ body' payload in its four modes.  Nothing here exits or
 * prints.
 */
#ifndef BSSH_FRPROTO_H
#define BSSH_FRPROTO_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "frinput.h"

#define FR_BODY_MAX	65536	/* bytes of a body, in every mode */

enum fr_class {
	FRC_EMPTY,		/* "" (a line of spaces is text) */
	FRC_END,		/* exactly "." */
	FRC_DIRECTIVE,		/* "+ ..." */
	FRC_COMMENT,		/* "# ..." or exactly "#" */
	FRC_TEXT		/* anything else: command text */
};

enum fr_class	frproto_classify(const char *line, size_t len);

struct fr_bodymode {
	int		on;
	int		has_size;
	uint64_t	size;
	int		has_stop;
	char		stop[FR_LINE_MAX + 1];
};

enum fr_dir {
	FRD_UNKNOWN,		/* ignored, for forward compatibility */
	FRD_AUTH,
	FRD_SESSION,
	FRD_BODY
};

struct fr_directive {
	enum fr_dir		kind;
	const char		*token;		/* FRD_AUTH: point into the line */
	size_t			 tokenlen;
	const char		*proof;
	size_t			 prooflen;
	struct fr_bodymode	 body;		/* FRD_BODY */
};

/* Parse the directive line (with its "+ " prefix). */
void	frproto_directive(const char *line, size_t len, struct fr_directive *d);

/*
 * Read the body the mode asks for (after the block's `.').  *body is
 * malloc'd (NUL-terminated, *len bytes).  FR_READ_ERROR with eb set to
 * "body too large (N bytes, max 65536)", "unexpected EOF" or "I/O error:
 * ..."; FR_READ_TIMEOUT when the input's deadline passes.
 */
enum fr_read	frproto_body(struct fr_input *in, const struct fr_bodymode *m, char **body,
		    size_t *len, struct errbuf *eb);

#endif
