#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "spawn.h"
#include "sshauth.h"
#include "tty.h"

#define METHOD_MAX	32

/* Per-attempt context for the passphrase callback. */
struct keyctx {
	const char		*path;
	struct sshauth_secrets	*sec;
	int			 asked;
};

typedef int auth_fn(ssh_session, const struct sshopts *, const char *, int,
    struct sshauth_secrets *, struct errbuf *);

static auth_fn auth_publickey, auth_password, auth_kbdint;

static const struct {
	const char	*name;
	int		 bit;		/* SSH_AUTH_METHOD_* */
	auth_fn		*fn;
} methods[] = {
	{ "publickey",			SSH_AUTH_METHOD_PUBLICKEY,	auth_publickey },
	{ "keyboard-interactive",	SSH_AUTH_METHOD_INTERACTIVE,	auth_kbdint },
	{ "password",			SSH_AUTH_METHOD_PASSWORD,	auth_password },
};

#define NMETHODS	(sizeof(methods) / sizeof(methods[0]))

static const char *
passphrase_for(const struct sshauth_secrets *sec, const char *path)
{
	size_t i;

	for (i = 0; sec != NULL && i < sec->npp; i++) {
		if (strcmp(sec->pp[i].path, path) == 0)
			return sec->pp[i].pass;
	}
	return NULL;
}

/* libssh asks for a passphrase only when the key is encrypted. */
static int
passphrase_cb(const char *prompt, char *buf, size_t len, int echo, int verify,
    void *userdata)
{
	struct keyctx *kc = userdata;
	const char *known = passphrase_for(kc->sec, kc->path);
	char question[1200];
	struct errbuf eb;

	kc->asked = 1;
	if (known != NULL) {
		if (strlen(known) >= len)
			return -1;
		memcpy(buf, known, strlen(known) + 1);
		return 0;
	}
	if (kc->sec == NULL || !kc->sec->may_prompt)
		return -1;
	snprintf(question, sizeof(question), "Enter passphrase for key '%s': ", kc->path);
	return tty_read_secret(question, buf, len, &eb) == 0 ? 0 : -1;
}

static int
file_exists(const char *path)
{
	return access(path, R_OK) == 0;
}

/* Offer the .pub first: no passphrase for a key the server refuses. */
static int
server_takes_pubkey(ssh_session s, const char *path)
{
	char pub[1100];
	ssh_key key = NULL;
	int rc;

	snprintf(pub, sizeof(pub), "%s.pub", path);
	if (!file_exists(pub) || ssh_pki_import_pubkey_file(pub, &key) != SSH_OK)
		return 1;	/* unknown: try the private key */
	rc = ssh_userauth_try_publickey(s, NULL, key);
	ssh_key_free(key);
	return rc == SSH_AUTH_SUCCESS;
}

static int
try_identity(ssh_session s, const char *path, struct sshauth_secrets *sec)
{
	struct keyctx kc = { path, sec, 0 };
	ssh_key key = NULL;
	int rc;

	if (!file_exists(path) || !server_takes_pubkey(s, path))
		return SSH_AUTH_DENIED;
	if (ssh_pki_import_privkey_file(path, NULL, passphrase_cb, &kc, &key) != SSH_OK) {
		err_debug(1, "identity %s: %s", path, kc.asked ?
		    "no or wrong passphrase" : "not a usable private key");
		return SSH_AUTH_DENIED;
	}
	rc = ssh_userauth_publickey(s, NULL, key);
	ssh_key_free(key);
	err_debug(1, "identity %s: %s", path, rc == SSH_AUTH_SUCCESS ? "accepted" : "refused");
	return rc;
}

static int
use_agent(const struct sshopts *o, int agent_only)
{
	const char *sock = o->identity_agent != NULL ? o->identity_agent : getenv("SSH_AUTH_SOCK");

	if (sock == NULL || *sock == '\0' || strcmp(sock, "none") == 0)
		return 0;
	return agent_only || o->identities_only != OPT_YES;
}

static int
auth_publickey(ssh_session s, const struct sshopts *o, const char *host, int agent_only,
    struct sshauth_secrets *sec, struct errbuf *eb)
{
	size_t i;
	int rc;

