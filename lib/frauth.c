/*
 * frauth: `+ auth' of a frontiere-dispatch session, the lockout and its
 * ban command, the session id and the nonce.  Declared in frsession.h
 * with the session state it works on.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "frexec.h"
#include "frlog.h"
#include "frauth.h"
#include "frsession.h"
#include "spawn.h"

#define FR_BAN_WAIT	10000	/* ms the ban command may take */
#define FR_BAN_WORDS	64

int
frsession_new_id(struct fr_session *s, struct errbuf *eb)
{
	unsigned char u[16];
	char hex[33];

	if (frcrypto_random(u, sizeof(u), eb) < 0)
		return -1;
	u[6] = (unsigned char)((u[6] & 0x0f) | 0x40);
	u[8] = (unsigned char)((u[8] & 0x3f) | 0x80);
	frcrypto_hex(u, sizeof(u), hex);
	snprintf(s->session_id, sizeof(s->session_id), "%.8s-%.4s-%.4s-%.4s-%.12s", hex, hex + 8,
	    hex + 12, hex + 16, hex + 20);
	return 0;
}

int
frsession_new_nonce(struct fr_session *s, struct errbuf *eb)
{
	return frcrypto_random(s->nonce, sizeof(s->nonce), eb);
}

/* Sorted union of the effective tags with a token's (both sorted). */
static void
add_tags(struct fr_identity *id, char *const *tags, size_t n)
{
	char **nv, *dup;
	size_t i, j;
	int found;

	for (i = 0; i < n; i++) {
		for (j = 0, found = 0; j < id->ntags && !found; j++)
			found = strcmp(id->tags[j], tags[i]) == 0;
		if (found || (dup = strdup(tags[i])) == NULL)
			continue;
		if ((nv = realloc(id->tags, (id->ntags + 2) * sizeof(*nv))) == NULL) {
			free(dup);
			continue;
		}
		id->tags = nv;
		for (j = id->ntags; j > 0 && strcmp(id->tags[j - 1], dup) > 0; j--)
			id->tags[j] = id->tags[j - 1];
		id->tags[j] = dup;
		id->tags[++id->ntags] = NULL;
	}
}

/*
 * The ban command, split on whitespace with {ip} replaced in each word:
 * no shell, an environment of PATH only, stdio on /dev/null, its own
 * process group, and at most FR_BAN_WAIT ms.
 */
static void
run_ban(const char *tmpl, const char *ssh_client)
{
	char ip[64], *words[FR_BAN_WORDS + 1], *copy, *w, *save, *out, *p, path[4096];
	char *envp[] = { (char *)"PATH=" FR_PATH, NULL };
	struct spawn_fd map[3] = { { 0, -1 }, { 1, -1 }, { 2, -1 } };
	size_t n = 0, i, iplen;
	struct errbuf eb;
	int status;
	pid_t pid;

	snprintf(ip, sizeof(ip), "%.*s", (int)strcspn(ssh_client, " \t"), ssh_client);
	iplen = strlen(ip);
	if ((copy = strdup(tmpl)) == NULL)
		return;
	for (w = strtok_r(copy, " \t\n\r\f\v", &save); w != NULL && n < FR_BAN_WORDS;
	    w = strtok_r(NULL, " \t\n\r\f\v", &save)) {
		if ((out = malloc(strlen(w) * (iplen + 1) + 1)) == NULL)
			break;
		for (p = out; *w != '\0';) {
			if (strncmp(w, "{ip}", 4) == 0) {
				memcpy(p, ip, iplen);
				p += iplen;
				w += 4;
			} else
				*p++ = *w++;
		}
		*p = '\0';
		words[n++] = out;
	}
	words[n] = NULL;
	free(copy);
	if (n > 0)
		frexec_find_program(words[0], path, sizeof(path));
	if (n > 0 && (pid = spawn_start_env(path, words, envp, map, 3, SPAWN_PGROUP, &eb)) > 0) {
		(void)frexec_wait(pid, FR_BAN_WAIT, &status);
	}
	for (i = 0; i < n; i++)
		free(words[i]);
}

static int
proof_ok(struct fr_session *s, const struct fr_token *t, const char *proof, size_t prooflen)
{
	char expected[FR_PROOF_HEX + 1], *given;
	struct errbuf eb;
	int ok;

	if (frcrypto_proof(t->secret, t->secretlen, s->nonce_mode ? s->nonce : NULL,
	    s->nonce_mode ? sizeof(s->nonce) : 0, expected, &eb) < 0)
		return 0;
	if ((given = strndup(proof, prooflen)) == NULL)
		return 0;
	ok = strlen(given) == prooflen && frcrypto_proof_equal(expected, given);
	free(given);
	explicit_bzero(expected, sizeof(expected));
	return ok;
}

static void
announce_nonce(struct fr_session *s)
{
	char hex[2 * FR_NONCE_LEN + 1], line[64];
	struct errbuf eb;

	if (frsession_new_nonce(s, &eb) < 0)
		return;
	frcrypto_hex(s->nonce, sizeof(s->nonce), hex);
	snprintf(line, sizeof(line), "new challenge nonce=%s", hex);
	frout_comment(s->out, line);
}

enum fr_auth
frsession_auth(struct fr_session *s, const char *token, size_t tokenlen, const char *proof,
    size_t prooflen)
{
	const struct fr_token *t = NULL;
	struct fr_log_entry e;
	char msg[128], *id;

	if (!s->cfg->has_auth) {
		frout_comment(s->out, "auth not configured");
		return FRA_NOT_CONFIGURED;
	}
	if ((id = strndup(token, tokenlen)) != NULL && strlen(id) == tokenlen)
		t = frconf_token(s->cfg, id);
	free(id);
	if (t != NULL && proof_ok(s, t, proof, prooflen)) {
		s->id.level = t->level > s->base ? t->level : s->base;
		add_tags(&s->id, t->tags, t->ntags);
		snprintf(msg, sizeof(msg), "auth ok, level=%s", frconf_level_name(s->id.level));
		frout_comment(s->out, msg);
		if (s->nonce_mode)
			announce_nonce(s);
		return FRA_OK;
	}
	s->failures++;
	snprintf(msg, sizeof(msg), "authentication failed (%llu/%llu)", s->failures,
	    (unsigned long long)s->cfg->max_auth_failures);
	frout_comment(s->out, msg);
	if (s->failures < s->cfg->max_auth_failures)
		return FRA_FAILED;
	frout_comment(s->out, "session terminated");
	memset(&e, 0, sizeof(e));
	e.event = "auth_lockout";
	e.reason = msg;
	e.ssh_client = s->ssh_client;
	frlog_write(s->cfg->log_file, &e);
	if (*s->cfg->ban_command != '\0' && s->ssh_client != NULL)
		run_ban(s->cfg->ban_command, s->ssh_client);
	return FRA_LOCKOUT;
}
