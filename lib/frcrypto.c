/*
 * frcrypto: SSH-Frontiere's token cryptography on OpenSSL; see frcrypto.h.
 *
 * The nonce-mode proof is computed as a stream: the plaintext (secret then
 * nonce) is XORed 32 bytes at a time with its keystream block and fed to
 * the outer digest, so neither the plaintext nor the ciphertext is ever
 * held in one buffer, and each keystream block costs one copy of a context
 * that has already absorbed the secret, not a rehash of the secret.
 */
#include "config.h"

#include <sys/random.h>

#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "err.h"
#include "frcrypto.h"

#define SHA256_LEN	32
#define B64_CHUNK	65536	/* characters per EVP_DecodeBlock, 4 | it */

static size_t	ws_prefix(const unsigned char *, size_t);
static size_t	ws_suffix(const unsigned char *, size_t);
static int	b64_alpha(unsigned char);
static int	hex_nibble(unsigned char);
static char	hex_digit(unsigned int);
static int	sha256(const unsigned char *, size_t, unsigned char *);
static int	nonce_digest(const unsigned char *, size_t,
		    const unsigned char *, size_t, unsigned char *);

/*
 * The reference trims with Rust's str::trim, i.e. Unicode White_Space:
 * ASCII \t \n \v \f \r and space, plus these UTF-8 sequences.
 */
static const char *const uni_space[] = {
	"\xc2\x85", "\xc2\xa0", "\xe1\x9a\x80",
	"\xe2\x80\x80", "\xe2\x80\x81", "\xe2\x80\x82", "\xe2\x80\x83",
	"\xe2\x80\x84", "\xe2\x80\x85", "\xe2\x80\x86", "\xe2\x80\x87",
	"\xe2\x80\x88", "\xe2\x80\x89", "\xe2\x80\x8a",
	"\xe2\x80\xa8", "\xe2\x80\xa9", "\xe2\x80\xaf", "\xe2\x81\x9f",
	"\xe3\x80\x80"
};

/* Length of the whitespace character starting s (n bytes left), or 0. */
static size_t
ws_prefix(const unsigned char *s, size_t n)
{
	size_t i, l;

	if (n > 0 && (*s == ' ' || (*s >= '\t' && *s <= '\r'))) {
		return 1;
	}
	for (i = 0; i < sizeof(uni_space) / sizeof(uni_space[0]); i++) {
		l = strlen(uni_space[i]);
		if (n >= l && memcmp(s, uni_space[i], l) == 0) {
			return l;
		}
	}
	return 0;
}

/* Length of the whitespace character ending s[0..n), or 0. */
static size_t
ws_suffix(const unsigned char *s, size_t n)
{
	size_t i, l;

	if (n > 0 && (s[n - 1] == ' ' ||
	    (s[n - 1] >= '\t' && s[n - 1] <= '\r'))) {
		return 1;
	}
	for (i = 0; i < sizeof(uni_space) / sizeof(uni_space[0]); i++) {
		l = strlen(uni_space[i]);
		if (n >= l && memcmp(s + n - l, uni_space[i], l) == 0) {
			return l;
		}
	}
	return 0;
}

static int
b64_alpha(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	    (c >= '0' && c <= '9') || c == '+' || c == '/';
}

