/*
 * spawn: run a program from an argv (never through a shell) with a chosen
 * set of file descriptors, in its own process group, and take it down
 * again.
 *
 * A child inherits exactly the fds of its map, plus whichever of 0, 1 and 2
 * the map leaves alone, and nothing else: spawn_start() closes every other
 * fd in the child before exec, inheritable ones included.
 */
#ifndef BSSH_SPAWN_H
#define BSSH_SPAWN_H

#include <sys/types.h>

#include "err.h"

/* In the child, parent_fd becomes child_fd (parent_fd -1: /dev/null). */
struct spawn_fd {
	int	child_fd;
	int	parent_fd;
};

#define SPAWN_PGROUP	0x1	/* child leads a new process group */
#define SPAWN_MAP_MAX	64	/* entries in one fd map */

/*
 * Start path with argv and the fd map.  Returns the pid, or -1 with eb set
 * when fork fails or the exec fails (the exec error is reported
 * synchronously through a close-on-exec pipe, so "no such file" is an
 * error here, not an exit status later).  Signal dispositions and the
 * signal mask are reset to the defaults in the child.
 */
pid_t	spawn_start(const char *path, char *const argv[], const struct spawn_fd *map,
	    size_t nmap, int flags, struct errbuf *eb);

/*
 * The same with the environment envp instead of ours (NULL: ours).  On
 * failure errno is the exec's error too, for callers that word it
 * themselves.
 */
pid_t	spawn_start_env(const char *path, char *const argv[], char *const envp[],
	    const struct spawn_fd *map, size_t nmap, int flags, struct errbuf *eb);

/* Send sig to the process group led by pid (falls back to pid alone). */
int	spawn_kill_group(pid_t pid, int sig);

/*
 * The status a relaying program reports for a wait status: the exit code,
 * 128+N for signal N (execline's rule).
 */
int	spawn_exit_code(int wstatus);

/* pipe2(O_CLOEXEC).  0 or -1 with eb set. */
int	spawn_pipe(int fds[2], struct errbuf *eb);

/* Set or clear O_NONBLOCK.  0 or -1. */
int	spawn_set_nonblock(int fd, int on);

/* Make sure fds 0, 1 and 2 are open (on /dev/null if not).  0 or -1. */
int	spawn_sanitize_stdfds(void);

/*
 * The path of helper program name: next to the running executable (so a
 * build tree finds its own helpers), else in dir.  The path goes to
 * buf (size len); returns buf.
 */
char	*spawn_find_helper(const char *name, const char *dir, char *buf, size_t len);

/*
 * How many children we can afford at per_child fds each: the soft limit
 * on open files is raised to the hard one first.
 */
size_t	spawn_fd_budget(size_t per_child);

/* Write all of buf, retrying on EINTR and partial writes.  0 or -1. */
int	spawn_write_all(int fd, const void *buf, size_t len);

#endif
