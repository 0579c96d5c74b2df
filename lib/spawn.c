#include "config.h"

#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "spawn.h"

static void	child_exec(const char *, char *const [], char *const [],
		    const struct spawn_fd *, size_t, int, int) __attribute__((noreturn));

int
spawn_pipe(int fds[2], struct errbuf *eb)
{
	if (pipe2(fds, O_CLOEXEC) != 0)
		return err_set_sys(eb, "pipe");
	return 0;
}

int
spawn_set_nonblock(int fd, int on)
{
	int fl = fcntl(fd, F_GETFL);

	if (fl < 0)
		return -1;
	fl = on ? (fl | O_NONBLOCK) : (fl & ~O_NONBLOCK);
	return fcntl(fd, F_SETFL, fl);
}

int
spawn_sanitize_stdfds(void)
{
	int fd;

	for (;;) {
		fd = open("/dev/null", O_RDWR);
		if (fd < 0)
			return -1;
		if (fd > STDERR_FILENO) {
			close(fd);
			return 0;
		}
	}
}

int
spawn_write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len > 0) {
		ssize_t w = write(fd, p, len);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -1;
		p += w;
		len -= (size_t)w;
	}
	return 0;
}

int
spawn_exit_code(int wstatus)
{
	if (WIFEXITED(wstatus))
		return WEXITSTATUS(wstatus);
	if (WIFSIGNALED(wstatus))
		return 128 + WTERMSIG(wstatus);
	return 255;
}

int
spawn_kill_group(pid_t pid, int sig)
{
	if (pid <= 0)
		return -1;
	if (kill(-pid, sig) == 0)
		return 0;
	return kill(pid, sig);
}

static void
reset_signals(void)
{
	struct sigaction sa;
	sigset_t none;
	int sig;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_DFL;
	for (sig = 1; sig < NSIG; sig++)
		(void)sigaction(sig, &sa, NULL);
	sigemptyset(&none);
	(void)sigprocmask(SIG_SETMASK, &none, NULL);
}

static int
cmp_int(const void *a, const void *b)
{
	return *(const int *)a - *(const int *)b;
}

/* Close every fd except those in keep[0..n) (sorted, distinct). */
static void
close_all_but(int *keep, size_t n)
{
	unsigned int lo = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		if ((unsigned int)keep[i] > lo)
			(void)close_range(lo, (unsigned int)keep[i] - 1, 0);
		lo = (unsigned int)keep[i] + 1;
	}
	(void)close_range(lo, ~0U, 0);
}

/*
 * In the child: lift every source (and the exec-error pipe) above every
 * fd involved, so no dup2 clobbers a source still to be moved, then map,
 * then close everything that is neither a target nor the error pipe.
 */
static int
map_fds(const struct spawn_fd *map, size_t nmap, int *errfd)
{
	int lifted[SPAWN_MAP_MAX], keep[SPAWN_MAP_MAX + 4], top = *errfd;
	size_t i, nkeep = 0;
	int std[3] = { 1, 1, 1 };	/* 0, 1 and 2 stay unless mapped */

	for (i = 0; i < nmap; i++) {
		if (map[i].child_fd > top)
			top = map[i].child_fd;
		if (map[i].parent_fd > top)
			top = map[i].parent_fd;
	}
	if ((*errfd = fcntl(*errfd, F_DUPFD_CLOEXEC, top + 1)) < 0)
		return -1;
	for (i = 0; i < nmap; i++) {
		int src = map[i].parent_fd;

		if (src < 0 && (src = open("/dev/null", O_RDWR | O_CLOEXEC)) < 0)
			return -1;
		if ((lifted[i] = fcntl(src, F_DUPFD_CLOEXEC, *errfd + 1)) < 0)
			return -1;
	}
	for (i = 0; i < nmap; i++) {
		if (dup2(lifted[i], map[i].child_fd) < 0)
			return -1;
		keep[nkeep++] = map[i].child_fd;
		if (map[i].child_fd <= 2)
			std[map[i].child_fd] = 0;
	}
	for (i = 0; i < 3; i++) {
		if (std[i])
			keep[nkeep++] = (int)i;
	}
	keep[nkeep++] = *errfd;
	qsort(keep, nkeep, sizeof(int), cmp_int);
	close_all_but(keep, nkeep);
	return 0;
}

static void
child_exec(const char *path, char *const argv[], char *const envp[], const struct spawn_fd *map,
    size_t nmap, int flags, int errfd)
{
	int e;

	reset_signals();
	if ((flags & SPAWN_PGROUP) && setpgid(0, 0) != 0)
		goto fail;
	if (map_fds(map, nmap, &errfd) != 0)
		goto fail;
	if (envp != NULL)
		execve(path, argv, envp);
	else
		execv(path, argv);
fail:
	e = errno;
	(void)!write(errfd, &e, sizeof(e));
	_exit(127);
}

pid_t
spawn_start(const char *path, char *const argv[], const struct spawn_fd *map,
    size_t nmap, int flags, struct errbuf *eb)
{
	return spawn_start_env(path, argv, NULL, map, nmap, flags, eb);
}

pid_t
spawn_start_env(const char *path, char *const argv[], char *const envp[],
    const struct spawn_fd *map, size_t nmap, int flags, struct errbuf *eb)
{
	int ep[2], e = 0;
	ssize_t r;
	pid_t pid;

	if (nmap > SPAWN_MAP_MAX)
		return err_set(eb, "spawn %s: too many fds", path);
	if (spawn_pipe(ep, eb) != 0)
		return -1;
	pid = fork();
	if (pid < 0) {
		err_set_sys(eb, "fork");
		close(ep[0]);
		close(ep[1]);
		return -1;
	}
	if (pid == 0)
		child_exec(path, argv, envp, map, nmap, flags, ep[1]);
	close(ep[1]);
	if (flags & SPAWN_PGROUP)
		(void)setpgid(pid, pid);	/* also in the child: no race */
	do {
		r = read(ep[0], &e, sizeof(e));
	} while (r < 0 && errno == EINTR);
	close(ep[0]);
	if (r == (ssize_t)sizeof(e)) {
		(void)waitpid(pid, NULL, 0);
		errno = e;
		return err_set_sys(eb, "exec %s", path);
	}
	return pid;
}

char *
spawn_find_helper(const char *name, const char *dir, char *path, size_t len)
{
	char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	char *slash;

	if (n > 0) {
		self[n] = '\0';
		if ((slash = strrchr(self, '/')) != NULL) {
			*slash = '\0';
			if ((size_t)snprintf(path, len, "%s/%s", self, name) < len &&
			    access(path, X_OK) == 0)
				return path;
		}
	}
	snprintf(path, len, "%s/%s", dir, name);
	return path;
}

size_t
spawn_fd_budget(size_t per_child)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
		return 100;
	if (rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		(void)setrlimit(RLIMIT_NOFILE, &rl);
		(void)getrlimit(RLIMIT_NOFILE, &rl);
	}
	if (per_child == 0)
		per_child = 1;
	return rl.rlim_cur > 128 ? (size_t)((rl.rlim_cur - 64) / per_child) : 8;
}
