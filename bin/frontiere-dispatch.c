/*
 * frontiere-dispatch: SSH-Frontiere's restricted login shell.
 *
 * sshd runs it once per connection.  It loads the TOML whitelist, writes
 * the banner, reads `+ ' headers and a command block ended by `.', runs
 * the block's chain of whitelisted actions (never a shell) and answers
 * each command with one `>>> ' JSON line; with `+ session keepalive' it
 * goes on reading blocks.  The exit status is the first block's.
 */
#include "config.h"

#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "err.h"
#include "frconf.h"
#include "frforced.h"
#include "frhelp.h"
#include "frinput.h"
#include "frlog.h"
#include "frproto.h"
#include "frauth.h"
#include "frsession.h"
#include "spawn.h"
#include "strv.h"
#include "xalloc.h"
#include "timeutil.h"

ERR_PROGRAM("frontiere-dispatch");

#define EX_CONFIG	129	/* config missing or invalid; banner not written */
#define EX_PROTOCOL	132	/* protocol error or lockout before the first block */
#define FR_BLOCK_MAX	(1u << 20)	/* bytes of one command block */
#define SSHD_CONFIG	"/etc/ssh/sshd_config"

struct opts {
	char		*config;
	enum fr_level	 level;
	int		 check;
	int		 diagnostic;
};

/* Each "-c STR" pair becomes STR's whitespace-separated words (copies). */
static char **
flatten(int argc, char **argv, size_t *n, const char **cstr)
{
	char **v = NULL, *copy, *w, *save;
	int i;

	*n = 0;
	*cstr = NULL;
	for (i = 0; i < argc; i++) {
		if (strcmp(argv[i], "-c") != 0 || i + 1 == argc) {
			v = xreallocarray(v, *n + 2, sizeof(*v));
			v[(*n)++] = xstrdup(argv[i]);
			continue;
		}
		*cstr = argv[++i];
		copy = xstrdup(argv[i]);
		for (w = strtok_r(copy, " \t\n\r\f\v", &save); w != NULL;
		    w = strtok_r(NULL, " \t\n\r\f\v", &save)) {
			v = xreallocarray(v, *n + 2, sizeof(*v));
			v[(*n)++] = xstrdup(w);
		}
		free(copy);
	}
	v = xreallocarray(v, *n + 1, sizeof(*v));
	v[*n] = NULL;
	return v;
}

static void
parse_flags(char **v, size_t n, struct opts *o)
{
	static const char *const levels[] = { "read", "ops", "admin" };
	size_t i, k;

	for (i = 1; i < n; i++) {
		if (strcmp(v[i], "--config") == 0 && i + 1 < n) {
			if (o->config == NULL)
				o->config = xstrdup(v[i + 1]);
			i++;
		} else if (strncmp(v[i], "--config=", 9) == 0) {
			if (o->config == NULL)
				o->config = xstrdup(v[i] + 9);
		} else if (strncmp(v[i], "--level=", 8) == 0) {
			for (k = 0; k < 3; k++)
				if (strcmp(v[i] + 8, levels[k]) == 0)
					o->level = (enum fr_level)k;
		} else if (strcmp(v[i], "--check-config") == 0)
			o->check = 1;
		else if (strcmp(v[i], "--diagnostic") == 0)
			o->diagnostic = 1;
	}
}

/*
 * The options.  Under sshd, words of a -c string count only when it is a
 * forced command: otherwise a client could choose its level and config.
 */
static void
get_opts(int argc, char **argv, struct opts *o)
{
	const char *cstr, *home = NULL;
	struct passwd *pw;
	size_t n;
	char **v = flatten(argc, argv, &n, &cstr);

	memset(o, 0, sizeof(*o));
	if (cstr != NULL && getenv("SSH_CONNECTION") != NULL) {
		if ((pw = getpwuid(getuid())) != NULL)
			home = pw->pw_dir;
		if (!frforced_is_forced(cstr, getenv("SSH_ORIGINAL_COMMAND"), home, SSHD_CONFIG)) {
			err_warn("options in a client's command are ignored: make the account's "
			    "keys run a forced command");
			strv_free(v);
			return;
		}
	}
	parse_flags(v, n, o);
	strv_free(v);
}