unsigned char *
frcrypto_b64_decode(const char *text, size_t *len, struct errbuf *eb)
{
	const unsigned char *s = (const unsigned char *)text;
	unsigned char *clean, *out, bad[3];
	size_t n = strlen(text), m = 0, i, check, pad, o, k;
	int r;

	*len = 0;
	while ((k = ws_prefix(s, n)) > 0) {
		s += k;
		n -= k;
	}
	while ((k = ws_suffix(s, n)) > 0) {
		n -= k;
	}
	if (n > SIZE_MAX - 4 || (clean = malloc(n + 4)) == NULL) {
		err_set(eb, "out of memory");
		return NULL;
	}
	for (i = 0; i < n; i++) {
		if (s[i] != '=') {
			clean[m++] = s[i];
		}
	}

	/*
	 * The reference decodes 4-character groups in order, so a bad
	 * character is reported before truncation, except in a lone last
	 * character, which is only ever reported as truncation.
	 */
	check = m % 4 == 1 ? m - 1 : m;
	for (i = 0; i < check; i++) {
		if (b64_alpha(clean[i])) {
			continue;
		}
		/* Shown as the reference does: the byte as U+0000..U+00FF. */
		if (clean[i] < 0x80) {
			bad[0] = clean[i];
			bad[1] = '\0';
		} else {
			bad[0] = (unsigned char)(0xc0 | clean[i] >> 6);
			bad[1] = (unsigned char)(0x80 | (clean[i] & 0x3f));
			bad[2] = '\0';
		}
		err_set(eb, "invalid base64 character: %s", (char *)bad);
		goto fail;
	}
	if (m % 4 == 1) {
		err_set(eb, "invalid base64: truncated input");
		goto fail;
	}

	/*
	 * Pad with 'A' (six zero bits) rather than '=', so the final group
	 * decodes the same whatever OpenSSL makes of padding; the extra zero
	 * bytes are then cut off.  Trailing bits stay unchecked, as in the
	 * reference.
	 */
	pad = (4 - m % 4) % 4;
	for (i = 0; i < pad; i++) {
		clean[m + i] = 'A';
	}
	if ((out = malloc((m + pad) / 4 * 3 + 1)) == NULL) {
		err_set(eb, "out of memory");
		goto fail;
	}
	for (i = 0, o = 0; i < m + pad; i += k) {
		k = m + pad - i < B64_CHUNK ? m + pad - i : B64_CHUNK;
		if ((r = EVP_DecodeBlock(out + o, clean + i, (int)k)) < 0) {
			OPENSSL_cleanse(out, o);
			free(out);
			err_set(eb, "invalid base64: OpenSSL refused it");
			goto fail;
		}
		o += (size_t)r;
	}
	o -= pad;
	out[o] = '\0';
	*len = o;
	OPENSSL_cleanse(clean, m + pad);
	free(clean);
	return out;

fail:
	OPENSSL_cleanse(clean, m);
	free(clean);
	return NULL;
}

/* Branch-free, so the time taken does not depend on the (secret) digit. */
static char
hex_digit(unsigned int v)
{
	unsigned int above9 = ((9 - v) >> 8) & 1;	/* v in 0..15 */

	return (char)('0' + v + above9 * ('a' - '0' - 10));
}

void
frcrypto_hex(const unsigned char *in, size_t n, char *out)
{
	size_t i;

	for (i = 0; i < n; i++) {
		out[2 * i] = hex_digit(in[i] >> 4);
		out[2 * i + 1] = hex_digit(in[i] & 0x0f);
	}
	out[2 * n] = '\0';
}

static int
hex_nibble(unsigned char c)
{
	if (c >= '0' && c <= '9') {
		return c - '0';
	}
	if (c >= 'a' && c <= 'f') {
		return c - 'a' + 10;
	}
	if (c >= 'A' && c <= 'F') {
		return c - 'A' + 10;
	}
	return -1;
}

/*
 * Positions are byte offsets of the pair, as in the reference, whose
 * message text ("invalid digit found in string") is Rust's.
 */
long
frcrypto_unhex(const char *hex, unsigned char *out, struct errbuf *eb)
{
	const unsigned char *s = (const unsigned char *)hex;
	size_t n = strlen(hex), i;
	int hi, lo;

	if (n % 2 != 0) {
		return err_set(eb, "hex string must have even length");
	}
	if (n / 2 > LONG_MAX) {
		return err_set(eb, "hex string too long");
	}
	for (i = 0; i < n; i += 2) {
		if ((hi = hex_nibble(s[i])) < 0 ||
		    (lo = hex_nibble(s[i + 1])) < 0) {
			return err_set(eb, "invalid hex at position %zu: "
			    "invalid digit found in string", i);
		}
		out[i / 2] = (unsigned char)(hi << 4 | lo);
	}
	return (long)(n / 2);
}

static int
sha256(const unsigned char *in, size_t n, unsigned char *md)
{
	unsigned int mdlen = 0;

	return EVP_Digest(in, n, md, &mdlen, EVP_sha256(), NULL) == 1 &&
	    mdlen == SHA256_LEN ? 0 : -1;
}

