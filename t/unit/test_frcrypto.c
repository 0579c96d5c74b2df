/*
 * Unit tests of lib/frcrypto: the proof vectors of the reference, SHA-256
 * NIST vectors through the simple proof, the lenient base64 of configured
 * secrets, hex, constant-time comparison, the 8-bit keystream counter of
 * long secrets (against values from Python's hashlib and against a second,
 * naive implementation) and getrandom.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "frcrypto.h"
#include "tap.h"

#define NONCE16	"00112233445566778899aabbccddeeff"

static const char *simple(const char *);
static const char *nonced(const unsigned char *, size_t, const char *);
static unsigned char *pattern(size_t);
static void	naive_proof(const unsigned char *, size_t,
		    const unsigned char *, size_t, char *);
static const char *b64(const char *, size_t *);
static const char *b64_err(const char *);
static const char *unhex_err(const char *);
static int	is_proof_text(const char *);
static void	test_vectors(void);
static void	test_nist(void);
static void	test_b64(void);
static void	test_hex(void);
static void	test_equal(void);
static void	test_long(void);
static void	test_random(void);

/* The simple-mode proof of a text secret. */
static const char *
simple(const char *secret)
{
	static char out[FR_PROOF_HEX + 1];
	static struct errbuf eb;

	if (frcrypto_proof((const unsigned char *)secret, strlen(secret), NULL,
	    0, out, &eb) == -1) {
		return eb.msg;
	}
	return out;
}

/* The nonce-mode proof, the nonce given in hex. */
static const char *
nonced(const unsigned char *secret, size_t n, const char *hex)
{
	static char out[FR_PROOF_HEX + 1];
	unsigned char nonce[256];
	struct errbuf eb;
	long nlen;

	if ((nlen = frcrypto_unhex(hex, nonce, &eb)) == -1 ||
	    frcrypto_proof(secret, n, nonce, (size_t)nlen, out, &eb) == -1) {
		return "(error)";
	}
	return out;
}

/* Byte i is (i * 31 + 7) mod 256, NULs included: the Python script's. */
static unsigned char *
pattern(size_t n)
{
	unsigned char *p = malloc(n + 1);
	size_t i;

	for (i = 0; i < n; i++) {
		p[i] = (unsigned char)(i * 31 + 7);
	}
	return p;
}

/*
 * A second implementation, written straight from the spec: whole buffers,
 * every keystream block hashed from scratch.
 */
static void
naive_proof(const unsigned char *secret, size_t n, const unsigned char *nonce,
    size_t nlen, char *out)
{
	unsigned char *pt = malloc(n + nlen + 1), *in = malloc(n + 1);
	unsigned char ks[32], md[32];
	size_t i;

	memcpy(pt, secret, n);
	memcpy(pt + n, nonce, nlen);
	memcpy(in, secret, n);
	for (i = 0; i < n + nlen; i++) {
		if (i % 32 == 0) {
			in[n] = (unsigned char)(i / 32 % 256);
			EVP_Digest(in, n + 1, ks, NULL, EVP_sha256(), NULL);
		}
		pt[i] ^= ks[i % 32];
	}
	EVP_Digest(pt, n + nlen, md, NULL, EVP_sha256(), NULL);
	for (i = 0; i < 32; i++) {
		snprintf(out + 2 * i, 3, "%02x", md[i]);
	}
	free(pt);
	free(in);
}

/* The decoded text (binary shown as is), freed at the next call. */
static const char *
b64(const char *text, size_t *len)
{
	static unsigned char *last;
	struct errbuf eb;

	free(last);
	if ((last = frcrypto_b64_decode(text, len, &eb)) == NULL) {
		return "(error)";
	}
	return (const char *)last;
}

static const char *
b64_err(const char *text)
{
	static struct errbuf eb;
	unsigned char *s;
	size_t len;

	if ((s = frcrypto_b64_decode(text, &len, &eb)) != NULL) {
		free(s);
		return "(no error)";
	}
	return eb.msg;
}

static const char *
unhex_err(const char *hex)
{
	static struct errbuf eb;
	unsigned char out[64];

	if (frcrypto_unhex(hex, out, &eb) != -1) {
		return "(no error)";
	}
	return eb.msg;
}

static int
is_proof_text(const char *s)
{
	return strlen(s) == FR_PROOF_HEX &&
	    strspn(s, "0123456789abcdef") == FR_PROOF_HEX;
}

