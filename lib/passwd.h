/*
 * passwd: the password hashes bsshd accepts, verified with the libraries
 * that define them: Argon2 ($argon2id$, $argon2i$, $argon2d$) through
 * libargon2 and bcrypt ($2a$, $2b$, $2y$) through libcrypt.  New hashes
 * are Argon2id with m = 19456 KiB, t = 2, p = 1 and a random 16-byte salt
 * (the Rust bssh-server's parameters, OWASP's minimum).
 *
 * Verification never says why it failed (wrong password, malformed or
 * unsupported hash are all 0), and passwd_dummy does the same work for a
 * user that does not exist, so the time taken does not tell them apart.
 * Nothing here prints, exits or keeps state; the caller zeroes its copy
 * of the password.
 */
#ifndef BSSH_PASSWD_H
#define BSSH_PASSWD_H

#include <stddef.h>

#include "err.h"

#define PASSWD_ARGON2_M		19456	/* KiB */
#define PASSWD_ARGON2_T		2
#define PASSWD_ARGON2_P		1
#define PASSWD_SALT_LEN		16
#define PASSWD_HASH_MAX		128	/* bytes of an encoded hash with its NUL */
#define PASSWD_MAX		1024	/* bytes of a password we hash at all */

/*
 * The Argon2id hash of pw (len bytes) in its encoded form into out
 * (PASSWD_HASH_MAX bytes).  0, or -1 with eb set.
 */
int	passwd_hash(const char *pw, size_t len, char *out, size_t outlen, struct errbuf *eb);

/* 1 when pw matches the encoded hash, else 0. */
int	passwd_verify(const char *hash, const char *pw, size_t len);

/* Whether the hash is of a kind passwd_verify knows. */
int	passwd_supported(const char *hash);

/* The work of one Argon2id verification, for a user that does not exist. */
void	passwd_dummy(const char *pw, size_t len);

#endif
