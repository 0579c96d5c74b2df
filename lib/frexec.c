/*
 * frexec: spawn, stream, time out.  See frexec.h.
 */
#include "config.h"

#include <sys/syscall.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "frexec.h"
#include "frinput.h"
#include "spawn.h"
#include "timeutil.h"

/* One output stream of the child, split into lines. */
struct stream {
	int	 fd;		/* -1 at EOF */
	int	 is_err;
	size_t	 len;
	char	 buf[FR_STREAM_LINE];
};

struct run {
	const struct fr_exec	*x;
	struct stream		 out;
	struct stream		 err;
	uint64_t		 sent;		/* line bytes + 1 per line */
	int			 truncated;
};

static void
emit(struct run *r, int is_err, const char *data, size_t len)
{
	char note[96];

	if (r->truncated)
		return;
	if (r->sent + len + 1 > r->x->max_stream_bytes) {
		r->truncated = 1;
		snprintf(note, sizeof(note), "ssh-frontiere: output truncated (max %lluMB exceeded)",
		    (unsigned long long)(r->x->max_stream_bytes / 1048576));
		r->x->sink(r->x->arg, 1, note, strlen(note));
		return;
	}
	r->sent += len + 1;
	r->x->sink(r->x->arg, is_err, data, len);
}

/* Read what is there; forward whole lines, or a full buffer as one. */
static void
drain(struct run *r, struct stream *s)
{
	char *lf;
	size_t k;
	ssize_t n;

	n = read(s->fd, s->buf + s->len, sizeof(s->buf) - s->len);
	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return;
	if (n <= 0) {
		if (s->len > 0)
			emit(r, s->is_err, s->buf, s->len);
		s->len = 0;
		close(s->fd);
		s->fd = -1;
		return;
	}
	s->len += (size_t)n;
	while ((lf = memchr(s->buf, '\n', s->len)) != NULL) {
		k = (size_t)(lf - s->buf);
		emit(r, s->is_err, s->buf, k);
		memmove(s->buf, lf + 1, s->len - k - 1);
		s->len -= k + 1;
	}
	if (s->len == sizeof(s->buf)) {
		emit(r, s->is_err, s->buf, s->len);
		s->len = 0;
	}
}

/* argv[0] as the path to exec: itself with a '/', else found in FR_PATH. */
void
frexec_find_program(const char *name, char *path, size_t len)
{
	const char *dirs[] = { "/usr/local/bin", "/usr/bin", "/bin" };
	size_t i;

	if (strchr(name, '/') != NULL) {
		snprintf(path, len, "%s", name);
		return;
	}
	for (i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		snprintf(path, len, "%s/%s", dirs[i], name);
		if (access(path, F_OK) == 0)
			return;
	}
	snprintf(path, len, "%s/%s", dirs[0], name);
}

static int
pidfd_of(pid_t pid)
{
#ifdef SYS_pidfd_open
	return (int)syscall(SYS_pidfd_open, pid, 0);
#else
	(void)pid;
	return -1;
#endif
}

/* The body goes in as the child reads it; 0 done, 1 more to write, -1 EPIPE. */
static int
feed(int fd, const char *body, size_t len, size_t *off)
{
	ssize_t w;

	if (*off == len)
		return 0;
	w = write(fd, body + *off, len - *off);
	if (w < 0)
		return errno == EAGAIN || errno == EINTR ? 1 : -1;
	*off += (size_t)w;
	return *off == len ? 0 : 1;
}

