/*
 * Unit tests of lib/spawn: fd maps (plain, high, swapped, cyclic, to
 * themselves, /dev/null), the exact set of fds a child inherits, process
 * groups, signal reset, synchronous exec errors without zombies, killing a
 * group, exit codes, close-on-exec pipes, fd sanitising and helper lookup.
 * The children are /bin/sh scripts: fine in a test, never in the product.
 */
#include "config.h"

#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tap.h"
#include "spawn.h"

#define WAIT_MS	20000	/* bound on any wait for a child */

static struct errbuf eb;
static char	self[PATH_MAX];

static pid_t	 sh(const char *, const struct spawn_fd *, size_t, int);
static char	*slurp(int);
static int	 reap(pid_t);
static int	 is_free(int);
static int	 high_pipe(int [2]);
static char	*run_out(const char *, struct spawn_fd *, size_t, int *);
static int	 cmp_int(const void *, const void *);
static int	 fdlist(void);
static char	*child_fds(struct spawn_fd *, size_t);
static void	 test_stdout(void);
static void	 test_high_fds(void);
static void	 test_swap(void);
static void	 test_cycle(void);
static void	 test_devnull(void);
static void	 test_inherit(void);
static void	 test_errpipe(void);
static void	 test_pgroup(void);
static void	 test_signals(void);
static void	 test_exec_errors(void);
static void	 test_kill_group(void);
static void	 test_exit_codes(void);
static void	 test_pipe(void);
static void	 test_write_all(void);
static void	 test_sanitize(void);
static void	 test_find_helper(void);

static pid_t
sh(const char *script, const struct spawn_fd *map, size_t nmap, int flags)
{
	char *argv[] = { "sh", "-c", (char *)script, NULL };

	memset(&eb, 0, sizeof(eb));
	return spawn_start("/bin/sh", argv, map, nmap, flags, &eb);
}

/* Read fd to end of file (bounded wait), close it; the text (malloc'd). */
static char *
slurp(int fd)
{
	size_t cap = 1 << 16, n = 0;
	char *buf = malloc(cap + 1);
	struct pollfd pfd = { fd, POLLIN, 0 };
	ssize_t r = 0;

	while (n < cap && poll(&pfd, 1, WAIT_MS) == 1 &&
	    (r = read(fd, buf + n, cap - n)) > 0) {
		n += (size_t)r;
	}
	buf[n] = '\0';
	close(fd);
	return buf;
}

/* Wait for pid; its spawn_exit_code, or -1. */
static int
reap(pid_t pid)
{
	int st;

	if (pid <= 0) {
		return -1;
	}
	while (waitpid(pid, &st, 0) != pid) {
		if (errno != EINTR) {
			return -1;
		}
	}
	return spawn_exit_code(st);
}

static int
is_free(int fd)
{
	return fcntl(fd, F_GETFD) == -1 && errno == EBADF;
}

/* A close-on-exec pipe with both ends at 100 or above. */
static int
high_pipe(int p[2])
{
	int lo[2];

	if (spawn_pipe(lo, &eb) != 0) {
		return -1;
	}
	p[0] = fcntl(lo[0], F_DUPFD_CLOEXEC, 100);
	p[1] = fcntl(lo[1], F_DUPFD_CLOEXEC, 100);
	close(lo[0]);
	close(lo[1]);
	return p[0] >= 0 && p[1] >= 0 ? 0 : -1;
}

/* Run script with map plus its stdout on a pipe; the output (malloc'd). */
static char *
run_out(const char *script, struct spawn_fd *map, size_t nmap, int *code)
{
	struct spawn_fd all[16];
	int p[2];
	pid_t pid;
	char *out;

	if (spawn_pipe(p, &eb) != 0) {
		return strdup("(pipe failed)");
	}
	memcpy(all, map, nmap * sizeof(*map));
	all[nmap].child_fd = 1;
	all[nmap].parent_fd = p[1];
	pid = sh(script, all, nmap + 1, 0);
	close(p[1]);
	out = slurp(p[0]);
	*code = reap(pid);
	return out;
}

