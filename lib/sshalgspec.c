#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "sshalgspec.h"
#include "sshtok.h"

/* libssh 0.10.6 (OpenSSL build): defaults and everything supported. */
static const char *const lib_default[] = {
	"chacha20-poly1305@openssh.com,aes256-gcm@openssh.com,aes128-gcm@openssh.com,"
	"aes256-ctr,aes192-ctr,aes128-ctr",
	"hmac-sha2-256-etm@openssh.com,hmac-sha2-512-etm@openssh.com,hmac-sha2-256,"
	"hmac-sha2-512",
	"curve25519-sha256,curve25519-sha256@libssh.org,ecdh-sha2-nistp256,"
	"ecdh-sha2-nistp384,ecdh-sha2-nistp521,diffie-hellman-group18-sha512,"
	"diffie-hellman-group16-sha512,diffie-hellman-group-exchange-sha256,"
	"diffie-hellman-group14-sha256",
	"ssh-ed25519-cert-v01@openssh.com,ecdsa-sha2-nistp521-cert-v01@openssh.com,"
	"ecdsa-sha2-nistp384-cert-v01@openssh.com,ecdsa-sha2-nistp256-cert-v01@openssh.com,"
	"sk-ecdsa-sha2-nistp256-cert-v01@openssh.com,rsa-sha2-512-cert-v01@openssh.com,"
	"rsa-sha2-256-cert-v01@openssh.com,ssh-ed25519,ecdsa-sha2-nistp521,"
	"ecdsa-sha2-nistp384,ecdsa-sha2-nistp256,sk-ssh-ed25519@openssh.com,"
	"sk-ecdsa-sha2-nistp256@openssh.com,rsa-sha2-512,rsa-sha2-256",
};

static const char *const lib_all[] = {
	"chacha20-poly1305@openssh.com,aes256-gcm@openssh.com,aes128-gcm@openssh.com,"
	"aes256-ctr,aes192-ctr,aes128-ctr,aes256-cbc,aes192-cbc,aes128-cbc,3des-cbc",
	"hmac-sha2-256-etm@openssh.com,hmac-sha2-512-etm@openssh.com,"
	"hmac-sha1-etm@openssh.com,hmac-sha2-256,hmac-sha2-512,hmac-sha1",
	"diffie-hellman-group-exchange-sha1,curve25519-sha256,curve25519-sha256@libssh.org,"
	"ecdh-sha2-nistp256,ecdh-sha2-nistp384,ecdh-sha2-nistp521,"
	"diffie-hellman-group18-sha512,diffie-hellman-group16-sha512,"
	"diffie-hellman-group-exchange-sha256,diffie-hellman-group14-sha256,"
	"diffie-hellman-group14-sha1,diffie-hellman-group1-sha1",
	"ssh-ed25519-cert-v01@openssh.com,sk-ssh-ed25519-cert-v01@openssh.com,"
	"ecdsa-sha2-nistp521-cert-v01@openssh.com,ecdsa-sha2-nistp384-cert-v01@openssh.com,"
	"ecdsa-sha2-nistp256-cert-v01@openssh.com,sk-ecdsa-sha2-nistp256-cert-v01@openssh.com,"
	"rsa-sha2-512-cert-v01@openssh.com,rsa-sha2-256-cert-v01@openssh.com,"
	"ssh-rsa-cert-v01@openssh.com,ssh-ed25519,ecdsa-sha2-nistp521,ecdsa-sha2-nistp384,"
	"ecdsa-sha2-nistp256,sk-ssh-ed25519@openssh.com,sk-ecdsa-sha2-nistp256@openssh.com,"
	"rsa-sha2-512,rsa-sha2-256,ssh-rsa",
};

/* Names OpenSSH 9.2 knows that libssh 0.10 does not (ssh -Q). */
static const char *const ssh_extra[] = {
	"",
	"hmac-sha1-96,hmac-md5,hmac-md5-96,umac-64@openssh.com,umac-128@openssh.com,"
	"hmac-sha1-96-etm@openssh.com,hmac-md5-etm@openssh.com,hmac-md5-96-etm@openssh.com,"
	"umac-64-etm@openssh.com,umac-128-etm@openssh.com",
	"sntrup761x25519-sha512,sntrup761x25519-sha512@openssh.com",
	"webauthn-sk-ecdsa-sha2-nistp256@openssh.com,ssh-dss,ssh-dss-cert-v01@openssh.com",
};

#define LIST_MAX	8192	/* bytes of a resolved list */

const char *
sshalgspec_default(enum sshalgspec_kind k)
{
	return lib_default[k];
}

/* Whether name[0..len) is an element of the comma list. */
static int
in_list(const char *name, size_t len, const char *list)
{
	const char *p = list;
	size_t n;

	while (*p != '\0') {
		n = strcspn(p, ",");
		if (n == len && strncmp(p, name, len) == 0)
			return 1;
		p += n + (p[n] == ',');
	}
	return 0;
}

