/*
 * frcrypto: the cryptography of SSH-Frontiere's token authentication, on
 * OpenSSL: the lenient base64 of configured secrets, SHA-256 proofs in
 * simple and nonce mode, hex, and constant-time verification.
 *
 *   simple mode: proof = hex(SHA-256(secret))
 *   nonce mode:  keystream = SHA-256(secret || 0x00) || SHA-256(secret || 0x01) || ...
 *                (8-bit counter that wraps, as the reference does)
 *                proof = hex(SHA-256((secret || nonce) XOR keystream))
 */
#ifndef BSSH_FRCRYPTO_H
#define BSSH_FRCRYPTO_H

#include <stddef.h>

#include "err.h"

#define FR_PROOF_HEX	64	/* characters in a proof, without the NUL */
#define FR_NONCE_LEN	16	/* bytes in a challenge nonce */

/*
 * Decode a configured secret (the text after "b64:") the reference's
 * lenient way: surrounding whitespace trimmed (Unicode White_Space, as
 * Rust's trim), every '=' removed wherever it is, then standard-alphabet
 * base64 in groups of 4, a last group of 2 or 3 allowed, trailing bits
 * unchecked.  Errors: "invalid base64 character: C" for the first bad
 * character (C being the byte as U+0000..U+00FF in UTF-8), else "invalid
 * base64: truncated input" for a last group of 1, or "out of memory".
 * Returns a malloc'd buffer (*len bytes; NUL-terminated for convenience),
 * or NULL with eb set.  An empty input gives an empty buffer.
 */
unsigned char	*frcrypto_b64_decode(const char *text, size_t *len, struct errbuf *eb);

/* Lowercase hex of n bytes into out (2n+1 bytes with the NUL). */
void	frcrypto_hex(const unsigned char *in, size_t n, char *out);

/*
 * Decode hex text (even length, either case) into out (room for
 * strlen(hex)/2 bytes).  Returns the byte count, or -1 with eb set to
 * "hex string must have even length" or
 * "invalid hex at position I: invalid digit found in string".
 */
long	frcrypto_unhex(const char *hex, unsigned char *out, struct errbuf *eb);

/*
 * The proof for secret (n bytes): simple mode when nonce is NULL, else
 * nonce mode with nlen nonce bytes (nlen may be 0).  out gets
 * FR_PROOF_HEX lowercase hex digits and a NUL.  0, or -1 with eb set.
 */
int	frcrypto_proof(const unsigned char *secret, size_t n, const unsigned char *nonce,
	    size_t nlen, char out[FR_PROOF_HEX + 1], struct errbuf *eb);

/*
 * Whether the client's proof text equals the expected lowercase proof, in
 * constant time for equal lengths (different lengths are simply false; an
 * uppercase proof is false, as in the reference).
 */
int	frcrypto_proof_equal(const char *expected, const char *given);

/* n random bytes from the kernel (getrandom).  0, or -1 with eb set. */
int	frcrypto_random(unsigned char *out, size_t n, struct errbuf *eb);

#endif