static void
test_stdout(void)
{
	struct spawn_fd map[2] = { { 0, -1 }, { 2, -1 } };
	char *out;
	int code;

	out = run_out("echo hello", map, 2, &code);
	is_str(out, "hello\n", "stdout: child fd 1 is the pipe");
	is_long(code, 0, "stdout: exit 0");
	free(out);
	out = run_out("echo out", map, 0, &code);
	is_str(out, "out\n", "stdout: empty map besides stdout");
	free(out);
}

static void
test_high_fds(void)
{
	int a[2], b[2];
	struct spawn_fd map[3];
	pid_t pid;
	char *oa, *ob;

	if (high_pipe(a) != 0 || high_pipe(b) != 0) {
		ok(0, "high fds: pipes");
		return;
	}
	map[0] = (struct spawn_fd){ 3, a[1] };
	map[1] = (struct spawn_fd){ 7, b[1] };
	map[2] = (struct spawn_fd){ 1, -1 };
	pid = sh("echo three >&3; echo seven >&7", map, 3, 0);
	ok(pid > 0, "high fds: started");
	close(a[1]);
	close(b[1]);
	oa = slurp(a[0]);
	ob = slurp(b[0]);
	is_str(oa, "three\n", "high fds: child fd 3");
	is_str(ob, "seven\n", "high fds: child fd 7");
	is_long(reap(pid), 0, "high fds: exit 0");
	free(oa);
	free(ob);
}

static void
test_swap(void)
{
	struct spawn_fd map[2] = { { 4, 5 }, { 5, 4 } };
	int a[2], b[2], hold3, hold6;
	pid_t pid;
	char *oa, *ob;

	if (high_pipe(a) != 0 || high_pipe(b) != 0 || !is_free(4) ||
	    !is_free(5)) {
		ok(0, "swap: setup (fds 4 and 5 free)");
		return;
	}
	dup3(a[1], 4, O_CLOEXEC);
	dup3(b[1], 5, O_CLOEXEC);
	close(a[1]);
	close(b[1]);
	/* Keep the exec-error pipe off 3 and 6 (see test_errpipe). */
	hold3 = open("/dev/null", O_RDONLY | O_CLOEXEC);
	hold6 = open("/dev/null", O_RDONLY | O_CLOEXEC);
	pid = sh("echo four >&4; echo five >&5", map, 2, 0);
	ok(pid > 0, "swap: started");
	close(4);
	close(5);
	close(hold3);
	close(hold6);
	oa = slurp(a[0]);
	ob = slurp(b[0]);
	is_str(ob, "four\n", "swap: child 4 <- parent 5");
	is_str(oa, "five\n", "swap: child 5 <- parent 4");
	is_long(reap(pid), 0, "swap: exit 0");
	free(oa);
	free(ob);
}

static void
test_cycle(void)
{
	struct spawn_fd map[4] = { { 3, 4 }, { 4, 5 }, { 5, 3 }, { 6, 6 } };
	int p[4][2], i;
	char *o[4];
	pid_t pid;

	for (i = 0; i < 4; i++) {
		if (high_pipe(p[i]) != 0 || !is_free(3 + i)) {
			ok(0, "cycle: setup (fds 3-6 free)");
			return;
		}
	}
	for (i = 0; i < 4; i++) {
		dup3(p[i][1], 3 + i, O_CLOEXEC);	/* fd 3+i: pipe i */
		close(p[i][1]);
	}
	pid = sh("echo c3 >&3; echo c4 >&4; echo c5 >&5; echo c6 >&6",
	    map, 4, 0);
	ok(pid > 0, "cycle: started");
	for (i = 0; i < 4; i++) {
		close(3 + i);
	}
	for (i = 0; i < 4; i++) {
		o[i] = slurp(p[i][0]);
	}
	is_str(o[1], "c3\n", "cycle: child 3 <- parent 4");
	is_str(o[2], "c4\n", "cycle: child 4 <- parent 5");
	is_str(o[0], "c5\n", "cycle: child 5 <- parent 3");
	is_str(o[3], "c6\n",
	    "cycle: child 6 <- parent 6 (close-on-exec in the parent)");
	is_long(reap(pid), 0, "cycle: exit 0");
	for (i = 0; i < 4; i++) {
		free(o[i]);
	}
}

