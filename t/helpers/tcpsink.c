/*
 * tcpsink -- a TCP port that accepts connections and never speaks.
 *
 * usage: tcpsink [-t SECONDS] [-a ADDRESS]
 *
 * Listens on ADDRESS (default 127.0.0.1) port 0 (the kernel picks it), prints
 * the port and a newline on stdout and flushes, then accepts connections and
 * holds them open without ever writing (or reading) anything.  It exits with
 * status 0 by itself after SECONDS (default 60), so it never outlives a test;
 * alarm() is a backstop in case poll() misbehaves.  All its sockets are
 * close-on-exec.  Used to test connect/banner timeouts.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_HELD 4096

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void usage(void)
{
	fprintf(stderr, "usage: tcpsink [-t SECONDS] [-a ADDRESS]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	static int held[MAX_HELD];
	const char *addr = "127.0.0.1";
	long secs = 60;
	int nheld = 0, opt, lfd;
	struct sockaddr_in sin;
	socklen_t slen = sizeof sin;
	long long deadline;
	char *end;

	while ((opt = getopt(argc, argv, "t:a:h")) != -1) {
		switch (opt) {
		case 't':
			errno = 0;
			secs = strtol(optarg, &end, 10);
			if (errno || end == optarg || *end || secs < 1 || secs > 86400)
				usage();
			break;
		case 'a':
			addr = optarg;
			break;
		default:
			usage();
		}
	}
	if (optind != argc)
		usage();

	signal(SIGPIPE, SIG_IGN);
	/* Backstop: the default SIGALRM action terminates the process. */
	alarm((unsigned)secs + 2);

	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_port = 0;
	if (inet_pton(AF_INET, addr, &sin.sin_addr) != 1) {
		fprintf(stderr, "tcpsink: bad IPv4 address: %s\n", addr);
		return 2;
	}
	lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (lfd < 0) {
		perror("tcpsink: socket");
		return 1;
	}
	if (bind(lfd, (struct sockaddr *)&sin, sizeof sin) < 0) {
		perror("tcpsink: bind");
		return 1;
	}
	if (listen(lfd, 128) < 0) {
		perror("tcpsink: listen");
		return 1;
	}
	if (getsockname(lfd, (struct sockaddr *)&sin, &slen) < 0) {
		perror("tcpsink: getsockname");
		return 1;
	}
	if (printf("%u\n", (unsigned)ntohs(sin.sin_port)) < 0 || fflush(stdout) != 0)
		return 1;

	deadline = now_ms() + secs * 1000LL;
	for (;;) {
		struct pollfd pfd = { .fd = lfd, .events = POLLIN };
		long long left = deadline - now_ms();
		int r, cfd;

		if (left <= 0)
			break;
		r = poll(&pfd, 1, (int)left);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			perror("tcpsink: poll");
			return 1;
		}
		if (r == 0)
			break;
		if (nheld >= MAX_HELD) {
			/* Full: leave the rest in the backlog, just wait. */
			struct timespec ts = { .tv_sec = 0, .tv_nsec = 100000000 };
			nanosleep(&ts, NULL);
			continue;
		}
		cfd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
		if (cfd < 0) {
			if (errno == EINTR || errno == ECONNABORTED || errno == EAGAIN)
				continue;
			if (errno == EMFILE || errno == ENFILE) {
				nheld = MAX_HELD; /* stop accepting */
				continue;
			}
			perror("tcpsink: accept");
			return 1;
		}
		held[nheld++] = cfd;
	}
	while (nheld > 0)
		close(held[--nheld]);
	close(lfd);
	return 0;
}
