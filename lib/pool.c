#include "config.h"

#include <sys/wait.h>

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "events.h"
#include "pool.h"
#include "timeutil.h"

#define READ_CHUNK	65536
#define EXIT_SPAWN	255

struct pool {
	struct pool_job		*jobs;
	size_t			 njobs;
	size_t			 parallel;
	int64_t			 job_timeout_ms;
	const struct pool_ops	*ops;
	void			*arg;
	size_t			 next;		/* first queued job */
	size_t			*running;	/* indices, `nrunning' of them */
	size_t			 nrunning;
	size_t			 ndone;
	int			 stopping;
	int			 stop_sig;
	struct pollfd		*pfd;
	size_t			*pjob;		/* job of each pollfd */
	int			*pwhich;	/* which of its fds */
	char			*chunk;
};

struct pool *
pool_new(struct pool_job *jobs, size_t njobs, size_t parallel, int64_t job_timeout_ms,
    const struct pool_ops *ops, void *arg)
{
	struct pool *p = calloc(1, sizeof(*p));
	size_t i;

	if (p == NULL)
		return NULL;
	if (parallel == 0)
		parallel = 1;
	p->jobs = jobs;
	p->njobs = njobs;
	p->parallel = parallel;
	p->job_timeout_ms = job_timeout_ms;
	p->ops = ops;
	p->arg = arg;
	p->running = calloc(parallel, sizeof(size_t));
	p->pfd = calloc(3 * parallel + 1, sizeof(struct pollfd));
	p->pjob = calloc(3 * parallel + 1, sizeof(size_t));
	p->pwhich = calloc(3 * parallel + 1, sizeof(int));
	p->chunk = malloc(READ_CHUNK);
	if (p->running == NULL || p->pfd == NULL || p->pjob == NULL || p->pwhich == NULL ||
	    p->chunk == NULL) {
		pool_free(p);
		return NULL;
	}
	for (i = 0; i < njobs; i++) {
		jobs[i].state = JOB_QUEUED;
		jobs[i].pid = -1;
		jobs[i].fd[0] = jobs[i].fd[1] = jobs[i].fd[2] = -1;
	}
	return p;
}

void
pool_free(struct pool *p)
{
	if (p == NULL)
		return;
	free(p->running);
	free(p->pfd);
	free(p->pjob);
	free(p->pwhich);
	free(p->chunk);
	free(p);
}

void
pool_counts(const struct pool *p, size_t *queued, size_t *running, size_t *done)
{
	*queued = p->njobs - p->next;
	*running = p->nrunning;
	*done = p->ndone;
}

static void
close_fds(struct pool_job *j)
{
	int k;

	for (k = 0; k < 3; k++) {
		if (j->fd[k] >= 0)
			close(j->fd[k]);
		j->fd[k] = -1;
	}
}

static void
finish(struct pool *p, size_t i)
{
	struct pool_job *j = &p->jobs[i];
	size_t r;

	close_fds(j);
	free(j->reader);
	j->reader = NULL;
	j->state = JOB_DONE;
	j->ended = time_now_ms();
	for (r = 0; r < p->nrunning; r++) {
		if (p->running[r] == i) {
			p->running[r] = p->running[--p->nrunning];
			break;
		}
	}
	p->ndone++;
	p->ops->done(p->arg, i);
}

/* Make the worker's pipes; on failure everything made so far is closed. */
static int
make_pipes(int mine[3], int theirs[3])
{
	int k, fds[2];
	struct errbuf eb;

	for (k = 0; k < 3; k++) {
		if (spawn_pipe(fds, &eb) != 0) {
			while (k-- > 0) {
				close(mine[k]);
				close(theirs[k]);
			}
			return -1;
		}
		mine[k] = fds[0];
		theirs[k] = fds[1];
		spawn_set_nonblock(mine[k], 1);
	}
	return 0;
}

static int
spawn_job(struct pool *p, size_t i)
{
	struct pool_job *j = &p->jobs[i];
	struct spawn_fd map[3 + POOL_MAX_EXTRA_FDS];
	int mine[3], theirs[3], nextra = 0, k, has_stdin = 0;
	struct errbuf eb;

	if (p->ops->prepare != NULL)
		nextra = p->ops->prepare(p->arg, i, map + 3);
	if (nextra < 0 || nextra > POOL_MAX_EXTRA_FDS || make_pipes(mine, theirs) != 0)
		goto fail_extra;
	for (k = 0; k < 3; k++)
		map[k] = (struct spawn_fd){ k + 1, theirs[k] };
	for (k = 0; k < nextra; k++)
		has_stdin |= map[3 + k].child_fd == 0;
	if (!has_stdin)
		map[3 + nextra++] = (struct spawn_fd){ 0, -1 };
	j->pid = spawn_start(j->argv[0], j->argv, map, 3 + (size_t)nextra, SPAWN_PGROUP, &eb);
	for (k = 0; k < 3; k++)
		close(theirs[k]);
	for (k = 3; k < 3 + nextra; k++) {
		if (map[k].parent_fd >= 0)
			close(map[k].parent_fd);
	}
	if (j->pid < 0) {
		for (k = 0; k < 3; k++)
			close(mine[k]);
		err_say("%s", eb.msg);
		return -1;
	}
	memcpy(j->fd, mine, sizeof(mine));
	return 0;
fail_extra:
	for (k = 0; k < nextra && nextra <= POOL_MAX_EXTRA_FDS; k++) {
		if (map[3 + k].parent_fd >= 0)
			close(map[3 + k].parent_fd);
	}
	return -1;
}