static void
test_devnull(void)
{
	struct spawn_fd map[2] = { { 0, -1 }, { 7, -1 } };
	char *out;
	int code;

	out = run_out("cat; readlink /proc/self/fd/0 /proc/self/fd/7; "
	    "echo done",
	    map, 2, &code);
	is_str(out, "/dev/null\n/dev/null\ndone\n",
	    "devnull: parent_fd -1 is /dev/null");
	is_long(code, 0, "devnull: cat saw end of file at once");
	free(out);
}

static int
cmp_int(const void *a, const void *b)
{
	return *(const int *)a - *(const int *)b;
}

/* The child side of child_fds(): print our open fds, sorted. */
static int
fdlist(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *de;
	int fds[256], n = 0, i;

	if (d == NULL) {
		return 1;
	}
	while ((de = readdir(d)) != NULL && n < 256) {
		if (de->d_name[0] != '.' && atoi(de->d_name) != dirfd(d)) {
			fds[n++] = atoi(de->d_name);
		}
	}
	closedir(d);
	qsort(fds, (size_t)n, sizeof(fds[0]), cmp_int);
	for (i = 0; i < n; i++) {
		printf("%s%d", i > 0 ? " " : "", fds[i]);
	}
	printf("\n");
	return 0;
}

/* The fds a child spawned with map (plus stdout) has, as "0 1 2 ...". */
static char *
child_fds(struct spawn_fd *map, size_t nmap)
{
	char *argv[] = { "test_spawn", "--fdlist", NULL };
	struct spawn_fd all[16];
	int p[2];
	pid_t pid;
	char *out;

	if (spawn_pipe(p, &eb) != 0) {
		return strdup("(pipe failed)");
	}
	memcpy(all, map, nmap * sizeof(*map));
	all[nmap].child_fd = 1;
	all[nmap].parent_fd = p[1];
	pid = spawn_start(self, argv, all, nmap + 1, 0, &eb);
	close(p[1]);
	out = slurp(p[0]);
	reap(pid);
	return out;
}

/* Parent fds 60 (inheritable) and 61 (close-on-exec) lie above every map. */
static void
test_inherit(void)
{
	struct spawn_fd map[3] = { { 0, -1 }, { 2, -1 }, { 3, -1 } };
	int keep = fcntl(1, F_DUPFD, 60);
	int cloexec = fcntl(1, F_DUPFD_CLOEXEC, 61);
	int hole, high = fcntl(1, F_DUPFD_CLOEXEC, 100);
	char *out;

	out = child_fds(map, 3);
	is_str(out, "0 1 2 3\n", "inherit: exactly the mapped fds");
	free(out);
	out = child_fds(map, 2);
	is_str(out, "0 1 2\n", "inherit: exactly 0 1 2");
	free(out);
	map[2].child_fd = 20;
	out = child_fds(map, 3);
	is_str(out, "0 1 2 20\n",
	    "inherit: the /dev/null opened for fd 20 does not leak");
	free(out);
	map[0] = (struct spawn_fd){ 20, high };
	hole = fcntl(1, F_DUPFD, 9);	/* inheritable, below the map's top */
	out = child_fds(map, 1);
	is_str(out, "0 1 2 20\n",
	    "inherit: an inheritable fd below the top of the map "
	    "does not leak");
	free(out);
	close(hole);
	close(high);
	close(keep);
	close(cloexec);
}

/*
 * The exec-error pipe takes the lowest free fds (3 and 4 here), and the
 * map may target them: child fd 3 leaves its write end at maxfd + 1, child
 * fd 4 is its write end.
 */