static void
test_vectors(void)
{
	const unsigned char *sec = (const unsigned char *)"secret";
	unsigned char *s;
	size_t len;

	is_str(simple("secret"),
	    "2bb80d537b1da3e38bd30361aa855686bde0eacd7162fef6a25fe97bf527a25b",
	    "simple mode: sha256(secret)");
	is_str(nonced(sec, 6, NONCE16),
	    "89b1bc45c04ee0d1a793445b9f18825f619b46c28ceede5e38532c7cc7d4572c",
	    "nonce mode");
	is_str(nonced(sec, 6, "00112233445566778899AABBCCDDEEFF"),
	    "89b1bc45c04ee0d1a793445b9f18825f619b46c28ceede5e38532c7cc7d4572c",
	    "nonce mode, uppercase nonce hex");
	is_str(nonced(sec, 6, ""),
	    "e29055c500164c2b85b2bb72d3250f4474c8b0cf5e270880f12dc7bf96f8f268",
	    "nonce mode, empty nonce");
	is_str(nonced((const unsigned char *)"", 0, NONCE16),
	    "41cd59fc8d7d93b8fbee02932293094cf523e3e3b27204150ded9a6a22479643",
	    "nonce mode, empty secret");
	is_str(nonced((const unsigned char *)"a\0b", 3, NONCE16),
	    "66758bf34174566ac6d17b74ecb12ea273a17b00b4400f8c64bfb23c6ee95254",
	    "nonce mode, a secret holding a NUL");
	s = frcrypto_b64_decode("c2VjcmV0", &len, NULL);
	ok(s != NULL && len == 6 && memcmp(s, "secret", 7) == 0,
	    "b64:c2VjcmV0 is \"secret\", NUL-terminated");
	is_str(s != NULL ? nonced(s, len, NONCE16) : "(error)",
	    "89b1bc45c04ee0d1a793445b9f18825f619b46c28ceede5e38532c7cc7d4572c",
	    "decoded config secret gives the nonce vector");
	free(s);
}

static void
test_nist(void)
{
	char *m;

	is_str(simple("abc"),
	    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
	    "NIST: abc");
	is_str(simple(""),
	    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
	    "NIST: empty");
	is_str(simple("abcdbcdecdefdefgefghfghighijhijk"
	    "ijkljklmklmnlmnomnopnopq"),
	    "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
	    "NIST: 448 bits");
	is_str(simple("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmn"
	    "hijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu"),
	    "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1",
	    "NIST: 896 bits");
	m = malloc(1000001);
	memset(m, 'a', 1000000);
	m[1000000] = '\0';
	is_str(simple(m),
	    "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0",
	    "NIST: one million 'a'");
	free(m);
}

