/*
 * pool: run one worker process per job with at most `parallel' at once,
 * in a single-threaded poll(2) loop.
 *
 * Each worker gets stdout and stderr pipes (fds 1 and 2), a status pipe on
 * fd 3 (JSON lines, see lib/events) and whatever the prepare callback adds
 * (stdin, a secrets fd).  Every worker leads its own process group, so a
 * terminal's Ctrl+C reaches only the driver, and a stop or a timeout takes
 * down the whole group: SIGTERM first, SIGKILL POOL_KILL_GRACE_MS later.
 * A job is done once its worker is reaped and all its pipes reached end of
 * file, so no trailing output is lost.
 *
 * The caller owns signal handling: it passes a self-pipe that carries
 * signal numbers (one byte each); SIGCHLD there makes the pool reap, other
 * signals go to the signal callback.
 */
#ifndef BSSH_POOL_H
#define BSSH_POOL_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <jansson.h>

#include "err.h"
#include "spawn.h"

#define POOL_KILL_GRACE_MS	2000
#define POOL_MAX_EXTRA_FDS	4

enum job_state {
	JOB_QUEUED = 0,
	JOB_RUNNING,
	JOB_DONE,
	JOB_SKIPPED	/* never started: the pool was stopped first */
};

struct pool_job {
	char		**argv;		/* worker argv; argv[0] is the path */
	enum job_state	 state;
	int		 code;		/* exit code, 128+N for signal N */
	int		 killed;	/* the pool signalled it */
	int		 timed_out;	/* ... because of the job timeout */
	int64_t		 started;	/* monotonic ms */
	int64_t		 ended;
	/* Private to the pool. */
	pid_t		 pid;
	int		 fd[3];		/* stdout, stderr, status; -1 once closed */
	int		 reaped;
	int64_t		 term_at;
	int64_t		 kill_at;
	void		*reader;
};

struct pool_ops {
	/* Add fds for job i (e.g. child 0 = stdin, 4 = secrets) to extra;
	 * returns how many, or -1 to fail the job (it ends with code 255).
	 * The pool closes the parent_fd of each after the spawn. */
	int	(*prepare)(void *arg, size_t i, struct spawn_fd *extra);
	void	(*started)(void *arg, size_t i);
	/* stream 1 = stdout, 2 = stderr */
	void	(*data)(void *arg, size_t i, int stream, const char *buf, size_t len);
	/* A status line (borrowed). */
	void	(*event)(void *arg, size_t i, json_t *ev);
	/* Job i is DONE or SKIPPED; its code is final. */
	void	(*done)(void *arg, size_t i);
	/* A signal other than SIGCHLD arrived. */
	void	(*signal)(void *arg, int sig);
};

struct pool;

/*
 * A pool over jobs[0..njobs) (borrowed; they must outlive the pool).
 * job_timeout_ms > 0 kills a worker that runs longer.  NULL when out of
 * memory.
 */
struct pool	*pool_new(struct pool_job *jobs, size_t njobs, size_t parallel,
		    int64_t job_timeout_ms, const struct pool_ops *ops, void *arg);
void		 pool_free(struct pool *p);

/*
 * Run until every job is DONE or SKIPPED.  sigfd is the read end of the
 * caller's (non-blocking) signal self-pipe.  0, or -1 with eb set when the
 * loop itself fails (poll).
 */
int		 pool_run(struct pool *p, int sigfd, struct errbuf *eb);

/*
 * Stop: queued jobs become SKIPPED, running workers get sig (then SIGKILL
 * after the grace time).  Safe to call from callbacks and more than once.
 */
void		 pool_stop(struct pool *p, int sig);

/* Counters for status displays. */
void		 pool_counts(const struct pool *p, size_t *queued, size_t *running,
		    size_t *done);

#endif