static void
test_errpipe(void)
{
	struct spawn_fd map[1];
	char *argv[] = { "x", NULL }, *out;
	int p[2], q[2];
	pid_t pid;

	if (high_pipe(p) != 0 || high_pipe(q) != 0 || !is_free(3) ||
	    !is_free(4)) {
		ok(0, "errpipe: setup (fds 3 and 4 free)");
		return;
	}
	map[0] = (struct spawn_fd){ 3, p[1] };
	pid = sh("echo three >&3", map, 1, 0);
	ok(pid > 0,
	    "errpipe: child fd 3 mapped while the error pipe is at 3,4");
	if (pid < 0) {
		printf("# spawn_start: %s\n", eb.msg);
	}
	close(p[1]);
	out = slurp(p[0]);
	is_str(out, "three\n", "errpipe: child fd 3 output");
	free(out);
	reap(pid);
	map[0] = (struct spawn_fd){ 4, q[1] };
	memset(&eb, 0, sizeof(eb));
	pid = spawn_start("/nonexistent/bssh-no-prog", argv, map, 1, 0, &eb);
	is_long(pid, -1, "errpipe: exec error reported with child fd 4 mapped");
	is_str(eb.msg,
	    "exec /nonexistent/bssh-no-prog: No such file or directory",
	    "errpipe: exec error message");
	if (pid > 0) {
		printf("# child exit status %d\n", reap(pid));
	}
	close(q[1]);
	out = slurp(q[0]);
	is_long(strlen(out), 0,
	    "errpipe: no error bytes written to the mapped fd");
	free(out);
}

static void
test_pgroup(void)
{
	struct spawn_fd map[1];
	int p[2];
	pid_t pid;

	if (spawn_pipe(p, &eb) != 0) {
		ok(0, "pgroup: pipe");
		return;
	}
	map[0] = (struct spawn_fd){ 0, p[0] };
	pid = sh("read x", map, 1, SPAWN_PGROUP);
	ok(pid > 0 && getpgid(pid) == pid, "pgroup: child leads its own group");
	close(p[1]);
	is_long(reap(pid), 1, "pgroup: read saw end of file");
	if (spawn_pipe(p, &eb) != 0) {
		ok(0, "pgroup: pipe 2");
		return;
	}
	map[0].parent_fd = p[0];
	pid = sh("read x", map, 1, 0);
	ok(pid > 0 && getpgid(pid) == getpgrp(),
	    "pgroup: without the flag, our group");
	close(p[1]);
	reap(pid);
	close(p[0]);
}

static void
test_signals(void)
{
	struct sigaction ign, old;
	sigset_t usr1, oldmask;
	struct spawn_fd map[1] = { { 0, -1 } };
	char *out;
	int code;

	memset(&ign, 0, sizeof(ign));
	ign.sa_handler = SIG_IGN;
	sigaction(SIGINT, &ign, &old);
	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	sigprocmask(SIG_BLOCK, &usr1, &oldmask);
	out = run_out("grep '^SigBlk' /proc/self/status", map, 1, &code);
	is_str(out, "SigBlk:\t0000000000000000\n",
	    "signals: mask emptied in the child");
	free(out);
	out = run_out("kill -INT $$; echo survived", map, 1, &code);
	is_str(out, "", "signals: SIGINT no longer ignored");
	is_long(code, 128 + SIGINT, "signals: killed by SIGINT");
	free(out);
	sigprocmask(SIG_SETMASK, &oldmask, NULL);
	sigaction(SIGINT, &old, NULL);
}

static void
test_exec_errors(void)
{
	char *argv[] = { "x", NULL };
	char dir[] = "/tmp/test_spawn.XXXXXX", file[64];
	int fd;

	ok(spawn_start("/nonexistent/bssh-no-prog", argv, NULL, 0, 0,
	    &eb) == -1,
	    "exec: missing program fails synchronously");
	is_str(eb.msg,
	    "exec /nonexistent/bssh-no-prog: No such file or directory",
	    "exec: message");
	errno = 0;
	ok(waitpid(-1, NULL, WNOHANG) == -1 && errno == ECHILD,
	    "exec: no zombie left");
	if (mkdtemp(dir) == NULL) {
		ok(0, "exec: mkdtemp");
		return;
	}
	snprintf(file, sizeof(file), "%s/noexec", dir);
	fd = open(file, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd >= 0) {
		close(fd);
	}
	ok(spawn_start(file, argv, NULL, 0, SPAWN_PGROUP, &eb) == -1 &&
	    strstr(eb.msg, "Permission denied") != NULL,
	    "exec: non-executable file");
	ok(spawn_start(dir, argv, NULL, 0, 0, &eb) == -1 &&
	    strncmp(eb.msg, "exec ", 5) == 0, "exec: a directory");
	errno = 0;
	ok(waitpid(-1, NULL, WNOHANG) == -1 && errno == ECHILD,
	    "exec: still no zombie");
	unlink(file);
	rmdir(dir);
}

