/*
 * frexec: run one configured argv the way SSH-Frontiere does, without its
 * defects: no shell; a fixed PATH lookup; an environment of exactly PATH
 * and SSH_FRONTIERE_SESSION; only fds 0-2; its own process group; stdin
 * from /dev/null or the body; stdout and stderr forwarded line by line as
 * they come.
 *
 * One poll(2) loop watches both output pipes, the body pipe and a pidfd,
 * so nothing sleeps and the timeout holds even while the child floods its
 * output: memory stays at one 64 KiB line buffer per stream (a longer line
 * goes out in pieces).  At the timeout the group gets SIGTERM, the child
 * 5 s of grace, then the group SIGKILL.  Output past max_stream_bytes is
 * dropped after one notice, and the child is left to finish.  Bytes that
 * are not UTF-8 are forwarded as they are.  Nothing here exits or prints.
 */
#ifndef BSSH_FREXEC_H
#define BSSH_FREXEC_H

#include <sys/types.h>

#include <stddef.h>
#include <stdint.h>

#define FR_PATH		"/usr/local/bin:/usr/bin:/bin"
#define FR_STREAM_LINE	65536	/* bytes of one forwarded line */
#define FR_KILL_GRACE	5000	/* ms between SIGTERM and SIGKILL */

/* Where the lines go: is_err 0 for stdout, 1 for stderr and notices. */
typedef void	fr_sink_fn(void *arg, int is_err, const char *data, size_t len);

struct fr_exec {
	char *const	*argv;		/* argv[0] searched in FR_PATH when it has no '/' */
	int		 nul;		/* an argument held a NUL: fail as exec would */
	const char	*body;		/* NULL: stdin is /dev/null */
	size_t		 bodylen;
	uint64_t	 timeout;	/* seconds; 0 is an immediate timeout */
	uint64_t	 max_stream_bytes;
	const char	*session_id;
	fr_sink_fn	*sink;
	void		*arg;
};

enum fr_exec_result {
	FRX_EXITED,		/* code: exit status or 128+signal */
	FRX_TIMEOUT,
	FRX_SPAWN_ERROR,	/* error says why */
	FRX_EMPTY,		/* the template gave no words */
	FRX_STDIN_CLOSED	/* the body could not be written whole */
};

struct fr_exec_status {
	enum fr_exec_result	result;
	int			code;
	char			error[256];
};

void	frexec_run(const struct fr_exec *x, struct fr_exec_status *st);

/*
 * Reap pid, waiting at most ms (on a pidfd, not by sleeping); past that
 * its process group gets SIGKILL and is reaped.  0 when it ended by
 * itself, 1 when it was killed.
 */
int	frexec_wait(pid_t pid, int64_t ms, int *wstatus);

/* The path to exec for name: itself when it has a '/', else found in FR_PATH. */
void	frexec_find_program(const char *name, char *path, size_t len);

#endif
