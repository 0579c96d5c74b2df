/*
 * passwd: Argon2 and bcrypt verification.  See passwd.h.
 */
#include "config.h"

#include <sys/random.h>

#include <crypt.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <argon2.h>
#include <openssl/crypto.h>

#include "passwd.h"

/*
 * A real Argon2id hash with the parameters new hashes get, of a password
 * nobody sends: verifying against it is the same work as for a real user.
 */
static const char dummy_hash[] =
    "$argon2id$v=19$m=19456,t=2,p=1$YnNzaGQtZHVtbXktc2FsdA$"
    "C8pKpv99c01dvrNHhfsdq8be3YYN6NoGe55J/K4dtaI";

static int
has_prefix(const char *s, const char *p)
{
	return strncmp(s, p, strlen(p)) == 0;
}

int
passwd_supported(const char *hash)
{
	return has_prefix(hash, "$argon2id$") || has_prefix(hash, "$argon2i$") ||
	    has_prefix(hash, "$argon2d$") || has_prefix(hash, "$2a$") ||
	    has_prefix(hash, "$2b$") || has_prefix(hash, "$2y$");
}

int
passwd_hash(const char *pw, size_t len, char *out, size_t outlen, struct errbuf *eb)
{
	unsigned char salt[PASSWD_SALT_LEN];
	ssize_t n;
	int rc;

	if (len > PASSWD_MAX)
		return err_set(eb, "password too long (over %d bytes)", PASSWD_MAX);
	do {
		n = getrandom(salt, sizeof(salt), 0);
	} while (n < 0 && errno == EINTR);
	if (n != (ssize_t)sizeof(salt))
		return err_set_sys(eb, "getrandom");
	rc = argon2id_hash_encoded(PASSWD_ARGON2_T, PASSWD_ARGON2_M, PASSWD_ARGON2_P, pw, len,
	    salt, sizeof(salt), 32, out, outlen);
	OPENSSL_cleanse(salt, sizeof(salt));
	if (rc != ARGON2_OK)
		return err_set(eb, "argon2id: %s", argon2_error_message(rc));
	return 0;
}

static int
verify_argon2(const char *hash, const char *pw, size_t len)
{
	argon2_type type = has_prefix(hash, "$argon2id$") ? Argon2_id :
	    has_prefix(hash, "$argon2i$") ? Argon2_i : Argon2_d;

	/* argon2_verify compares in constant time. */
	return argon2_verify(hash, pw, len, type) == ARGON2_OK;
}

static int
verify_bcrypt(const char *hash, const char *pw, size_t len)
{
	struct crypt_data *cd;
	const char *got;
	char *copy;
	int ok = 0;

	/* crypt(3) takes a C string: a password holding a NUL cannot match. */
	if (memchr(pw, '\0', len) != NULL || (copy = malloc(len + 1)) == NULL)
		return 0;
	memcpy(copy, pw, len);
	copy[len] = '\0';
	if ((cd = calloc(1, sizeof(*cd))) != NULL) {
		got = crypt_r(copy, hash, cd);
		ok = got != NULL && got[0] != '*' && strlen(got) == strlen(hash) &&
		    CRYPTO_memcmp(got, hash, strlen(hash)) == 0;
		OPENSSL_cleanse(cd, sizeof(*cd));
		free(cd);
	}
	OPENSSL_cleanse(copy, len);
	free(copy);
	return ok;
}

int
passwd_verify(const char *hash, const char *pw, size_t len)
{
	if (hash == NULL || len > PASSWD_MAX)
		return 0;
	if (has_prefix(hash, "$argon2"))
		return passwd_supported(hash) && verify_argon2(hash, pw, len);
	if (passwd_supported(hash))
		return verify_bcrypt(hash, pw, len);
	return 0;
}

void
passwd_dummy(const char *pw, size_t len)
{
	(void)verify_argon2(dummy_hash, pw, len > PASSWD_MAX ? PASSWD_MAX : len);
}