static void
test_b64(void)
{
	static const unsigned char bin[] = { 0x00, 0x01, 0x02, 0xff };
	unsigned char *big, *dec;
	char *text;
	size_t len = 99;

	is_str(b64("c2VjcmV0", &len), "secret", "plain");
	is_str(b64("  c2VjcmV0\r\n\t", &len), "secret",
	    "surrounding ASCII whitespace trimmed");
	is_str(b64("\xc2\xa0" "c2VjcmV0\xe3\x80\x80\xe2\x80\xa8", &len),
	    "secret",
	    "surrounding Unicode whitespace trimmed, as Rust's trim");
	is_str(b64("c2Vj=cmV0", &len), "secret", "embedded '=' dropped");
	is_str(b64("=c=2=V=j=c=m=V=0=", &len), "secret",
	    "'=' anywhere dropped");
	is_str(b64("YQ==", &len), "a", "padded group of 2");
	is_long(len, 1, "padded group of 2: 1 byte");
	is_str(b64("YQ", &len), "a", "unpadded group of 2");
	is_str(b64("YWI", &len), "ab", "unpadded group of 3");
	is_long(len, 2, "unpadded group of 3: 2 bytes");
	is_str(b64("YR==", &len), "a", "non-zero trailing bits accepted");
	is_str(b64("YWJ=", &len), "ab", "non-zero trailing bits of 3 accepted");
	is_str(b64("", &len), "", "empty is valid");
	is_long(len, 0, "empty: 0 bytes");
	is_str(b64(" \t\n", &len), "", "whitespace only is empty");
	is_str(b64("====", &len), "", "'=' only is empty");
	b64("AAEC/w==", &len);
	ok(len == 4 && memcmp(b64("AAEC/w==", &len), bin, 4) == 0,
	    "binary with NUL and 0xff, '+/' alphabet");
	is_str(b64("+/+/", &len), "\xfb\xff\xbf", "'+' and '/'");
	big = pattern(100000);
	text = malloc(133340);
	EVP_EncodeBlock((unsigned char *)text, big, 100000);
	dec = frcrypto_b64_decode(text, &len, NULL);
	ok(dec != NULL && len == 100000 && memcmp(dec, big, len) == 0,
	    "100000 bytes: decoded over several OpenSSL calls");
	free(dec);
	free(text);
	free(big);
	is_str(b64_err("Y"), "invalid base64: truncated input",
	    "1 char: truncated");
	is_str(b64_err("YWJjZ"), "invalid base64: truncated input",
	    "5 chars: truncated");
	is_str(b64_err("YWJj!"), "invalid base64: truncated input",
	    "a lone last character is only truncation");
	is_str(b64_err("!WJjZ"), "invalid base64 character: !",
	    "a bad character before the truncation wins");
	is_str(b64_err("Y!=="), "invalid base64 character: !", "bad character");
	is_str(b64_err("YW-j"), "invalid base64 character: -",
	    "URL-safe '-' rejected");
	is_str(b64_err("YW_j"), "invalid base64 character: _",
	    "URL-safe '_' rejected");
	is_str(b64_err("c2Vj cmV0"), "invalid base64 character:  ",
	    "inner space rejected");
	is_str(b64_err("YW\xe9j"), "invalid base64 character: \xc3\xa9",
	    "a high byte shown as its Latin-1 character");
	is_str(b64_err("b64:c2VjcmV0"), "invalid base64 character: :",
	    "the prefix is the caller's to strip");
	b64("", &len);
}

static void
test_hex(void)
{
	static const unsigned char in[] = { 0x00, 0x01, 0xab, 0xff, 0x5a };
	unsigned char all[256], back[256], out[8];
	char hex[513];
	struct errbuf eb;
	size_t i;

	frcrypto_hex(in, sizeof(in), hex);
	is_str(hex, "0001abff5a", "hex encode, lowercase");
	frcrypto_hex(in, 0, hex);
	is_str(hex, "", "hex encode nothing");
	for (i = 0; i < 256; i++) {
		all[i] = (unsigned char)i;
	}
	frcrypto_hex(all, 256, hex);
	ok(frcrypto_unhex(hex, back, &eb) == 256 && memcmp(all, back, 256) == 0,
	    "every byte value round-trips");
	is_long(frcrypto_unhex("00ff10", out, &eb), 3, "decode: 3 bytes");
	ok(out[0] == 0x00 && out[1] == 0xff && out[2] == 0x10,
	    "decode: values");
	ok(frcrypto_unhex("ABCDEF", out, &eb) == 3 && out[0] == 0xab &&
	    out[1] == 0xcd && out[2] == 0xef, "decode: uppercase");
	frcrypto_hex(out, 3, hex);
	is_str(hex, "abcdef", "re-encode is the lowercased input");
	is_long(frcrypto_unhex("", out, &eb), 0, "decode: empty");
	is_str(unhex_err("abc"), "hex string must have even length",
	    "odd length");
	is_str(unhex_err("0"), "hex string must have even length", "one digit");
	is_str(unhex_err("g000"),
	    "invalid hex at position 0: invalid digit found in string",
	    "bad digit at 0");
	is_str(unhex_err("00g0"),
	    "invalid hex at position 2: invalid digit found in string",
	    "bad first digit of the second pair: position 2");
	is_str(unhex_err("000g"),
	    "invalid hex at position 2: invalid digit found in string",
	    "bad second digit: the pair's position");
	is_str(unhex_err("+f"),
	    "invalid hex at position 0: invalid digit found in string",
	    "a sign is not a digit");
	is_str(unhex_err("00 1"),
	    "invalid hex at position 2: invalid digit found in string",
	    "space rejected");
}

