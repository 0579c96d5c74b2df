/*
 * libFuzzer target for lib/frcrypto.  The first byte picks nothing; the
 * input is used as base64 text, as hex text, and as a secret with and
 * without a nonce.  Invariants (abort on failure):
 *   - base64 decoding gives a buffer or an error, and at most 3/4 of the
 *     input's length;
 *   - hex decoding, when it succeeds, re-encodes to the lowercased input;
 *   - a proof is always 64 lowercase hex digits, equal to itself and to
 *     no other length.
 */
#include "config.h"

#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "fuzzcheck.h"
#include "frcrypto.h"

ERR_PROGRAM("fuzz_frcrypto");

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text, *hex, proof[FR_PROOF_HEX + 1];
	unsigned char *bin, *dec;
	struct errbuf eb;
	size_t len, i;
	long n;

	if ((text = malloc(size + 1)) == NULL)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	if ((dec = frcrypto_b64_decode(text, &len, &eb)) != NULL)
		check(len <= (strlen(text) * 3) / 4 + 3, "decoded length");
	free(dec);
	bin = malloc(strlen(text) / 2 + 1);
	hex = malloc(strlen(text) + 1);
	if (bin != NULL && hex != NULL && (n = frcrypto_unhex(text, bin, &eb)) >= 0) {
		frcrypto_hex(bin, (size_t)n, hex);
		for (i = 0; i < strlen(text); i++)
			check(hex[i] == tolower((unsigned char)text[i]), "hex round trip");
	}
	free(bin);
	free(hex);
	check(frcrypto_proof(data, size, size > 16 ? data : NULL, size > 16 ? 16 : 0, proof,
	    &eb) == 0, "proof");
	check(strlen(proof) == FR_PROOF_HEX, "proof length");
	for (i = 0; i < FR_PROOF_HEX; i++)
		check(isxdigit((unsigned char)proof[i]) && !isupper((unsigned char)proof[i]),
		    "lowercase hex");
	check(frcrypto_proof_equal(proof, proof), "equal to itself");
	proof[FR_PROOF_HEX - 1] = '\0';
	check(!frcrypto_proof_equal(text, proof) || strcmp(text, proof) == 0, "length");
	free(text);
	return 0;
}
