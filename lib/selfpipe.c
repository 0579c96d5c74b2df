#include "config.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "selfpipe.h"
#include "spawn.h"

int
selfpipe_open(int fds[2], struct errbuf *eb)
{
	if (spawn_pipe(fds, eb) != 0)
		return -1;
	spawn_set_nonblock(fds[0], 1);
	spawn_set_nonblock(fds[1], 1);
	return 0;
}

void
selfpipe_catch(const int *sigs, size_t n, void (*handler)(int))
{
	struct sigaction sa;
	size_t i;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = handler;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < n; i++)
		(void)sigaction(sigs[i], &sa, NULL);
}

void
selfpipe_notify(int fd, int sig)
{
	unsigned char c = (unsigned char)sig;
	int saved = errno;

	(void)!write(fd, &c, 1);
	errno = saved;
}
