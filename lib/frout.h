/*
 * frout: what frontiere-dispatch writes to the client: `#> ' comments,
 * `>> ' and `>>! ' stream lines and the final `>>> ' JSON response, each
 * line in one write(2), never buffered behind the next.
 *
 * The fd is non-blocking and every write waits no later than the
 * caller's deadline (or FR_OUT_WAIT per line without one): a client that stops reading cannot stall the
 * process past a command's timeout.  Once a write fails or times out the
 * output is dead and later lines are dropped (the anchor ignores write
 * errors too); the program goes on so that children are still reaped.
 *
 * JSON is made by jansson, then the `\uXXXX' escapes are lowercased to
 * match serde_json's compact form byte for byte.  Nothing here exits.
 */
#ifndef BSSH_FROUT_H
#define BSSH_FROUT_H

#include <stddef.h>
#include <stdint.h>

#define FR_OUT_WAIT	60000	/* ms a line may wait without a deadline */

struct fr_out {
	int	 fd;
	int	 dead;
	int64_t	 deadline;	/* CLOCK_MONOTONIC ms; 0: FR_OUT_WAIT per line */
};

void	frout_init(struct fr_out *o, int fd);

/* prefix, then data (len bytes, any bytes), then LF. */
void	frout_line(struct fr_out *o, const char *prefix, const char *data, size_t len);

/* "#> " text. */
void	frout_comment(struct fr_out *o, const char *text);

/*
 * ">>> " and the response object: command (cmdlen bytes, valid UTF-8
 * with NULs allowed), status_code, status_message, stdout (NULL: null),
 * stderr null.
 */
void	frout_response(struct fr_out *o, const char *command, size_t cmdlen, int code,
	    const char *message, const char *stdout_text);

/*
 * Compact JSON of v in serde_json's spelling (malloc'd), or NULL when
 * memory runs out.
 */
char	*frout_json(const void *v);

#endif
