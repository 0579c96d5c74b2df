/*
 * frhelp: the discovery built-ins, byte for byte as SSH-Frontiere 3.1.0
 * writes them: `help' (text over `#> ' lines) and `list' (compact JSON
 * with keys in alphabetical order).  Only what the identity may run is
 * shown.  Nothing here exits or prints; text goes to a callback.
 */
#ifndef BSSH_FRHELP_H
#define BSSH_FRHELP_H

#include "frcmd.h"
#include "frconf.h"

#define FR_VERSION	"3.1.0"		/* the protocol version we speak */

/* Each line of help without its "#> " prefix; target NULL: the overview. */
void	frhelp_text(const struct fr_config *cfg, const struct fr_identity *id,
	    const char *target, void (*line)(void *arg, const char *text), void *arg);

/* The list JSON text (malloc'd), or NULL when memory runs out. */
char	*frhelp_list(const struct fr_config *cfg, const struct fr_identity *id);

#endif