static void
warn_orphan(const char *token, const char *tag, void *arg)
{
	(void)arg;
	err_warn("tag '%s' on token '%s' does not match any action", tag, token);
}

static void __attribute__((noreturn))
config_error(const struct opts *o, const char *detail)
{
	fprintf(stderr, "%s: error: %s\n", err_state.prog,
	    o->diagnostic ? detail : "service unavailable");
	exit(EX_CONFIG);
}

static void
banner(struct fr_session *s, const struct fr_config *cfg)
{
	char hex[2 * FR_NONCE_LEN + 1], line[96];

	frout_comment(s->out, "ssh-frontiere " FR_VERSION);
	frout_line(s->out, "+> capabilities ", cfg->has_auth ? "rbac, session, help, body" :
	    "session, help, body", strlen(cfg->has_auth ? "rbac, session, help, body" :
	    "session, help, body"));
	if (s->nonce_mode) {
		frcrypto_hex(s->nonce, sizeof(s->nonce), hex);
		snprintf(line, sizeof(line), "challenge nonce=%s", hex);
		frout_line(s->out, "+> ", line, strlen(line));
	}
	if (cfg->expose_session_id) {
		snprintf(line, sizeof(line), "session %s", s->session_id);
		frout_line(s->out, "+> ", line, strlen(line));
	}
	frout_comment(s->out, "type \"help\" for available commands");
}

/* A protocol error before or in the first block: exit 132. */
static void __attribute__((noreturn))
protocol_error(struct fr_session *s, const char *detail)
{
	char line[700];

	snprintf(line, sizeof(line), "protocol error: %s", detail);
	frout_comment(s->out, s->diagnostic ? line : "service unavailable");
	fprintf(stderr, "%s: protocol: %s\n", err_state.prog,
	    s->diagnostic ? line : "service unavailable");
	exit(EX_PROTOCOL);
}

static void
log_comment(struct fr_session *s, const char *line, size_t len)
{
	struct fr_log_entry e;

	if (!s->cfg->log_comments)
		return;
	memset(&e, 0, sizeof(e));
	e.event = "client_comment";
	e.reason = len >= 2 ? line + 2 : "";
	frlog_write(s->cfg->log_file, &e);
}

/* What the header phase leaves for the rest of the run. */
struct headers {
	int			 keepalive;
	int			 auth;
	char			*token;
	char			*proof;
	size_t			 tokenlen;
	size_t			 prooflen;
	struct fr_bodymode	 body;
	int			 dot;		/* ended by a `.' line */
	char			 first[FR_LINE_MAX + 1];
	size_t			 firstlen;
};

enum outcome { GOT_LINE, GOT_EOF, GOT_TIMEOUT };

static enum outcome
header_phase(struct fr_session *s, struct fr_input *in, struct headers *h)
{
	struct fr_directive d;
	struct errbuf eb;
	enum fr_read r;
	size_t len;

	for (;;) {
		r = frin_line(in, h->first, &len, &eb);
		if (r == FR_READ_EOF)
			return GOT_EOF;
		if (r == FR_READ_TIMEOUT)
			return GOT_TIMEOUT;
		if (r == FR_READ_ERROR)
			protocol_error(s, eb.msg);
		switch (frproto_classify(h->first, len)) {
		case FRC_EMPTY:
			continue;
		case FRC_COMMENT:
			log_comment(s, h->first, len);
			continue;
		case FRC_END:
			h->dot = 1;
			return GOT_LINE;
		case FRC_TEXT:
			h->firstlen = len;
			return GOT_LINE;
		case FRC_DIRECTIVE:
			break;
		}
		frproto_directive(h->first, len, &d);
		if (d.kind == FRD_SESSION)
			h->keepalive = 1;
		else if (d.kind == FRD_BODY)
			h->body = d.body;
		else if (d.kind == FRD_AUTH) {
			free(h->token);
			free(h->proof);
			h->token = xmalloc(d.tokenlen + 1);
			h->proof = xmalloc(d.prooflen + 1);
			memcpy(h->token, d.token, d.tokenlen);
			memcpy(h->proof, d.proof, d.prooflen);
			h->tokenlen = d.tokenlen;
			h->prooflen = d.prooflen;
			h->auth = 1;
		}
	}
}

