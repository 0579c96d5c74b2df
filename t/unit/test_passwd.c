/*
 * Unit tests of lib/passwd: Argon2id hashes made and verified, Argon2 and
 * bcrypt hashes from other tools verified, and every malformed or foreign
 * hash refused without a crash.
 */
#include "config.h"

#include <string.h>

#include "passwd.h"
#include "tap.h"

/* bcrypt of "correct horse", cost 4, made by libxcrypt through Python's crypt. */
static const char bcrypt_2b[] = "$2b$04$abcdefghijklmnopqrstuujydOTSfIH/d5oUHpsygqV5X9xJLQc6e";

/* Argon2id of "an unguessable dummy password, never used", made by libargon2. */
static const char argon2id_known[] =
    "$argon2id$v=19$m=19456,t=2,p=1$YnNzaGQtZHVtbXktc2FsdA$"
    "C8pKpv99c01dvrNHhfsdq8be3YYN6NoGe55J/K4dtaI";

static int
check(const char *hash, const char *pw)
{
	return passwd_verify(hash, pw, strlen(pw));
}

static void
test_argon2(void)
{
	char h1[PASSWD_HASH_MAX], h2[PASSWD_HASH_MAX];
	struct errbuf eb;

	is_long(passwd_hash("s3cret", 6, h1, sizeof(h1), &eb), 0, "hash made");
	ok(strncmp(h1, "$argon2id$v=19$m=19456,t=2,p=1$", 31) == 0, "argon2id with the parameters");
	ok(passwd_hash("s3cret", 6, h2, sizeof(h2), &eb) == 0 && strcmp(h1, h2) != 0,
	    "a fresh salt each time");
	ok(check(h1, "s3cret"), "the password matches its hash");
	ok(!check(h1, "s3cret "), "another password does not");
	ok(!check(h1, ""), "the empty password does not");
	ok(passwd_verify(h1, "s3cret\0x", 8) == 0, "a NUL and more does not");
	ok(check(argon2id_known, "an unguessable dummy password, never used"),
	    "a hash libargon2 made elsewhere verifies");
	ok(passwd_hash("pw", 2, h1, 20, &eb) == -1, "a short output buffer is an error");
	is_str(eb.msg, "argon2id: Encoding failed", "and says so");
}

static void
test_bcrypt(void)
{
	char other[sizeof(bcrypt_2b)];

	ok(check(bcrypt_2b, "correct horse"), "bcrypt $2b$ matches");
	ok(!check(bcrypt_2b, "correct horsE"), "bcrypt with another password does not");
	memcpy(other, bcrypt_2b, sizeof(other));
	other[2] = 'y';
	ok(check(other, "correct horse"), "$2y$ is the same algorithm");
	other[2] = 'a';
	ok(check(other, "correct horse"), "$2a$ too");
	ok(passwd_verify(bcrypt_2b, "correct horse\0", 14) == 0, "a NUL in the password never matches");
}

static void
test_refused(void)
{
	static const char *const bad[] = {
		"", "x", "$6$saltsalt$abcdefghijklmnopqrstuvwxyz", "$1$salt$hash",
		"$argon2id$", "$argon2id$v=19$m=19456,t=2,p=1$", "$argon2x$v=19$m=1,t=1,p=1$a$b",
		"$2b$", "$2b$04$short", "$2b$99$abcdefghijklmnopqrstuujydOTSfIH/d5oUHpsygqV5X9xJLQc6e",
		"plain-text-password", NULL
	};
	size_t i;

	for (i = 0; bad[i] != NULL; i++)
		ok(!check(bad[i], "plain-text-password") && !check(bad[i], ""), bad[i]);
	ok(!passwd_supported("$6$x$y") && passwd_supported("$2b$x") &&
	    passwd_supported("$argon2id$x"), "supported kinds");
	ok(passwd_verify(NULL, "x", 1) == 0, "no hash never matches");
	passwd_dummy("anything", 8);
	ok(1, "the dummy verification runs");
}

int
main(void)
{
	test_argon2();
	test_bcrypt();
	test_refused();
	return tap_done();
}
