#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "fanout.h"
#include "pool.h"
#include "spawn.h"
#include "timeutil.h"

#define EXIT_OWN	255

/* What a node's status events said. */
struct node {
	char	*errkind;
	char	*errmsg;
	char	*signame;
	char	*method;
};

struct run {
	const struct fanout_params	*p;
	size_t				 n;
	const char			**labels;
	struct node			*nodes;
	struct pool_job			*jobs;
	int				*codes;
	struct output			*out;
	struct pool			*pool;
	int				 send_secrets;
	int64_t				 last_int;
	int				 stop_sig;	/* what stopped us */
	int				 failed_fast;
};

/* A NULL-terminated argv that remembers a failed allocation. */
struct argv {
	char	**v;
	size_t	  n;
	int	  oom;
};

static void
av_push(struct argv *a, const char *s)
{
	char **nv, *copy;

	if (a->oom)
		return;
	nv = realloc(a->v, (a->n + 2) * sizeof(char *));
	copy = strdup(s);
	if (nv != NULL)
		a->v = nv;
	if (nv == NULL || copy == NULL) {
		free(copy);
		a->oom = 1;
		return;
	}
	a->v[a->n++] = copy;
	a->v[a->n] = NULL;
}

static void
av_pushf(struct argv *a, const char *fmt, ...)
{
	va_list ap;
	char *s = NULL;
	int rc;

	va_start(ap, fmt);
	rc = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (rc < 0) {
		a->oom = 1;
		return;
	}
	av_push(a, s);
	free(s);
}

static void
av_free(char **v)
{
	size_t i;

	for (i = 0; v != NULL && v[i] != NULL; i++)
		free(v[i]);
	free(v);
}

/* What bssh-config(5) says for node i, ranking below the command line. */
static void
node_args(struct run *r, size_t i, struct argv *a)
{
	const struct target *t = targets_nth(r->p->targets, i);
	const struct clusters_settings *st = t != NULL && t->cluster != NULL ?
	    &t->cluster->settings : clusters_defaults(r->p->conf);
	const struct clusters_jump *jump = t != NULL && t->node != NULL ?
	    &t->node->jump : &st->jump;
	const char *key = t != NULL && t->node != NULL && t->node->ssh_key != NULL ?
	    t->node->ssh_key : st->ssh_key;

	if (t != NULL && t->node == NULL && st->user != NULL) {
		av_push(a, "-o");
		av_pushf(a, "User=%s", st->user);
	}
	if (t != NULL && t->node == NULL && st->port > 0) {
		av_push(a, "-o");
		av_pushf(a, "Port=%ld", st->port);
	}
	if (key != NULL && !r->p->cli_identity) {
		av_push(a, "-o");
		av_pushf(a, "IdentityFile=%s", key);
	}
	if (st->ssh_config != NULL && !r->p->cli_ssh_config) {
		av_push(a, "-F");
		av_push(a, st->ssh_config);
	}
	if (jump->kind == CLUSTERS_JUMP_HOPS || jump->kind == CLUSTERS_JUMP_ALIAS) {
		av_push(a, "-J");
		av_push(a, jump->kind == CLUSTERS_JUMP_HOPS ? jump->hops : jump->alias);
	}
}

static int
worker_argv(struct run *r, size_t i)
{
	const struct fanout_params *p = r->p;
	struct argv a = { NULL, 0, 0 };
	size_t k;

	av_push(&a, p->prefix[0]);
	av_push(&a, r->labels[i]);
	for (k = 1; k < p->nprefix; k++)
		av_push(&a, p->prefix[k]);
	if (p->conf != NULL)
		node_args(r, i, &a);
	if (p->command != NULL) {
		av_push(&a, "--");
		av_push(&a, p->command);
	}
	if (a.oom) {
		av_free(a.v);
		return -1;
	}
	r->jobs[i].argv = a.v;
	return 0;
}

/* A pipe holds 64 KiB: the secrets record fits, the write never blocks. */
static int
secrets_pipe(const struct sshauth_secrets *sec)
{
	struct errbuf eb;
	int p[2];

	if (spawn_pipe(p, &eb) != 0)
		return -1;
	if (sshauth_write_secrets(p[1], sec) != 0) {
		close(p[0]);
		close(p[1]);
		return -1;
	}
	close(p[1]);
	return p[0];
}

