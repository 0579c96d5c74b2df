#include "config.h"

#include <stdio.h>
#include <string.h>

#include <libssh/libssh.h>

#include "sshalgs.h"

static const char *const ciphers[] = {
	"3des-cbc", "aes128-cbc", "aes192-cbc", "aes256-cbc", "aes128-ctr", "aes192-ctr",
	"aes256-ctr", "aes128-gcm@openssh.com", "aes256-gcm@openssh.com",
	"chacha20-poly1305@openssh.com", NULL
};
static const char *const macs[] = {
	"hmac-sha1", "hmac-sha1-96", "hmac-sha2-256", "hmac-sha2-512", "hmac-md5",
	"hmac-md5-96", "umac-64@openssh.com", "umac-128@openssh.com",
	"hmac-sha1-etm@openssh.com", "hmac-sha1-96-etm@openssh.com",
	"hmac-sha2-256-etm@openssh.com", "hmac-sha2-512-etm@openssh.com",
	"hmac-md5-etm@openssh.com", "hmac-md5-96-etm@openssh.com",
	"umac-64-etm@openssh.com", "umac-128-etm@openssh.com", NULL
};
static const char *const kexes[] = {
	"diffie-hellman-group1-sha1", "diffie-hellman-group14-sha1",
	"diffie-hellman-group14-sha256", "diffie-hellman-group16-sha512",
	"diffie-hellman-group18-sha512", "diffie-hellman-group-exchange-sha1",
	"diffie-hellman-group-exchange-sha256", "ecdh-sha2-nistp256", "ecdh-sha2-nistp384",
	"ecdh-sha2-nistp521", "curve25519-sha256", "curve25519-sha256@libssh.org",
	"sntrup761x25519-sha512@openssh.com", "mlkem768x25519-sha256", NULL
};
static const char *const keys[] = {
	"ssh-ed25519", "ssh-ed25519-cert-v01@openssh.com", "sk-ssh-ed25519@openssh.com",
	"sk-ssh-ed25519-cert-v01@openssh.com", "ecdsa-sha2-nistp256",
	"ecdsa-sha2-nistp256-cert-v01@openssh.com", "ecdsa-sha2-nistp384",
	"ecdsa-sha2-nistp384-cert-v01@openssh.com", "ecdsa-sha2-nistp521",
	"ecdsa-sha2-nistp521-cert-v01@openssh.com", "sk-ecdsa-sha2-nistp256@openssh.com",
	"sk-ecdsa-sha2-nistp256-cert-v01@openssh.com", "ssh-dss",
	"ssh-dss-cert-v01@openssh.com", "ssh-rsa", "ssh-rsa-cert-v01@openssh.com", NULL
};
static const char *const sigs[] = {
	"ssh-ed25519", "sk-ssh-ed25519@openssh.com", "ecdsa-sha2-nistp256",
	"ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521", "sk-ecdsa-sha2-nistp256@openssh.com",
	"rsa-sha2-256", "rsa-sha2-512", "ssh-dss", "ssh-rsa", NULL
};

/* Which names: all, only AEAD ciphers, only certificates, no certificates. */
enum filter { ALL, AEAD, CERT, PLAIN };

static int
wanted(const char *name, enum filter f)
{
	int cert = strstr(name, "-cert-") != NULL;

	switch (f) {
	case AEAD:
		return strstr(name, "gcm") != NULL || strstr(name, "poly1305") != NULL;
	case CERT:
		return cert;
	case PLAIN:
		return !cert;
	default:
		return 1;
	}
}

static void
print_supported(enum ssh_options_e opt, const char *const *names, enum filter f, FILE *out)
{
	ssh_session s = ssh_new();
	int zero = 0, quiet = SSH_LOG_NOLOG;
	size_t i;

	if (s == NULL)
		return;
	ssh_options_set(s, SSH_OPTIONS_PROCESS_CONFIG, &zero);
	ssh_options_set(s, SSH_OPTIONS_LOG_VERBOSITY, &quiet);
	for (i = 0; names[i] != NULL; i++) {
		if (wanted(names[i], f) && ssh_options_set(s, opt, names[i]) == 0)
			fprintf(out, "%s\n", names[i]);
	}
	ssh_free(s);
}

static const struct {
	const char		*query;
	enum ssh_options_e	 opt;
	const char *const	*names;
	enum filter		 filter;
} table[] = {
	{ "cipher",		SSH_OPTIONS_CIPHERS_C_S,	ciphers,	ALL },
	{ "cipher-auth",	SSH_OPTIONS_CIPHERS_C_S,	ciphers,	AEAD },
	{ "mac",		SSH_OPTIONS_HMAC_C_S,		macs,		ALL },
	{ "kex",		SSH_OPTIONS_KEY_EXCHANGE,	kexes,		ALL },
	{ "key",		SSH_OPTIONS_HOSTKEYS,		keys,		ALL },
	{ "key-plain",		SSH_OPTIONS_HOSTKEYS,		keys,		PLAIN },
	{ "key-cert",		SSH_OPTIONS_HOSTKEYS,		keys,		CERT },
	{ "key-sig",		SSH_OPTIONS_HOSTKEYS,		sigs,		ALL },
	{ "sig",		SSH_OPTIONS_HOSTKEYS,		sigs,		ALL },
};

int
sshalgs_query(const char *query, FILE *out)
{
	size_t i;

	if (strcmp(query, "protocol-version") == 0) {
		fprintf(out, "2\n");
		return 0;
	}
	if (strcmp(query, "help") == 0) {
		for (i = 0; i < sizeof(table) / sizeof(table[0]); i++)
			fprintf(out, "%s\n", table[i].query);
		fprintf(out, "protocol-version\n");
		return 0;
	}
	for (i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
		if (strcmp(query, table[i].query) == 0) {
			print_supported(table[i].opt, table[i].names, table[i].filter, out);
			return 0;
		}
	}
	return -1;
}
