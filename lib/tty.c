#include "config.h"

#include <errno.h>
#include <fcntl.h>
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

/* Read up to a newline; the secret never leaves buf. */
static int
read_line(int fd, char *buf, size_t len)
{
	size_t n = 0;
	char c;

	for (;;) {
		ssize_t r = read(fd, &c, 1);

		if (r < 0 && errno == EINTR)
			return -3;	/* a signal: the user gave up */
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
	int fd, rc, echo_off = 0;

	if (len == 0)
		return err_set(eb, "read secret: no room");
	buf[0] = '\0';
	fd = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (fd < 0)
		return err_set_sys(eb, "open /dev/tty");
	if (tcgetattr(fd, &old) == 0) {
		raw = old;
		raw.c_lflag &= ~(tcflag_t)(ECHO | ECHONL);
		raw.c_lflag |= ICANON;
		echo_off = tcsetattr(fd, TCSAFLUSH, &raw) == 0;
	}
	(void)write_all(fd, prompt, strlen(prompt));
	rc = read_line(fd, buf, len);
	if (echo_off)
		(void)tcsetattr(fd, TCSAFLUSH, &old);
	(void)write_all(fd, "\n", 1);
	close(fd);
	if (rc == -2 || rc == -3) {
		explicit_bzero(buf, len);
		if (rc == -3)
			return err_set(eb, "read secret: interrupted");
		return err_set(eb, "read secret: longer than %zu bytes", len - 1);
	}
	if (rc < 0)
		return err_set(eb, "read secret: end of input");
	return 0;
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