static void
test_equal(void)
{
	const char *p =
	    "2bb80d537b1da3e38bd30361aa855686bde0eacd7162fef6a25fe97bf527a25b";

	ok(frcrypto_proof_equal(p, p), "equal");
	ok(frcrypto_proof_equal(p,
	    "2bb80d537b1da3e38bd30361aa855686bde0eacd7162fef6a25fe97bf527a25b"),
	    "equal copies");
	ok(!frcrypto_proof_equal(p,
	    "2bb80d537b1da3e38bd30361aa855686bde0eacd7162fef6a25fe97bf527a25c"),
	    "last digit differs");
	ok(!frcrypto_proof_equal(p,
	    "2BB80D537B1DA3E38BD30361AA855686BDE0EACD7162FEF6A25FE97BF527A25B"),
	    "uppercase is false");
	ok(!frcrypto_proof_equal(p,
	    "2bb80d537b1da3e38bd30361aa855686bde0eacd7162fef6a25fe97bf527a25"),
	    "one digit short is false");
	ok(!frcrypto_proof_equal(p, ""), "empty proof is false");
	ok(frcrypto_proof_equal("", ""), "empty equals empty");
	ok(!frcrypto_proof_equal(p, NULL), "NULL is false");
}

static void
test_long(void)
{
	static const size_t sizes[] = { 0, 1, 31, 32, 33, 8159, 8160, 8176,
	    8177, 8192, 8193, 8224, 16385, 20000 };
	unsigned char nonce[16];
	char want[FR_PROOF_HEX + 1], got[FR_PROOF_HEX + 1], name[64];
	unsigned char *s;
	size_t i;

	frcrypto_unhex(NONCE16, nonce, NULL);
	s = pattern(20000);
	/* hashlib: 8176 + 16 bytes fill exactly 256 blocks. */
	is_str(nonced(s, 8176, NONCE16),
	    "df97e809f4ddaec7dd6bbf21fc42e99d270b21278a1d607cc0187363ba64834e",
	    "8192-byte plaintext (python)");
	is_str(nonced(s, 8177, NONCE16),
	    "b27a07098cb90f1a771d0f6a2af74587486ca794c443e0502b19d0285f750494",
	    "8193-byte plaintext: the counter wraps (python)");
	is_str(nonced(s, 9000, NONCE16),
	    "aa038558ac93ddd681f0bc35d5e018182e9009bd2e60c58e601007605313cf61",
	    "9000-byte secret (python)");
	is_str(nonced(s, 20000, NONCE16),
	    "5fbe4076152f24edd1d5f229cbc40e0f462b8febfcbec28d467a0b3d4ededb91",
	    "20000-byte secret, wrapped twice (python)");
	frcrypto_proof(s, 20000, NULL, 0, got, NULL);
	is_str(got,
	    "f8aed270a592b255d90b04785c0b130a968ae204948fc2755db1861c810c6c83",
	    "20000-byte secret, simple mode (python)");
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		naive_proof(s, sizes[i], nonce, 16, want);
		frcrypto_proof(s, sizes[i], nonce, 16, got, NULL);
		snprintf(name, sizeof(name),
		    "%zu-byte secret: matches the naive implementation",
		    sizes[i]);
		ok(strcmp(want, got) == 0 && is_proof_text(got), name);
	}
	naive_proof(s, 8200, nonce, 0, want);
	frcrypto_proof(s, 8200, nonce, 0, got, NULL);
	is_str(got, want, "8200-byte secret, empty nonce: naive");
	free(s);
}

static void
test_random(void)
{
	unsigned char a[16], b[16], *big;
	struct errbuf eb;
	size_t i, zero = 0;

	ok(frcrypto_random(a, sizeof(a), &eb) == 0 &&
	    frcrypto_random(b, sizeof(b), &eb) == 0, "getrandom 16 bytes");
	ok(memcmp(a, b, sizeof(a)) != 0, "two nonces differ");
	ok(frcrypto_random(a, 0, &eb) == 0, "0 bytes");
	big = malloc(1 << 20);
	ok(frcrypto_random(big, 1 << 20, &eb) == 0,
	    "1 MiB (short reads looped)");
	for (i = 0; i < 1 << 20; i++) {
		zero += big[i] == 0;
	}
	ok(zero < 8192, "1 MiB is not mostly zero");
	free(big);
}

int
main(void)
{
	test_vectors();
	test_nist();
	test_b64();
	test_hex();
	test_equal();
	test_long();
	test_random();
	return tap_done();
}
