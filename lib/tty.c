#include "config.h"

#include <sys/ioctl.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "tty.h"

static int
write_all(int fd, const char *s, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, s, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		s += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Signals that end a prompt; they wait until the terminal is restored. */
static void
stop_signals(sigset_t *set)
{
	sigemptyset(set);
	sigaddset(set, SIGINT);
	sigaddset(set, SIGTERM);
	sigaddset(set, SIGHUP);
	sigaddset(set, SIGQUIT);
}

static int
signal_pending(const sigset_t *stop)
{
	sigset_t pend;
	int sig;

	if (sigpending(&pend) != 0)
		return 0;
	for (sig = 1; sig < NSIG; sig++) {
		if (sigismember(stop, sig) == 1 && sigismember(&pend, sig) == 1)
			return 1;
	}
	return 0;
}

/*
 * Read up to a newline with the stop signals blocked, looking for them
 * between bytes: 0, -1 at EOF, -2 too long, -3 interrupted.  The secret
 * never leaves buf.
 */
static int
read_line(int fd, char *buf, size_t len, const sigset_t *stop)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	size_t n = 0;
	ssize_t r;
	char c;

	for (;;) {
		if (signal_pending(stop))
			return -3;
		if (poll(&pfd, 1, 200) <= 0)
			continue;
		r = read(fd, &c, 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return n > 0 ? 0 : -1;
		if (c == '\n' || c == '\r')
			break;
		if (n + 1 >= len)
			return -2;
		buf[n++] = c;
	}
	buf[n] = '\0';
	return 0;
}

int
tty_read_secret(const char *prompt, char *buf, size_t len, struct errbuf *eb)
{
	struct termios old, raw;
	sigset_t stop, saved;
	int fd, rc, echo_off = 0;

	if (len == 0)
		return err_set(eb, "read secret: no room");
	buf[0] = '\0';
	fd = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (fd < 0)
		return err_set_sys(eb, "open /dev/tty");
	stop_signals(&stop);
	sigprocmask(SIG_BLOCK, &stop, &saved);
	if (tcgetattr(fd, &old) == 0) {
		raw = old;
		raw.c_lflag &= ~(tcflag_t)(ECHO | ECHONL);
		raw.c_lflag |= ICANON;
		echo_off = tcsetattr(fd, TCSAFLUSH, &raw) == 0;
	}
	(void)write_all(fd, prompt, strlen(prompt));
	rc = read_line(fd, buf, len, &stop);
	if (echo_off)
		(void)tcsetattr(fd, TCSAFLUSH, &old);
	(void)write_all(fd, "\n", 1);
	close(fd);
	if (rc != 0)
		explicit_bzero(buf, len);
	/* A pending signal is delivered here, with the terminal restored. */
	sigprocmask(SIG_SETMASK, &saved, NULL);
	if (rc == -3)
		return err_set(eb, "read secret: interrupted");
	if (rc == -2)
		return err_set(eb, "read secret: longer than %zu bytes", len - 1);
	if (rc < 0)
		return err_set(eb, "read secret: end of input");
	return 0;
}

void
tty_window_size(int fd, int *cols, int *rows)
{
	struct winsize ws;

	*cols = 80;
	*rows = 24;
	if (ioctl(fd, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0 && ws.ws_row > 0) {
		*cols = ws.ws_col;
		*rows = ws.ws_row;
	}
}

int
tty_available(void)
{
	int fd = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);

	if (fd < 0)
		return 0;
	close(fd);
	return 1;
}

int
tty_want_color(int fd)
{
	const char *nc = getenv("NO_COLOR");
	const char *term = getenv("TERM");

	if (nc != NULL && *nc != '\0')
		return 0;
	if (term == NULL || strcmp(term, "dumb") == 0)
		return 0;
	return isatty(fd);
}