/* Block reading: a block ends at `.'; what else can happen. */
enum block_end { BLOCK_OK, BLOCK_EOF, BLOCK_TIMEOUT, BLOCK_ERROR };

/*
 * The rest of a block whose first line is in first: text and empty lines
 * joined by LF up to `.'.  *block is malloc'd.
 */
static enum block_end
read_block(struct fr_input *in, const char *first, size_t firstlen, char **block,
    size_t *blen, struct errbuf *eb)
{
	char line[FR_LINE_MAX + 1];
	size_t len, cap = firstlen + FR_LINE_MAX + 2;
	enum fr_read r;
	enum fr_class c;

	*block = xmalloc(cap);
	memcpy(*block, first, firstlen);
	*blen = firstlen;
	for (;;) {
		r = frin_line(in, line, &len, eb);
		if (r == FR_READ_EOF)
			return BLOCK_EOF;
		if (r == FR_READ_TIMEOUT)
			return BLOCK_TIMEOUT;
		if (r == FR_READ_ERROR)
			return BLOCK_ERROR;
		if ((c = frproto_classify(line, len)) == FRC_END)
			break;
		if (c == FRC_DIRECTIVE || c == FRC_COMMENT) {
			err_set(eb, "invalid protocol line: expected command text or '.', got "
			    "header/comment");
			return BLOCK_ERROR;
		}
		if (*blen + len + 1 > FR_BLOCK_MAX) {
			err_set(eb, "command block too large (max %u bytes)", FR_BLOCK_MAX);
			return BLOCK_ERROR;
		}
		if (*blen + len + 2 > cap) {
			cap = (*blen + len + 2) * 2;
			*block = xreallocarray(*block, cap, 1);
		}
		(*block)[(*blen)++] = '\n';
		memcpy(*block + *blen, line, len);
		*blen += len;
	}
	(*block)[*blen] = '\0';
	return BLOCK_OK;
}

/* `help' as the first block: the rest of the block is skipped, errors too. */
static void
skip_block(struct fr_input *in)
{
	char line[FR_LINE_MAX + 1];
	struct errbuf eb;
	size_t len;
	enum fr_read r;

	while ((r = frin_line(in, line, &len, &eb)) != FR_READ_EOF && r != FR_READ_TIMEOUT)
		if (r == FR_READ_OK && frproto_classify(line, len) == FRC_END)
			break;
}

static void __attribute__((noreturn))
finish(struct fr_session *s, struct fr_config *cfg, int code)
{
	frsession_clear(s);
	frconf_free(cfg);
	exit(code);
}

