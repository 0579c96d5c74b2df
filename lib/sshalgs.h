/*
 * sshalgs: what this build's libssh really supports, as `ssh -Q' answers.
 *
 * Each answer is a list of algorithm names known in the SSH world, kept
 * only when libssh accepts it for the matching session option (libssh
 * refuses a list with nothing it implements), so the answer follows the
 * library, not a hard-coded table of what it might support.
 */
#ifndef BSSH_SSHALGS_H
#define BSSH_SSHALGS_H

#include <stdio.h>

/*
 * Print the names for query (cipher, cipher-auth, mac, kex, key, key-plain,
 * key-cert, key-sig, sig, protocol-version, help) one per line on out.
 * 0, or -1 for an unknown query.
 */
int	sshalgs_query(const char *query, FILE *out);

#endif