static void
start_job(struct pool *p, size_t i)
{
	struct pool_job *j = &p->jobs[i];

	j->started = time_now_ms();
	j->state = JOB_RUNNING;
	p->running[p->nrunning++] = i;
	j->reader = malloc(sizeof(struct events_reader));
	if (j->reader == NULL || spawn_job(p, i) != 0) {
		j->code = EXIT_SPAWN;
		j->reaped = 1;
		finish(p, i);
		return;
	}
	events_reader_init(j->reader);
	if (p->job_timeout_ms > 0)
		j->term_at = j->started + p->job_timeout_ms;
	if (p->ops->started != NULL)
		p->ops->started(p->arg, i);
}

static void
signal_job(struct pool_job *j, int sig)
{
	if (j->reaped || j->pid <= 0)
		return;
	j->killed = 1;
	spawn_kill_group(j->pid, sig);
	if (sig != SIGKILL && j->kill_at == 0)
		j->kill_at = time_now_ms() + POOL_KILL_GRACE_MS;
}

void
pool_stop(struct pool *p, int sig)
{
	size_t r;

	p->stopping = 1;
	p->stop_sig = sig;
	while (p->next < p->njobs) {
		p->jobs[p->next].state = JOB_SKIPPED;
		p->jobs[p->next].code = -1;
		p->ndone++;
		p->ops->done(p->arg, p->next++);
	}
	for (r = 0; r < p->nrunning; r++)
		signal_job(&p->jobs[p->running[r]], sig);
}

static void
reap(struct pool *p)
{
	int status;
	pid_t pid;
	size_t r;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		for (r = 0; r < p->nrunning; r++) {
			struct pool_job *j = &p->jobs[p->running[r]];

			if (j->pid == pid) {
				j->reaped = 1;
				j->code = spawn_exit_code(status);
				break;
			}
		}
	}
}

struct evctx {
	struct pool	*p;
	size_t		 i;
};

static void
on_event(json_t *ev, void *arg)
{
	struct evctx *c = arg;

	if (c->p->ops->event != NULL)
		c->p->ops->event(c->p->arg, c->i, ev);
}

static void
drain(struct pool *p, size_t i, int which)
{
	struct pool_job *j = &p->jobs[i];
	struct evctx c = { p, i };
	ssize_t n;

	if (which == 2) {
		if (events_read(j->reader, j->fd[2], on_event, &c) != 0) {
			close(j->fd[2]);
			j->fd[2] = -1;
		}
		return;
	}
	n = read(j->fd[which], p->chunk, READ_CHUNK);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		close(j->fd[which]);
		j->fd[which] = -1;
		return;
	}
	p->ops->data(p->arg, i, which + 1, p->chunk, (size_t)n);
}

static void
handle_signals(struct pool *p, int sigfd)
{
	unsigned char sigs[64];
	ssize_t n, k;

	while ((n = read(sigfd, sigs, sizeof(sigs))) > 0) {
		for (k = 0; k < n; k++) {
			if (sigs[k] == SIGCHLD)
				reap(p);
			else if (p->ops->signal != NULL)
				p->ops->signal(p->arg, sigs[k]);
		}
	}
}

/* Timeouts: SIGTERM at term_at, SIGKILL at kill_at; the next deadline. */
static int64_t
check_deadlines(struct pool *p, int64_t now)
{
	int64_t next = 0;
	size_t r;

	for (r = 0; r < p->nrunning; r++) {
		struct pool_job *j = &p->jobs[p->running[r]];

		if (j->reaped)
			continue;
		if (j->term_at != 0 && now >= j->term_at) {
			j->timed_out = 1;
			j->term_at = 0;
			signal_job(j, SIGTERM);
		}
		if (j->kill_at != 0 && now >= j->kill_at) {
			j->kill_at = 0;
			spawn_kill_group(j->pid, SIGKILL);
		}
		next = time_min_deadline(next, time_min_deadline(j->term_at, j->kill_at));
	}
	return next;
}

static nfds_t
build_pollset(struct pool *p, int sigfd)
{
	nfds_t n = 0;
	size_t r;
	int k;

	p->pfd[n].fd = sigfd;
	p->pfd[n++].events = POLLIN;
	for (r = 0; r < p->nrunning; r++) {
		struct pool_job *j = &p->jobs[p->running[r]];

		for (k = 0; k < 3; k++) {
			if (j->fd[k] < 0)
				continue;
			p->pfd[n].fd = j->fd[k];
			p->pfd[n].events = POLLIN;
			p->pjob[n] = p->running[r];
			p->pwhich[n++] = k;
		}
	}
	return n;
}

static void
finish_completed(struct pool *p)
{
	size_t r = 0;

	while (r < p->nrunning) {
		struct pool_job *j = &p->jobs[p->running[r]];

		if (j->reaped && j->fd[0] < 0 && j->fd[1] < 0 && j->fd[2] < 0)
			finish(p, p->running[r]);	/* swaps another job into r */
		else
			r++;
	}
}

int
pool_run(struct pool *p, int sigfd, struct errbuf *eb)
{
	int64_t next;
	nfds_t n, k;
	int rc;

	while (p->ndone < p->njobs) {
		/* Free the slots of ended workers first, then fill them. */
		finish_completed(p);
		while (!p->stopping && p->nrunning < p->parallel && p->next < p->njobs)
			start_job(p, p->next++);
		if (p->ndone >= p->njobs)
			break;
		next = check_deadlines(p, time_now_ms());
		n = build_pollset(p, sigfd);
		rc = poll(p->pfd, n, time_poll_timeout(next, time_now_ms()));
		if (rc < 0 && errno != EINTR)
			return err_set_sys(eb, "poll");
		if (rc > 0 && p->pfd[0].revents != 0)
			handle_signals(p, sigfd);
		for (k = 1; rc > 0 && k < n; k++) {
			if (p->pfd[k].revents != 0)
				drain(p, p->pjob[k], p->pwhich[k]);
		}
	}
	return 0;
}