/* The first block; returns its status code (exits on protocol errors). */
static int
first_block(struct fr_session *s, struct fr_input *in, struct headers *h)
{
	struct errbuf eb;
	enum block_end e;
	enum fr_read r;
	char *block, *body = NULL;
	size_t blen, bodylen = 0;
	int code;

	if (h->dot)
		return 0;
	if (h->firstlen == 4 && memcmp(h->first, "help", 4) == 0) {
		skip_block(in);
		frsession_help(s);
		return 0;
	}
	e = read_block(in, h->first, h->firstlen, &block, &blen, &eb);
	if (e == BLOCK_ERROR)
		protocol_error(s, eb.msg);
	if (e != BLOCK_OK) {
		free(block);
		if (e == BLOCK_TIMEOUT)
			frout_comment(s->out, "session timeout");
		return -1;
	}
	if (h->body.on && (r = frproto_body(in, &h->body, &body, &bodylen, &eb)) != FR_READ_OK) {
		if (r == FR_READ_TIMEOUT) {
			frout_comment(s->out, "session timeout");
			free(block);
			free(body);
			return -1;
		}
		char line[700];

		snprintf(line, sizeof(line), "body error: %s", eb.msg);
		frout_comment(s->out, s->diagnostic ? line : "service unavailable");
		exit(EX_PROTOCOL);
	}
	code = frsession_block(s, block, blen, body, bodylen, h->body.on);
	free(block);
	free(body);
	return code;
}

/* One block of the session loop; 0 to go on, -1 to end the session. */
static int
session_block(struct fr_session *s, struct fr_input *in, const char *first, size_t firstlen,
    struct fr_bodymode *pending)
{
	struct errbuf eb;
	enum block_end e;
	enum fr_read r = FR_READ_OK;
	char *block, *body = NULL, line[700];
	size_t blen, bodylen = 0;
	int has_body = pending->on;

	pending->on = 0;
	e = read_block(in, first, firstlen, &block, &blen, &eb);
	if (e == BLOCK_OK && has_body)
		r = frproto_body(in, pending, &body, &bodylen, &eb);
	if (e == BLOCK_ERROR || r == FR_READ_ERROR) {
		snprintf(line, sizeof(line), "protocol error: %s", eb.msg);
		frout_comment(s->out, line);
	}
	if (e == BLOCK_TIMEOUT || r == FR_READ_TIMEOUT || (e == BLOCK_OK && r == FR_READ_OK &&
	    in->deadline > 0 && time_now_ms() >= in->deadline))
		frout_comment(s->out, "session timeout");
	else if (e == BLOCK_OK && r == FR_READ_OK) {
		(void)frsession_block(s, block, blen, body, bodylen, has_body);
		free(block);
		free(body);
		return 0;
	}
	free(block);
	free(body);
	return -1;
}

static void
session_loop(struct fr_session *s, struct fr_input *in)
{
	char line[FR_LINE_MAX + 1];
	struct fr_bodymode pending;
	struct fr_directive d;
	struct errbuf eb;
	enum fr_read r;
	size_t len;

	memset(&pending, 0, sizeof(pending));
	in->deadline = time_now_ms() + (int64_t)(s->cfg->timeout_session > 315360000 ?
	    315360000 : s->cfg->timeout_session) * 1000;
	for (;;) {
		if (time_now_ms() >= in->deadline) {
			frout_comment(s->out, "session timeout");
			return;
		}
		r = frin_line(in, line, &len, &eb);
		if (r == FR_READ_EOF)
			return;
		if (r == FR_READ_TIMEOUT) {
			frout_comment(s->out, "session timeout");
			return;
		}
		if (r == FR_READ_ERROR) {
			snprintf(line, sizeof(line), "protocol error: %s", eb.msg);
			frout_comment(s->out, line);
			return;
		}
		switch (frproto_classify(line, len)) {
		case FRC_EMPTY:
			break;
		case FRC_END:
			frout_comment(s->out, "session closed");
			return;
		case FRC_COMMENT:
			pending.on = 0;	/* as the reference: a comment drops a pending body */
			log_comment(s, line, len);
			break;
		case FRC_DIRECTIVE:
			frproto_directive(line, len, &d);
			if (d.kind == FRD_BODY)
				pending = d.body;
			else if (d.kind == FRD_AUTH) {
				pending.on = 0;
				if (frsession_auth(s, d.token, d.tokenlen, d.proof, d.prooflen) ==
				    FRA_LOCKOUT)
					return;
			}
			break;
		case FRC_TEXT:
			if (session_block(s, in, line, len, &pending) < 0)
				return;
			break;
		}
	}
}