/*
 * SHA-256((secret || nonce) XOR keystream), keystream block i being
 * SHA-256(secret || (uint8_t)i): the counter wraps after 256 blocks, as
 * the reference's u8 does, so long secrets reuse keystream.
 */
static int
nonce_digest(const unsigned char *secret, size_t n, const unsigned char *nonce,
    size_t nlen, unsigned char *md)
{
	EVP_MD_CTX *keyed = NULL, *block = NULL, *outer = NULL;
	unsigned char ks[SHA256_LEN], buf[SHA256_LEN], ctr = 0;
	size_t total = n + nlen, pos, j, k;
	unsigned int mdlen = 0;
	int rc = -1;

	if ((keyed = EVP_MD_CTX_new()) == NULL ||
	    (block = EVP_MD_CTX_new()) == NULL ||
	    (outer = EVP_MD_CTX_new()) == NULL ||
	    EVP_DigestInit_ex(keyed, EVP_sha256(), NULL) != 1 ||
	    EVP_DigestUpdate(keyed, secret, n) != 1 ||
	    EVP_DigestInit_ex(outer, EVP_sha256(), NULL) != 1) {
		goto done;
	}
	for (pos = 0; pos < total; pos += k) {
		if (EVP_MD_CTX_copy_ex(block, keyed) != 1 ||
		    EVP_DigestUpdate(block, &ctr, 1) != 1 ||
		    EVP_DigestFinal_ex(block, ks, NULL) != 1) {
			goto done;
		}
		ctr++;		/* unsigned char: 255 + 1 == 0 */
		k = total - pos < SHA256_LEN ? total - pos : SHA256_LEN;
		for (j = 0; j < k; j++) {
			buf[j] = (pos + j < n ? secret[pos + j] :
			    nonce[pos + j - n]) ^ ks[j];
		}
		if (EVP_DigestUpdate(outer, buf, k) != 1) {
			goto done;
		}
	}
	if (EVP_DigestFinal_ex(outer, md, &mdlen) == 1 && mdlen == SHA256_LEN) {
		rc = 0;
	}
done:
	OPENSSL_cleanse(ks, sizeof(ks));
	OPENSSL_cleanse(buf, sizeof(buf));
	EVP_MD_CTX_free(keyed);		/* freeing cleanses the digest state */
	EVP_MD_CTX_free(block);
	EVP_MD_CTX_free(outer);
	return rc;
}

int
frcrypto_proof(const unsigned char *secret, size_t n,
    const unsigned char *nonce, size_t nlen, char out[FR_PROOF_HEX + 1],
    struct errbuf *eb)
{
	unsigned char md[SHA256_LEN];
	int rc;

	out[0] = '\0';
	if (nonce == NULL) {
		rc = sha256(secret, n, md);
	} else if (nlen > SIZE_MAX - n) {
		return err_set(eb, "secret and nonce too long");
	} else {
		rc = nonce_digest(secret, n, nonce, nlen, md);
	}
	if (rc == -1) {
		OPENSSL_cleanse(md, sizeof(md));
		return err_set(eb, "SHA-256 failed in OpenSSL");
	}
	frcrypto_hex(md, sizeof(md), out);
	OPENSSL_cleanse(md, sizeof(md));
	return 0;
}

int
frcrypto_proof_equal(const char *expected, const char *given)
{
	size_t n;

	if (expected == NULL || given == NULL) {
		return 0;
	}
	/* Only the length leaks, as in the reference. */
	if ((n = strlen(expected)) != strlen(given)) {
		return 0;
	}
	return CRYPTO_memcmp(expected, given, n) == 0;
}

int
frcrypto_random(unsigned char *out, size_t n, struct errbuf *eb)
{
	size_t got = 0;
	ssize_t r;

	/* Short reads happen past 256 bytes when a signal arrives. */
	while (got < n) {
		if ((r = getrandom(out + got, n - got, 0)) < 0) {
			if (errno == EINTR) {
				continue;
			}
			return err_set_sys(eb, "getrandom");
		}
		got += (size_t)r;
	}
	return 0;
}