static void
test_kill_group(void)
{
	struct spawn_fd map[2] = { { 0, -1 }, { 1, -1 } };
	struct pollfd pfd;
	char line[64], *rest;
	int p[2], n;
	pid_t pid;

	if (spawn_pipe(p, &eb) != 0) {
		ok(0, "kill group: pipe");
		return;
	}
	map[1].parent_fd = p[1];
	pid = sh("sleep 100 & echo started; wait", map, 2, SPAWN_PGROUP);
	close(p[1]);
	pfd = (struct pollfd){ p[0], POLLIN, 0 };
	n = poll(&pfd, 1, WAIT_MS) != 1 ? -1 :
	    (int)read(p[0], line, sizeof(line) - 1);
	line[n > 0 ? n : 0] = '\0';
	is_str(line, "started\n", "kill group: background sleep started");
	is_long(spawn_kill_group(pid, SIGTERM), 0, "kill group: returns 0");
	is_long(reap(pid), 128 + SIGTERM, "kill group: leader killed");
	rest = slurp(p[0]);	/* end of file only once sleep is gone too */
	is_str(rest, "",
	    "kill group: the background sleep died too (pipe closed)");
	free(rest);
	if (spawn_pipe(p, &eb) != 0) {
		ok(0, "kill group: pipe 2");
		return;
	}
	map[0].parent_fd = p[0];
	pid = sh("read x", map, 1, 0);
	close(p[0]);
	is_long(spawn_kill_group(pid, SIGKILL), 0,
	    "kill group: no group: falls back to pid");
	is_long(reap(pid), 128 + SIGKILL, "kill group: fallback killed it");
	close(p[1]);
	is_long(spawn_kill_group(0, SIGTERM), -1, "kill group: pid 0 refused");
	is_long(spawn_kill_group(-1, SIGTERM), -1,
	    "kill group: pid -1 refused");
}

static void
test_exit_codes(void)
{
	struct spawn_fd map[1] = { { 0, -1 } };

	is_long(reap(sh("exit 0", map, 1, 0)), 0, "exit code: 0");
	is_long(reap(sh("exit 3", map, 1, 0)), 3, "exit code: 3");
	is_long(reap(sh("exit 255", map, 1, 0)), 255, "exit code: 255");
	is_long(reap(sh("kill -KILL $$", map, 1, 0)), 137,
	    "exit code: SIGKILL is 137");
	is_long(reap(sh("kill -TERM $$", map, 1, 0)), 143,
	    "exit code: SIGTERM is 143");
	is_long(reap(sh("kill -USR1 $$", map, 1, 0)), 128 + SIGUSR1,
	    "exit code: SIGUSR1");
}

static void
test_pipe(void)
{
	struct rlimit rl, low;
	int p[2], fl;

	is_long(spawn_pipe(p, &eb), 0, "pipe: created");
	ok((fcntl(p[0], F_GETFD) & FD_CLOEXEC) &&
	    (fcntl(p[1], F_GETFD) & FD_CLOEXEC),
	    "pipe: both ends close-on-exec");
	is_long(spawn_set_nonblock(p[0], 1), 0, "nonblock: on");
	fl = fcntl(p[0], F_GETFL);
	ok(fl >= 0 && (fl & O_NONBLOCK), "nonblock: flag set");
	is_long(spawn_set_nonblock(p[0], 0), 0, "nonblock: off");
	fl = fcntl(p[0], F_GETFL);
	ok(fl >= 0 && !(fl & O_NONBLOCK), "nonblock: flag cleared");
	close(p[0]);
	close(p[1]);
	is_long(spawn_set_nonblock(p[0], 1), -1, "nonblock: closed fd");
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0) {
		low = rl;
		low.rlim_cur = 3;
		setrlimit(RLIMIT_NOFILE, &low);
		memset(&eb, 0, sizeof(eb));
		is_long(spawn_pipe(p, &eb), -1, "pipe: fails without fds");
		is_str(eb.msg, "pipe: Too many open files", "pipe: message");
		setrlimit(RLIMIT_NOFILE, &rl);
	}
}