	if (o->pubkey_auth == OPT_NO)
		return SSH_AUTH_DENIED;
	if (o->identity_agent != NULL && strcmp(o->identity_agent, "none") != 0)
		ssh_options_set(s, SSH_OPTIONS_IDENTITY_AGENT, o->identity_agent);
	if (use_agent(o, agent_only)) {
		rc = ssh_userauth_agent(s, NULL);
		err_debug(1, "agent: %s", rc == SSH_AUTH_SUCCESS ? "accepted" : "no key accepted");
		if (rc == SSH_AUTH_SUCCESS || rc == SSH_AUTH_ERROR)
			return rc;
	}
	if (agent_only)
		return SSH_AUTH_DENIED;
	for (i = 0; i < o->n_identity_files; i++) {
		rc = try_identity(s, o->identity_files[i], sec);
		if (rc == SSH_AUTH_SUCCESS || rc == SSH_AUTH_ERROR)
			return rc;
	}
	return SSH_AUTH_DENIED;
}

/* The password from the secrets, or asked once on the terminal. */
static const char *
get_password(const struct sshopts *o, const char *host, struct sshauth_secrets *sec)
{
	char prompt[600];
	struct errbuf eb;

	if (sec == NULL)
		return NULL;
	if (sec->have_password)
		return sec->password;
	if (!sec->may_prompt)
		return NULL;
	snprintf(prompt, sizeof(prompt), "%s@%s's password: ", o->user, host);
	if (tty_read_secret(prompt, sec->password, sizeof(sec->password), &eb) != 0)
		return NULL;
	sec->have_password = 1;
	return sec->password;
}

static int
auth_password(ssh_session s, const struct sshopts *o, const char *host, int agent_only,
    struct sshauth_secrets *sec, struct errbuf *eb)
{
	const char *pw;

	if (o->password_auth == OPT_NO || agent_only || (pw = get_password(o, host, sec)) == NULL)
		return SSH_AUTH_DENIED;
	return ssh_userauth_password(s, NULL, pw);
}

/* Answer password-like prompts with the password; PAM may send empty rounds. */
static int
auth_kbdint(ssh_session s, const struct sshopts *o, const char *host, int agent_only,
    struct sshauth_secrets *sec, struct errbuf *eb)
{
	int rc, rounds = 0, n, i;
	const char *pw;

	if (o->kbdint_auth == OPT_NO || agent_only || (sec != NULL && !sec->have_password &&
	    !sec->may_prompt))
		return SSH_AUTH_DENIED;
	rc = ssh_userauth_kbdint(s, NULL, NULL);
	while (rc == SSH_AUTH_INFO && rounds++ < 8) {
		n = ssh_userauth_kbdint_getnprompts(s);
		for (i = 0; i < n; i++) {
			char echo;
			const char *q = ssh_userauth_kbdint_getprompt(s, (unsigned)i, &echo);

			if (q == NULL || strstr(q, "assword") == NULL ||
			    (pw = get_password(o, host, sec)) == NULL)
				return SSH_AUTH_DENIED;
			if (ssh_userauth_kbdint_setanswer(s, (unsigned)i, pw) < 0)
				return SSH_AUTH_ERROR;
		}
		rc = ssh_userauth_kbdint(s, NULL, NULL);
	}
	return rc;
}

/* The method table in PreferredAuthentications order. */
static size_t
method_order(const struct sshopts *o, size_t order[NMETHODS])
{
	const char *p = o->preferred_auth;
	size_t n = 0, i, len;

	if (p == NULL) {
		for (i = 0; i < NMETHODS; i++)
			order[n++] = i;
		return n;
	}
	while (*p != '\0' && n < NMETHODS) {
		len = strcspn(p, ",");
		for (i = 0; i < NMETHODS; i++) {
			if (strlen(methods[i].name) == len && strncmp(p, methods[i].name, len) == 0)
				order[n++] = i;
		}
		p += len + (p[len] == ',');
	}
	return n;
}