static int
cb_prepare(void *arg, size_t i, struct spawn_fd *extra)
{
	struct run *r = arg;
	char path[64];
	int n = 0, fd;

	if (worker_argv(r, i) != 0)
		return -1;
	if (r->p->stdin_fd >= 0) {
		snprintf(path, sizeof(path), "/proc/self/fd/%d", r->p->stdin_fd);
		extra[n++] = (struct spawn_fd){ 0, open(path, O_RDONLY | O_CLOEXEC) };
	}
	if (r->send_secrets) {
		if ((fd = secrets_pipe(r->p->sec)) < 0) {
			if (n > 0)
				close(extra[0].parent_fd);
			return -1;
		}
		extra[n++] = (struct spawn_fd){ 4, fd };
	}
	return n;
}

static void
cb_started(void *arg, size_t i)
{
	output_start(((struct run *)arg)->out, i);
}

static void
cb_data(void *arg, size_t i, int stream, const char *buf, size_t len)
{
	struct run *r = arg;

	output_data(r->out, i, stream, buf, len);
	if (output_broken(r->out) && r->stop_sig == 0) {
		r->stop_sig = SIGPIPE;
		pool_stop(r->pool, SIGTERM);
	}
}

/* The pool's hard limit: the worker's own limits plus a grace period. */
static int64_t
job_timeout(const struct fanout_params *p)
{
	if (p->ping)
		return p->connect_ms + 10000;
	return p->timeout_ms > 0 ? p->timeout_ms + p->connect_ms + 10000 : 0;
}

static void
set_str(char **dst, json_t *v)
{
	const char *s = json_string_value(v);

	if (s != NULL && *dst == NULL)
		*dst = strdup(s);	/* lost when out of memory: only words */
}

static void
cb_event(void *arg, size_t i, json_t *ev)
{
	struct run *r = arg;
	struct node *nd = &r->nodes[i];
	const char *name = json_string_value(json_object_get(ev, "event"));

	if (name == NULL)
		return;
	if (strcmp(name, "error") == 0) {
		set_str(&nd->errkind, json_object_get(ev, "kind"));
		set_str(&nd->errmsg, json_object_get(ev, "message"));
	} else if (strcmp(name, "signal") == 0) {
		set_str(&nd->signame, json_object_get(ev, "signal"));
	} else if (strcmp(name, "authenticated") == 0) {
		set_str(&nd->method, json_object_get(ev, "method"));
	}
	output_event(r->out, i, ev);
}

/*
 * Our words for how node i ended into buf, or NULL when it succeeded;
 * *kind says whose failure it was (connect, auth, ..., stopped, timeout)
 * or stays NULL for the remote command's own status.
 */
static const char *
describe(const struct run *r, size_t i, const char **kind, char *buf, size_t len)
{
	const struct pool_job *j = &r->jobs[i];
	const struct node *nd = &r->nodes[i];

	*kind = NULL;
	if (j->state == JOB_SKIPPED) {
		*kind = "skipped";
		snprintf(buf, len, "not run (%s)", r->failed_fast ? "fail-fast" : "interrupted");
	} else if (j->timed_out) {
		*kind = "timeout";
		snprintf(buf, len, "no result within %lld s: killed",
		    (long long)(job_timeout(r->p) / 1000));
	} else if (nd->errmsg != NULL) {
		*kind = nd->errkind != NULL ? nd->errkind : "protocol";
		snprintf(buf, len, "%s", nd->errmsg);
	} else if (j->killed) {
		*kind = "stopped";
		snprintf(buf, len, "%s", r->failed_fast ? "stopped (fail-fast)" : "stopped");
	} else if (nd->signame != NULL) {
		snprintf(buf, len, "remote command killed by signal %s", nd->signame);
	} else if (j->code == 255) {
		*kind = "protocol";
		snprintf(buf, len, "failed (exit status 255)");
	} else if (j->code != 0) {
		snprintf(buf, len, "exit status %d", j->code);
	} else {
		return NULL;
	}
	return buf;
}

static void
cb_done(void *arg, size_t i)
{
	struct run *r = arg;
	struct pool_job *j = &r->jobs[i];
	const char *kind, *why;
	char buf[600];

	why = describe(r, i, &kind, buf, sizeof(buf));
	r->codes[i] = j->state == JOB_SKIPPED ? EXITCODE_NOT_RUN :
	    j->timed_out ? EXIT_OWN : j->code;	/* we gave up on it: our failure */
	if (r->p->pdsh && r->nodes[i].signame != NULL)
		r->codes[i] = EXIT_OWN;		/* ssh's status after a remote signal */
	/* ping reports at the end; here only release the node's held output */
	output_done(r->out, i, r->codes[i], r->p->ping ? NULL : kind,
	    r->p->ping ? NULL : why);
	if (r->p->failfast && r->codes[i] != 0 && !r->failed_fast && r->stop_sig == 0) {
		r->failed_fast = 1;
		err_say("fail-fast: %s failed (%s); stopping", r->labels[i], why ? why : "?");
		pool_stop(r->pool, SIGTERM);
	}
	av_free(j->argv);
	j->argv = NULL;
}

