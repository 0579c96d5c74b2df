/*
 * frvalid: the validation of a frontiere.toml(5) configuration once its
 * types are read, in the reference's order and with its messages: at
 * least one domain, then per domain (in id order) its actions, each
 * action's tags (lowercased, checked, sorted, deduplicated in place),
 * max_body_size, arguments (names, enum values and defaults) and
 * placeholders; then the tokens (id, "b64:" prefix, the secret decoded
 * into the token, tags); then the output limits.  The first failure
 * wins.  Nothing here exits or prints.
 */
#ifndef BSSH_FRVALID_H
#define BSSH_FRVALID_H

#include "err.h"
#include "frconf.h"

/*
 * Validate c; secrets[i] is the configured text of token i's secret.
 * 0, or -1 with eb set to the reference's message.
 */
int	frvalid_check(struct fr_config *c, const char *const *secrets, struct errbuf *eb);

#endif