static void
start_session(struct fr_session *s, const struct opts *o)
{
	struct errbuf eb;

	s->prog = err_state.prog;
	s->diagnostic = o->diagnostic;
	s->ssh_client = getenv("SSH_CLIENT");
	if (s->nonce_mode && frsession_new_nonce(s, &eb) < 0) {
		fprintf(stderr, "%s: error: %s\n", err_state.prog,
		    o->diagnostic ? eb.msg : "service unavailable");
		exit(EX_CONFIG);
	}
	if (frsession_new_id(s, &eb) < 0)
		err_warn("session ID generation failed: %s", eb.msg);
}

/*
 * --help and --version, only as the program's own arguments (the
 * reference has neither and ignores unknown words, which a client's -c
 * string still gets).
 */
static void
usage_or_version(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-c") == 0)
			return;
		if (strcmp(argv[i], "--help") == 0) {
			printf("usage: %s [--config PATH] [--level=read|ops|admin] [--check-config] "
			    "[--diagnostic]\n       %s -c 'FORCED COMMAND'\n", err_state.prog,
			    err_state.prog);
			exit(0);
		}
		if (strcmp(argv[i], "--version") == 0) {
			printf("%s %s (ssh-frontiere protocol %s)\n", err_state.prog, PACKAGE_VERSION,
			    FR_VERSION);
			exit(0);
		}
	}
}

int
main(int argc, char **argv)
{
	struct fr_config cfg;
	struct fr_session s;
	struct fr_input in;
	struct fr_out out;
	struct headers h;
	struct errbuf eb;
	struct opts o;
	const char *path;
	int code;

	(void)signal(SIGPIPE, SIG_IGN);
	(void)spawn_sanitize_stdfds();
	err_setprog(argc > 0 && argv[0][0] == '-' ? argv[0] + 1 : argc > 0 ? argv[0] : "");
	usage_or_version(argc, argv);
	get_opts(argc, argv, &o);
	path = o.config ? o.config : getenv("SSH_FRONTIERE_CONFIG") ? getenv("SSH_FRONTIERE_CONFIG")
	    : FR_DEFAULT_CONFIG;
	if (frconf_load(path, &cfg, &eb) < 0)
		config_error(&o, eb.msg);
	frconf_orphan_tags(&cfg, warn_orphan, NULL);
	if (o.check) {
		printf("Config OK: %s\n", path);
		finish(&s, &cfg, fflush(stdout) == 0 ? 0 : EX_CONFIG);
	}
	frout_init(&out, STDOUT_FILENO);
	frsession_init(&s, &cfg, &out, o.level);
	start_session(&s, &o);
	banner(&s, &cfg);
	if (out.dead)
		finish(&s, &cfg, EX_CONFIG);
	frin_init(&in, STDIN_FILENO);
	/* An idle client is not kept forever, before its first block either. */
	in.deadline = time_now_ms() + (int64_t)(cfg.timeout_session > 315360000 ? 315360000 :
	    cfg.timeout_session) * 1000;
	memset(&h, 0, sizeof(h));
	switch (header_phase(&s, &in, &h)) {
	case GOT_EOF:
		finish(&s, &cfg, 0);
	case GOT_TIMEOUT:
		frout_comment(&out, "session timeout");
		finish(&s, &cfg, 0);
	case GOT_LINE:
		break;
	}
	if (h.auth && frsession_auth(&s, h.token, h.tokenlen, h.proof, h.prooflen) == FRA_LOCKOUT)
		finish(&s, &cfg, EX_PROTOCOL);
	free(h.token);
	free(h.proof);
	code = first_block(&s, &in, &h);
	if (code < 0)
		finish(&s, &cfg, 0);
	if (h.keepalive)
		session_loop(&s, &in);
	finish(&s, &cfg, code);
}