static void
cb_signal(void *arg, int sig)
{
	struct run *r = arg;
	int64_t now = time_now_ms();
	size_t queued, running, done;

	if (sig == SIGINT && !r->p->batch && (r->last_int == 0 || now - r->last_int > 1000)) {
		r->last_int = now;
		pool_counts(r->pool, &queued, &running, &done);
		err_say("%zu running, %zu done, %zu queued; press Ctrl+C again within 1 s to stop",
		    running, done, queued);
		return;
	}
	if (r->stop_sig == 0) {
		r->stop_sig = sig;
		err_say("interrupted: stopping every node");
	}
	pool_stop(r->pool, SIGTERM);
}

static const struct pool_ops ops = {
	cb_prepare, cb_started, cb_data, cb_event, cb_done, cb_signal
};

/* ping's report, in node order: "node: ok (method)" or "node: failed: why". */
static int
report_ping(const struct run *r)
{
	const char *kind, *why;
	char buf[600];
	size_t i, ok = 0;

	for (i = 0; i < r->n; i++) {
		why = describe(r, i, &kind, buf, sizeof(buf));
		if (why == NULL) {
			ok++;
			printf("%s: ok (%s)\n", r->labels[i], r->nodes[i].method ?
			    r->nodes[i].method : "?");
		} else {
			printf("%s: failed: %s\n", r->labels[i], why);
		}
	}
	fflush(stdout);
	return ok == r->n ? 0 : ok > 0 ? 1 : EXIT_OWN;
}

static int
exit_status(const struct run *r)
{
	int code = r->p->ping ? report_ping(r) : exitcode_compute(r->p->strategy, r->codes,
	    r->n, exitcode_main_rank(r->labels, r->n));

	if (r->stop_sig == SIGINT)
		return 130;
	if (r->stop_sig == SIGTERM || r->stop_sig == SIGHUP || r->stop_sig == SIGPIPE)
		return 128 + r->stop_sig;
	return code;
}

static void
run_free(struct run *r)
{
	size_t i;

	for (i = 0; r->nodes != NULL && i < r->n; i++) {
		free(r->nodes[i].errkind);
		free(r->nodes[i].errmsg);
		free(r->nodes[i].signame);
		free(r->nodes[i].method);
		av_free(r->jobs[i].argv);
	}
	pool_free(r->pool);
	output_free(r->out);
	free(r->nodes);
	free(r->jobs);
	free(r->codes);
	free(r->labels);
}

static int
run_setup(struct run *r, struct errbuf *eb)
{
	const struct fanout_params *p = r->p;
	size_t i, n = targets_count(p->targets);

	r->n = n;
	r->labels = calloc(n ? n : 1, sizeof(char *));
	r->nodes = calloc(n ? n : 1, sizeof(struct node));
	r->jobs = calloc(n ? n : 1, sizeof(struct pool_job));
	r->codes = calloc(n ? n : 1, sizeof(int));
	if (r->labels == NULL || r->nodes == NULL || r->jobs == NULL || r->codes == NULL)
		return err_set(eb, "out of memory");
	for (i = 0; i < n; i++) {
		const struct target *t = targets_nth(p->targets, i);

		if (t == NULL)
			return err_set(eb, "out of memory");
		r->labels[i] = t->label;
	}
	r->send_secrets = p->sec != NULL && (p->sec->have_password || p->sec->npp > 0);
	r->out = output_new(p->ping ? OUT_NORMAL : p->mode, p->out_flags, p->outdir,
	    r->labels, n, eb);
	if (r->out == NULL)
		return -1;
	r->pool = pool_new(r->jobs, n, p->parallel, job_timeout(p), &ops, r);
	return r->pool == NULL ? err_set(eb, "out of memory") : 0;
}

int
fanout_run(const struct fanout_params *p, struct errbuf *eb)
{
	struct run r;
	int code = -1;

	memset(&r, 0, sizeof(r));
	r.p = p;
	if (run_setup(&r, eb) == 0 && pool_run(r.pool, p->sigfd, eb) == 0) {
		code = exit_status(&r);
		if (!p->ping)
			output_finish(r.out, r.codes, code);
	}
	run_free(&r);
	return code;
}