static void
test_write_all(void)
{
	struct spawn_fd map[2] = { { 0, -1 }, { 1, -1 } };
	size_t len = 1 << 20;
	char *buf = malloc(len), *out;
	int in[2], o[2];
	pid_t pid;

	memset(buf, 'z', len);
	if (spawn_pipe(in, &eb) != 0 || spawn_pipe(o, &eb) != 0) {
		ok(0, "write_all: pipes");
		free(buf);
		return;
	}
	map[0].parent_fd = in[0];
	map[1].parent_fd = o[1];
	pid = sh("wc -c", map, 2, 0);
	close(in[0]);
	close(o[1]);
	is_long(spawn_write_all(in[1], buf, len), 0,
	    "write_all: 1 MiB through a pipe");
	close(in[1]);
	out = slurp(o[0]);
	is_long(strtol(out, NULL, 10), (long)len,
	    "write_all: every byte arrived");
	is_long(reap(pid), 0, "write_all: reader exit 0");
	is_long(spawn_write_all(in[1], "x", 1), -1, "write_all: closed fd");
	free(out);
	free(buf);
}

static void
test_sanitize(void)
{
	int s0 = fcntl(0, F_DUPFD_CLOEXEC, 50);
	int s2 = fcntl(2, F_DUPFD_CLOEXEC, 50);
	char l0[64], l2[64];
	int before, after;
	ssize_t n;

	close(0);
	close(2);
	is_long(spawn_sanitize_stdfds(), 0, "sanitize: returns 0");
	n = readlink("/proc/self/fd/0", l0, sizeof(l0) - 1);
	l0[n > 0 ? n : 0] = '\0';
	n = readlink("/proc/self/fd/2", l2, sizeof(l2) - 1);
	l2[n > 0 ? n : 0] = '\0';
	dup2(s0, 0);
	dup2(s2, 2);
	close(s0);
	close(s2);
	is_str(l0, "/dev/null", "sanitize: fd 0 on /dev/null");
	is_str(l2, "/dev/null", "sanitize: fd 2 on /dev/null");
	before = dup(0);
	close(before);
	is_long(spawn_sanitize_stdfds(), 0, "sanitize: all open: returns 0");
	after = dup(0);
	close(after);
	is_long(after, before, "sanitize: no fd leaked when all are open");
}

static void
test_find_helper(void)
{
	char buf[PATH_MAX], small[8], *base;

	base = strrchr(self, '/') != NULL ? strrchr(self, '/') + 1 : self;
	ok(spawn_find_helper(base, "/nonexistent", buf, sizeof(buf)) == buf,
	    "helper: returns buf");
	is_str(buf, self, "helper: found next to the running executable");
	spawn_find_helper("bssh-no-such-helper",
	    "/usr/libexec/bssh", buf, sizeof(buf));
	is_str(buf, "/usr/libexec/bssh/bssh-no-such-helper",
	    "helper: falls back to DIR/name");
	spawn_find_helper("bssh-no-such-helper",
	    "/usr/libexec/bssh", small, sizeof(small));
	is_str(small, "/usr/li", "helper: truncated to the buffer");
}

int
main(int argc, char *argv[])
{
	ssize_t n;
	int fd;

	if (argc > 1 && strcmp(argv[1], "--fdlist") == 0) {
		return fdlist();
	}
	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	self[n > 0 ? n : 0] = '\0';
	for (fd = 3; fd < 1024; fd++) {
		close(fd);	/* start from 0 1 2 only */
	}
	spawn_sanitize_stdfds();
	signal(SIGPIPE, SIG_IGN);
	test_stdout();
	test_high_fds();
	test_swap();
	test_cycle();
	test_devnull();
	test_inherit();
	test_errpipe();
	test_pgroup();
	test_signals();
	test_exec_errors();
	test_kill_group();
	test_exit_codes();
	test_pipe();
	test_write_all();
	test_sanitize();
	test_find_helper();
	return tap_done();
}