static void
list_methods(int allowed, char *buf, size_t len)
{
	size_t i, o = 0;

	buf[0] = '\0';
	for (i = 0; i < NMETHODS; i++) {
		if ((allowed & methods[i].bit) && o < len)
			o += (size_t)snprintf(buf + o, len - o, "%s%s", o ? "," : "", methods[i].name);
	}
}

int
sshauth_run(ssh_session s, const struct sshopts *o, const char *host, int agent_only,
    struct sshauth_secrets *sec, char *method, struct errbuf *eb)
{
	size_t order[NMETHODS], n, i;
	char offered[128];
	int rc, allowed;

	rc = ssh_userauth_none(s, NULL);
	if (rc == SSH_AUTH_SUCCESS) {
		snprintf(method, METHOD_MAX, "none");
		return 0;
	}
	if (rc == SSH_AUTH_ERROR)
		return err_set(eb, "authenticate as %s: %s", o->user, ssh_get_error(s));
	allowed = ssh_userauth_list(s, NULL);
	n = method_order(o, order);
	for (i = 0; i < n; i++) {
		if (!(allowed & methods[order[i]].bit))
			continue;
		rc = methods[order[i]].fn(s, o, host, agent_only, sec, eb);
		if (rc == SSH_AUTH_SUCCESS) {
			snprintf(method, METHOD_MAX, "%s", methods[order[i]].name);
			return 0;
		}
		if (rc == SSH_AUTH_ERROR)
			return err_set(eb, "authenticate as %s: %s", o->user, ssh_get_error(s));
		allowed = ssh_userauth_list(s, NULL);
	}
	list_methods(allowed, offered, sizeof(offered));
	return err_set(eb, "authenticate as %s: permission denied (%s)", o->user,
	    offered[0] ? offered : "no method offered");
}

static int
add_passphrase(struct sshauth_secrets *sec, const char *path, const char *pass)
{
	struct sc_passphrase *pp;

	if (sec->npp >= SC_PASSPHRASES_MAX || strlen(path) >= sizeof(pp->path) ||
	    strlen(pass) >= sizeof(pp->pass))
		return -1;
	pp = &sec->pp[sec->npp++];
	memcpy(pp->path, path, strlen(path) + 1);
	memcpy(pp->pass, pass, strlen(pass) + 1);
	return 0;
}

static int
parse_secrets(char *buf, size_t len, struct sshauth_secrets *sec, struct errbuf *eb)
{
	char *p = buf, *end = buf + len, *f[3];
	int i, want;

	while (p < end) {
		for (i = 0; i < 3; i++)
			f[i] = NULL;
		if (memchr(p, '\0', (size_t)(end - p)) == NULL)
			return err_set(eb, "secrets: truncated record");
		want = strcmp(p, "password") == 0 ? 2 : strcmp(p, "passphrase") == 0 ? 3 : 0;
		if (want == 0)
			return err_set(eb, "secrets: unknown record");
		for (i = 0; i < want; i++) {
			if (p >= end || memchr(p, '\0', (size_t)(end - p)) == NULL)
				return err_set(eb, "secrets: truncated record");
			f[i] = p;
			p += strlen(p) + 1;
		}
		if (want == 2 && strlen(f[1]) < sizeof(sec->password)) {
			memcpy(sec->password, f[1], strlen(f[1]) + 1);
			sec->have_password = 1;
		} else if (want != 3 || add_passphrase(sec, f[1], f[2]) != 0) {
			return err_set(eb, "secrets: record too long");
		}
	}
	return 0;
}

int
sshauth_read_secrets(int fd, struct sshauth_secrets *sec, struct errbuf *eb)
{
	char buf[SC_SECRETS_RECORD_MAX + 1];	/* one more: tells "too long" */
	size_t len = 0;
	ssize_t r;
	int rc;

	for (;;) {
		r = read(fd, buf + len, sizeof(buf) - len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			explicit_bzero(buf, len);
			return err_set_sys(eb, "read secrets");
		}
		if (r == 0)
			break;
		len += (size_t)r;
		if (len == sizeof(buf)) {
			explicit_bzero(buf, len);
			return err_set(eb, "secrets: more than %d bytes", SC_SECRETS_RECORD_MAX);
		}
	}
	rc = parse_secrets(buf, len, sec, eb);
	explicit_bzero(buf, sizeof(buf));
	return rc;
}