static pid_t
start(const struct fr_exec *x, int outp[2], int errp[2], int inp[2], struct fr_exec_status *st)
{
	char path[4096], env_sess[128], *envp[3];
	struct spawn_fd map[3];
	struct errbuf eb;
	pid_t pid;

	frexec_find_program(x->argv[0], path, sizeof(path));
	snprintf(env_sess, sizeof(env_sess), "SSH_FRONTIERE_SESSION=%s", x->session_id);
	envp[0] = (char *)"PATH=" FR_PATH;
	envp[1] = env_sess;
	envp[2] = NULL;
	map[0].child_fd = 0;
	map[0].parent_fd = x->body ? inp[0] : -1;
	map[1].child_fd = 1;
	map[1].parent_fd = outp[1];
	map[2].child_fd = 2;
	map[2].parent_fd = errp[1];
	pid = spawn_start_env(path, x->argv, envp, map, 3, SPAWN_PGROUP, &eb);
	if (pid < 0) {
		st->result = FRX_SPAWN_ERROR;
		snprintf(st->error, sizeof(st->error), "%s (os error %d)", strerror(errno), errno);
	}
	return pid;
}

struct waitstate {
	pid_t	 pid;
	int	 pidfd;
	int	 exited;
	int	 wstatus;
};

static void
reap(struct waitstate *w, int block)
{
	pid_t p;

	if (w->exited)
		return;
	do {
		p = waitpid(w->pid, &w->wstatus, block ? 0 : WNOHANG);
	} while (p < 0 && errno == EINTR);
	if (p == w->pid || (p < 0 && errno == ECHILD))
		w->exited = 1;
}

static void
close_pipe(int p[2])
{
	if (p[0] >= 0)
		close(p[0]);
	if (p[1] >= 0)
		close(p[1]);
	p[0] = p[1] = -1;
}

/*
 * The loop.  Ends when the child is gone and both pipes are at EOF; after
 * a timeout, when the group has been killed and the pipes drained.
 */
static void
supervise(struct run *r, struct waitstate *w, int infd, struct fr_exec_status *st)
{
	const struct fr_exec *x = r->x;
	int64_t now = time_now_ms(), deadline, grace = 0, stop = 0, left;
	struct pollfd pfd[4];
	size_t off = 0, n;
	int timed_out = 0, stdin_failed = 0, fr;

	deadline = now + (int64_t)(x->timeout > 86400000 ? 86400000 : x->timeout) * 1000;
	for (;;) {
		now = time_now_ms();
		if (!timed_out && now >= deadline) {
			timed_out = 1;
			spawn_kill_group(w->pid, SIGTERM);
			grace = now + FR_KILL_GRACE;
		}
		if (timed_out && (w->exited || now >= grace) && stop == 0) {
			/* The child is gone or out of grace: its whole group goes. */
			spawn_kill_group(w->pid, SIGKILL);
			reap(w, 1);
			stop = time_now_ms() + 1000;
		}
		if (w->exited && r->out.fd < 0 && r->err.fd < 0)
			break;
		if (stop != 0 && now >= stop)
			break;
		n = 0;
		if (r->out.fd >= 0)
			pfd[n++] = (struct pollfd){ r->out.fd, POLLIN, 0 };
		if (r->err.fd >= 0)
			pfd[n++] = (struct pollfd){ r->err.fd, POLLIN, 0 };
		if (infd >= 0)
			pfd[n++] = (struct pollfd){ infd, POLLOUT, 0 };
		if (!w->exited && w->pidfd >= 0)
			pfd[n++] = (struct pollfd){ w->pidfd, POLLIN, 0 };
		left = stop ? stop - now : timed_out ? grace - now : deadline - now;
		if (w->pidfd < 0 && !w->exited && left > 100)
			left = 100;	/* no pidfd: look at the child now and then */
		if (left < 0)
			left = 0;
		if (poll(pfd, n, (int)left) < 0 && errno != EINTR)
			break;
		if (r->out.fd >= 0)
			drain(r, &r->out);
		if (r->err.fd >= 0)
			drain(r, &r->err);
		if (infd >= 0 && (fr = feed(infd, x->body, x->bodylen, &off)) <= 0) {
			stdin_failed = fr < 0;
			close(infd);
			infd = -1;
		}
		reap(w, 0);
		if (w->exited && infd >= 0) {
			stdin_failed = off < x->bodylen;
			close(infd);
			infd = -1;
		}
	}
	if (infd >= 0)
		close(infd);
	if (r->out.fd >= 0)
		close(r->out.fd);
	if (r->err.fd >= 0)
		close(r->err.fd);
	reap(w, 1);
	if (timed_out) {
		st->result = FRX_TIMEOUT;
		st->code = 130;
	} else if (stdin_failed) {
		st->result = FRX_STDIN_CLOSED;
		st->code = 133;
	} else {
		st->result = FRX_EXITED;
		st->code = spawn_exit_code(w->wstatus);
	}
}