static int
known(enum sshalgspec_kind k, const char *name, size_t len)
{
	return len > 0 && (in_list(name, len, lib_all[k]) || in_list(name, len, ssh_extra[k]));
}

/* A hostkey pattern is valid when it matches (or negates) some known name. */
static int
pattern_known(enum sshalgspec_kind k, const char *pat)
{
	const char *lists[2] = { lib_all[k], ssh_extra[k] };
	char name[128];
	const char *p;
	size_t i, n;

	for (i = 0; i < 2; i++) {
		for (p = lists[i]; *p != '\0'; p += n + (p[n] == ',')) {
			n = strcspn(p, ",");
			if (n >= sizeof(name))
				continue;
			memcpy(name, p, n);
			name[n] = '\0';
			if (sshtok_match_list(name, pat, 0) != 0)
				return 1;
		}
	}
	return 0;
}

static int
name_valid(enum sshalgspec_kind k, const char *p, size_t n)
{
	char pat[256];

	if (k != SSHALGSPEC_HOSTKEYS || (memchr(p, '*', n) == NULL && memchr(p, '?', n) == NULL))
		return known(k, p, n);
	if (n >= sizeof(pat))
		return 0;
	memcpy(pat, p, n);
	pat[n] = '\0';
	return pattern_known(k, pat);
}

int
sshalgspec_valid(enum sshalgspec_kind k, const char *spec)
{
	const char *p;
	size_t n;

	if (*spec == '-')
		return 1;
	if (*spec == '+' || *spec == '^')
		spec++;
	for (p = spec;; p += n + 1) {
		n = strcspn(p, ",");
		if (!name_valid(k, p, n))
			return 0;
		if (p[n] == '\0')
			return 1;
	}
}

/* Append the names of add not yet in *buf (kex_names_cat()). */
static int
cat_names(char *buf, const char *add)
{
	const char *p = add;
	size_t n, len = strlen(buf);

	for (; *p != '\0'; p += n + (p[n] == ',')) {
		n = strcspn(p, ",");
		if (n == 0 || in_list(p, n, buf))
			continue;
		if (len + n + 2 > LIST_MAX)
			return -1;
		if (len > 0)
			buf[len++] = ',';
		memcpy(buf + len, p, n);
		buf[len += n] = '\0';
	}
	return 0;
}

/* The names of proposal that match (want 1) or do not match (want 0) pat. */
static int
filter(char *buf, const char *proposal, const char *pat, int want)
{
	char name[128];
	const char *p;
	size_t n;

	for (p = proposal; *p != '\0'; p += n + (p[n] == ',')) {
		n = strcspn(p, ",");
		if (n == 0 || n >= sizeof(name))
			continue;
		memcpy(name, p, n);
		name[n] = '\0';
		if ((sshtok_match_list(name, pat, 0) == 1) == want && cat_names(buf, name) != 0)
			return -1;
	}
	return 0;
}

/* Each pattern of list, in order, against everything libssh supports. */
static int
assemble(char *out, enum sshalgspec_kind k, const char *list)
{
	char pat[256];
	const char *p;
	size_t n;

	for (p = list; *p != '\0'; p += n + (p[n] == ',')) {
		n = strcspn(p, ",");
		if (n == 0 || n >= sizeof(pat) || *p == '!')
			continue;
		memcpy(pat, p, n);
		pat[n] = '\0';
		if (filter(out, lib_all[k], pat, 1) != 0)
			return -1;
	}
	return 0;
}

char *
sshalgspec_resolve(enum sshalgspec_kind k, const char *spec, struct errbuf *eb)
{
	char *list = calloc(1, LIST_MAX), *out = calloc(1, LIST_MAX);
	int rc = list != NULL && out != NULL ? 0 : -1;

	if (rc == 0 && (spec == NULL || *spec == '\0'))
		rc = cat_names(out, lib_default[k]);
	else if (rc == 0 && *spec == '-')
		rc = filter(out, lib_default[k], spec + 1, 0);
	else if (rc == 0 && *spec == '+')
		rc = cat_names(list, lib_default[k]) || cat_names(list, spec + 1) ||
		    assemble(out, k, list);
	else if (rc == 0 && *spec == '^')
		rc = cat_names(list, spec + 1) || cat_names(list, lib_default[k]) ||
		    assemble(out, k, list);
	else if (rc == 0)
		rc = assemble(out, k, spec);
	free(list);
	if (rc != 0 || *out == '\0') {
		free(out);
		err_set(eb, rc != 0 ? "algorithm list too long" :
		    "\"%s\": no algorithm that libssh supports", spec ? spec : "");
		return NULL;
	}
	return out;
}