static size_t
put_field(char *buf, size_t off, size_t cap, const char *s)
{
	size_t n = strlen(s) + 1;

	if (off + n > cap)
		return cap + 1;
	memcpy(buf + off, s, n);
	return off + n;
}

int
sshauth_write_secrets(int fd, const struct sshauth_secrets *sec)
{
	char buf[SC_SECRETS_RECORD_MAX];
	size_t off = 0, cap = sizeof(buf), i;
	int rc;

	if (sec->have_password) {
		off = put_field(buf, off, cap, "password");
		off = put_field(buf, off, cap, sec->password);
	}
	for (i = 0; i < sec->npp && off <= cap; i++) {
		off = put_field(buf, off, cap, "passphrase");
		off = put_field(buf, off, cap, sec->pp[i].path);
		off = put_field(buf, off, cap, sec->pp[i].pass);
	}
	rc = off <= cap ? spawn_write_all(fd, buf, off) : -1;
	explicit_bzero(buf, sizeof(buf));
	return rc;
}

static int
ask_passphrase(struct sshauth_secrets *sec, const char *path, struct errbuf *eb)
{
	char prompt[1200];
	struct sc_passphrase *pp;

	if (sec->npp >= SC_PASSPHRASES_MAX || strlen(path) >= sizeof(pp->path) ||
	    passphrase_for(sec, path) != NULL || sshauth_key_encrypted(path) != 1)
		return 0;
	pp = &sec->pp[sec->npp];
	snprintf(prompt, sizeof(prompt), "Enter passphrase for key '%s': ", path);
	if (tty_read_secret(prompt, pp->pass, sizeof(pp->pass), eb) != 0)
		return -1;
	snprintf(pp->path, sizeof(pp->path), "%s", path);
	sec->npp++;
	return 0;
}

static int
ask_passphrases(struct sshauth_secrets *sec, const struct sshopts *o, size_t nexplicit,
    struct errbuf *eb)
{
	int agent = use_agent(o, 0);
	size_t i;

	for (i = 0; i < o->n_identity_files; i++) {
		if (i >= nexplicit && (agent || !file_exists(o->identity_files[i])))
			continue;
		if (ask_passphrase(sec, o->identity_files[i], eb) != 0)
			return -1;
	}
	return 0;
}

int
sshauth_collect(struct sshauth_secrets *sec, const struct sshopts *o, size_t nexplicit,
    int want_password, int batch, int flags, struct errbuf *eb)
{
	const char *env = getenv("BSSH_PASSWORD");
	const char *prompt = (flags & SA_SHARED_PASSWORD) ?
	    "Password (used for every host): " : "Password: ";

	sec->may_prompt = !batch && tty_available();
	if (!sec->have_password && env != NULL && strlen(env) < sizeof(sec->password)) {
		memcpy(sec->password, env, strlen(env) + 1);
		sec->have_password = 1;
	}
	if (want_password && !sec->have_password) {
		if (!sec->may_prompt)
			return err_set(eb, "--password: no terminal to ask on (set BSSH_PASSWORD)");
		if (tty_read_secret(prompt, sec->password, sizeof(sec->password), eb) != 0)
			return -1;
		sec->have_password = 1;
	}
	if ((flags & SA_ASK_PASSPHRASES) && !(flags & SA_AGENT_ONLY) && sec->may_prompt &&
	    o != NULL)
		return ask_passphrases(sec, o, nexplicit, eb);
	return 0;
}

void
sshauth_wipe(struct sshauth_secrets *sec)
{
	explicit_bzero(sec, sizeof(*sec));
}

/* A callback that refuses: its being called means "encrypted". */
static int
refuse_cb(const char *prompt, char *buf, size_t len, int echo, int verify, void *userdata)
{
	*(int *)userdata = 1;
	return -1;
}

int
sshauth_key_encrypted(const char *path)
{
	ssh_key key = NULL;
	int asked = 0, rc;

	rc = ssh_pki_import_privkey_file(path, NULL, refuse_cb, &asked, &key);
	ssh_key_free(key);
	if (rc == SSH_OK)
		return 0;
	return asked ? 1 : -1;
}
