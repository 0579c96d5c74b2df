/*
 * frsession: chains and commands of one connection.  See frsession.h.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "frchain.h"
#include "frexec.h"
#include "frhelp.h"
#include "frinput.h"
#include "frlog.h"
#include "frsession.h"
#include "timeutil.h"

void
frsession_init(struct fr_session *s, const struct fr_config *cfg, struct fr_out *out,
    enum fr_level base)
{
	memset(s, 0, sizeof(*s));
	s->cfg = cfg;
	s->out = out;
	s->base = base;
	s->id.level = base;
	s->nonce_mode = cfg->challenge_nonce && cfg->ntokens > 0;
	strcpy(s->session_id, "00000000-0000-4000-8000-000000000000");
}

void
frsession_clear(struct fr_session *s)
{
	size_t i;

	for (i = 0; i < s->id.ntags; i++)
		free(s->id.tags[i]);
	free(s->id.tags);
	explicit_bzero(s->nonce, sizeof(s->nonce));
	memset(s, 0, sizeof(*s));
}

static void
help_line(void *arg, const char *text)
{
	frout_comment(((struct fr_session *)arg)->out, text);
}

void
frsession_help(struct fr_session *s)
{
	frhelp_text(s->cfg, &s->id, NULL, help_line, s);
	frout_response(s->out, "help", 4, 0, "ok", NULL);
}

static void
sink(void *arg, int is_err, const char *data, size_t len)
{
	frout_line(((struct fr_session *)arg)->out, is_err ? ">>! " : ">> ", data, len);
}

static void
logev(struct fr_session *s, const char *event, const struct fr_cmd *c)
{
	struct fr_log_entry e = { event, c->domain->id, c->action->id, NULL, s->ssh_client };

	frlog_write(s->cfg->log_file, &e);
}

static int
run_argv(struct fr_session *s, const char *text, size_t len, struct fr_cmd *c)
{
	const struct fr_action *a = c->action;
	struct fr_exec x;
	struct fr_exec_status st;
	char msg[600], cmd[512];
	int64_t timeout;

	memset(&x, 0, sizeof(x));
	x.argv = c->argv;
	x.nul = c->nul;
	x.timeout = a->has_timeout ? a->timeout : s->cfg->default_timeout;
	x.max_stream_bytes = s->cfg->max_stream_bytes;
	x.session_id = s->session_id;
	x.sink = sink;
	x.arg = s;
	if (s->has_body) {
		x.body = s->body;
		x.bodylen = s->bodylen;
	}
	/* The client's reading may not hold the command past its timeout. */
	timeout = x.timeout > 86400 ? 86400 : (int64_t)x.timeout;
	s->out->deadline = time_now_ms() + (timeout + 10) * 1000;
	frexec_run(&x, &st);
	s->out->deadline = 0;
	switch (st.result) {
	case FRX_EXITED:
		frout_response(s->out, text, len, st.code, "executed", NULL);
		logev(s, "executed", c);
		break;
	case FRX_TIMEOUT:
		sink(s, 1, "ssh-frontiere: command timed out", 32);
		snprintf(cmd, sizeof(cmd), "%s %s", c->domain->id, a->id);
		snprintf(msg, sizeof(msg), "timeout after %llus: %s", (unsigned long long)x.timeout,
		    cmd);
		frout_response(s->out, cmd, strlen(cmd), 130, msg, NULL);
		logev(s, "timeout", c);
		break;
	case FRX_SPAWN_ERROR:
		snprintf(msg, sizeof(msg), "execution error: failed to spawn: %s", st.error);
		frout_response(s->out, text, len, 128, msg, NULL);
		logev(s, "rejected", c);
		break;
	case FRX_EMPTY:
		frout_response(s->out, text, len, 128, "execution error: empty command", NULL);
		logev(s, "rejected", c);
		break;
	case FRX_STDIN_CLOSED:
		frout_response(s->out, text, len, 133, "stdin closed: target process closed stdin "
		    "before body was fully written", NULL);
		logev(s, "stdin_error", c);
		break;
	}
	return st.code;
}

static int
run_single(struct fr_session *s, const char *text, size_t len)
{
	struct fr_cmd c;
	char *list;
	int code = 128;

	if (frcmd_resolve(s->cfg, &s->id, text, len, &c) < 0) {
		frout_response(s->out, text, len, 128, "execution error: out of memory", NULL);
		return 128;
	}
	switch (c.kind) {
	case FRK_EXIT:
		frout_response(s->out, "exit", 4, 0, "ok", NULL);
		code = 0;
		break;
	case FRK_HELP:
		frhelp_text(s->cfg, &s->id, c.help_target, help_line, s);
		frout_response(s->out, "help", 4, 0, "ok", NULL);
		code = 0;
		break;
	case FRK_LIST:
		list = frhelp_list(s->cfg, &s->id);
		frout_response(s->out, text, len, 0, "ok", list ? list : "{\"actions\":[]}");
		free(list);
		code = 0;
		break;
	case FRK_REJECT:
		frout_response(s->out, text, len, 128, c.message, NULL);
		break;
	case FRK_DENY:
		frout_response(s->out, text, len, 131, c.message, NULL);
		logev(s, "rejected", &c);
		code = 131;
		break;
	case FRK_RUN:
		code = run_argv(s, text, len, &c);
		break;
	}
	frcmd_clear(&c);
	/* The body belongs to the first command that ran, whatever it did. */
	s->has_body = 0;
	return code;
}

static int
run_node(struct fr_session *s, const struct fr_node *n)
{
	int code;

	switch (n->kind) {
	case FRN_SINGLE:
		return run_single(s, n->text, n->textlen);
	case FRN_STRICT:
		code = run_node(s, n->left);
		return code != 0 ? code : run_node(s, n->right);
	case FRN_PERMISSIVE:
		(void)run_node(s, n->left);
		return run_node(s, n->right);
	case FRN_RECOVERY:
		code = run_node(s, n->left);
		return code == 0 ? 0 : run_node(s, n->right);
	}
	return 128;
}

int
frsession_block(struct fr_session *s, const char *block, size_t len, const char *body,
    size_t bodylen, int has_body)
{
	struct fr_node *root;
	struct errbuf eb;
	char msg[600];
	int code;

	s->body = body;
	s->bodylen = bodylen;
	s->has_body = has_body;
	if ((root = frchain_parse(block, len, &eb)) == NULL) {
		snprintf(msg, sizeof(msg), "rejected: %s", eb.msg);
		frout_response(s->out, block, len, 128, msg, NULL);
		fprintf(stderr, "%s: %s\n", s->prog, msg);
		s->has_body = 0;
		return 128;
	}
	code = run_node(s, root);
	frchain_free(root);
	s->has_body = 0;
	s->body = NULL;
	return code;
}