int
frexec_wait(pid_t pid, int64_t ms, int *wstatus)
{
	int64_t end = time_now_ms() + ms, left;
	struct pollfd pfd;
	pid_t p;
	int fd = pidfd_of(pid);

	for (;;) {
		do {
			p = waitpid(pid, wstatus, WNOHANG);
		} while (p < 0 && errno == EINTR);
		if (p != 0)
			break;
		if ((left = end - time_now_ms()) <= 0) {
			spawn_kill_group(pid, SIGKILL);
			while (waitpid(pid, wstatus, 0) < 0 && errno == EINTR)
				continue;
			break;
		}
		/* Without a pidfd (old kernels), look again every 20 ms. */
		pfd.fd = fd;
		pfd.events = POLLIN;
		(void)poll(&pfd, fd >= 0 ? 1 : 0, fd >= 0 && left < INT32_MAX ? (int)left :
		    left < 20 ? (int)left : 20);
	}
	if (fd >= 0)
		close(fd);
	return p == 0 ? 1 : 0;
}

void
frexec_run(const struct fr_exec *x, struct fr_exec_status *st)
{
	int outp[2] = { -1, -1 }, errp[2] = { -1, -1 }, inp[2] = { -1, -1 };
	struct waitstate w = { -1, -1, 0, 0 };
	struct errbuf eb;
	struct run *r;

	memset(st, 0, sizeof(*st));
	if (x->argv == NULL || x->argv[0] == NULL) {
		st->result = FRX_EMPTY;
		st->code = 128;
		return;
	}
	if (x->nul) {
		st->result = FRX_SPAWN_ERROR;
		st->code = 128;
		snprintf(st->error, sizeof(st->error), "nul byte found in provided data");
		return;
	}
	st->code = 128;
	if ((r = calloc(1, sizeof(*r))) == NULL || spawn_pipe(outp, &eb) < 0 ||
	    spawn_pipe(errp, &eb) < 0 || (x->body && spawn_pipe(inp, &eb) < 0)) {
		st->result = FRX_SPAWN_ERROR;
		snprintf(st->error, sizeof(st->error), "%.200s", r ? eb.msg : "out of memory");
		goto out;
	}
	/*
	 * A one-page body pipe: "written" then means read by the child, so a
	 * child that exits without reading its body is a 133 every time, not
	 * only when the body outgrows the kernel's 64 KiB buffer.
	 */
	if (inp[1] >= 0)
		(void)fcntl(inp[1], F_SETPIPE_SZ, 4096);
	if ((w.pid = start(x, outp, errp, inp, st)) < 0)
		goto out;
	w.pidfd = pidfd_of(w.pid);
	close(outp[1]);
	close(errp[1]);
	outp[1] = errp[1] = -1;
	if (inp[0] >= 0) {
		close(inp[0]);
		inp[0] = -1;
		(void)spawn_set_nonblock(inp[1], 1);
	}
	(void)spawn_set_nonblock(outp[0], 1);
	(void)spawn_set_nonblock(errp[0], 1);
	r->x = x;
	r->out.fd = outp[0];
	r->err.fd = errp[0];
	r->err.is_err = 1;
	outp[0] = errp[0] = -1;
	supervise(r, &w, inp[1], st);
	inp[1] = -1;
	if (w.pidfd >= 0)
		close(w.pidfd);
out:
	close_pipe(outp);
	close_pipe(errp);
	close_pipe(inp);
	free(r);
}
