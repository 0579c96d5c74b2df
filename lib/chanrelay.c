#include "config.h"

#include <sys/ioctl.h>
#include <sys/socket.h>

#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libssh/callbacks.h>
#include <libssh/server.h>	/* ssh_send_keepalive(), client-side too */

#include "chanrelay.h"
#include "timeutil.h"
#include "tty.h"

#define CHUNK	32768

struct chanrelay {
	struct chanrelay_params			 p;
	struct ssh_channel_callbacks_struct	 cb;
	int					 in_open;
	char					 pend[CHUNK];	/* input not yet sent */
	size_t					 npend;
	int					 closed;
	struct chanrelay_result			 res;
	int64_t					 deadline;
	int64_t					 next_alive;
	int64_t					 last_probe;
	long					 missed;
};

/* Write all of buf to a possibly non-blocking fd; a gone reader drops it. */
static void
out_write(int fd, const char *buf, size_t len)
{
	struct pollfd pfd = { .fd = fd, .events = POLLOUT };

	while (len > 0) {
		ssize_t w = write(fd, buf, len);

		if (w < 0 && errno == EAGAIN) {
			(void)poll(&pfd, 1, -1);
			continue;
		}
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return;
		buf += w;
		len -= (size_t)w;
	}
}

static int
cb_data(ssh_session s, ssh_channel ch, void *data, uint32_t len, int is_stderr, void *ud)
{
	struct chanrelay *r = ud;

	out_write(is_stderr ? r->p.err_fd : r->p.out_fd, data, len);
	return (int)len;
}

static void
cb_close(ssh_session s, ssh_channel ch, void *ud)
{
	((struct chanrelay *)ud)->closed = 1;
}

static void
cb_exit_status(ssh_session s, ssh_channel ch, int status, void *ud)
{
	struct chanrelay *r = ud;

	r->res.have_status = 1;
	r->res.exit_status = status;
}

static void
cb_exit_signal(ssh_session s, ssh_channel ch, const char *sig, int core,
    const char *msg, const char *lang, void *ud)
{
	struct chanrelay *r = ud;

	snprintf(r->res.signame, sizeof(r->res.signame), "%s", sig != NULL ? sig : "KILL");
}

struct chanrelay *
chanrelay_new(const struct chanrelay_params *p)
{
	struct chanrelay *r = calloc(1, sizeof(*r));

	if (r == NULL)
		return NULL;
	r->p = *p;
	r->in_open = 1;
	r->cb.userdata = r;
	r->cb.channel_data_function = cb_data;
	r->cb.channel_close_function = cb_close;
	r->cb.channel_exit_status_function = cb_exit_status;
	r->cb.channel_exit_signal_function = cb_exit_signal;
	ssh_callbacks_init(&r->cb);
	ssh_set_channel_callbacks(p->ch, &r->cb);
	return r;
}

void
chanrelay_free(struct chanrelay *r)
{
	if (r == NULL)
		return;
	ssh_remove_channel_callbacks(r->p.ch, &r->cb);
	free(r);
}

int
chanrelay_signal_number(const char *name)
{
	int i;

	for (i = 1; i < NSIG; i++) {
		const char *abbrev = sigabbrev_np(i);

		if (abbrev != NULL && strcmp(abbrev, name) == 0)
			return i;
	}
	return -1;
}

void
chanrelay_abandon(ssh_session s, ssh_channel ch, const char *sig)
{
	ssh_channel_request_send_signal(ch, sig);
	ssh_channel_close(ch);
	ssh_blocking_flush(s, 1000);
}

/* Send the input bytes the channel window can take now. */
static void
flush_pending(struct chanrelay *r)
{
	uint32_t win = ssh_channel_window_size(r->p.ch);
	size_t n = r->npend < win ? r->npend : win;
	int w;

	if (n == 0)
		return;
	w = ssh_channel_write(r->p.ch, r->pend, (uint32_t)n);
	if (w <= 0)
		return;
	memmove(r->pend, r->pend + w, r->npend - (size_t)w);
	r->npend -= (size_t)w;
}

static void
read_input(struct chanrelay *r)
{
	ssize_t n = read(r->p.in_fd, r->pend, sizeof(r->pend));

	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return;
	if (n <= 0) {
		r->in_open = 0;
		ssh_channel_send_eof(r->p.ch);
		return;
	}
	r->npend = (size_t)n;
	flush_pending(r);
}

/* The signal to end on (0 for none); SIGWINCH only resizes. */
static int
read_signals(struct chanrelay *r)
{
	unsigned char c;
	int cols, rows, act = 0;

	while (r->p.sig_fd >= 0 && read(r->p.sig_fd, &c, 1) == 1) {
		if (c != SIGWINCH) {
			act = c;
		} else if (r->p.pty) {
			tty_window_size(r->p.in_fd, &cols, &rows);
			ssh_channel_change_pty_size(r->p.ch, cols, rows);
		}
	}
	return act;
}

/* Milliseconds since the kernel last received data from the server. */
static int64_t
since_last_rx(int sock)
{
	struct tcp_info ti;
	socklen_t len = sizeof(ti);

	if (getsockopt(sock, IPPROTO_TCP, TCP_INFO, &ti, &len) != 0)
		return -1;
	return ti.tcpi_last_data_recv;
}

/*
 * ServerAliveInterval, as OpenSSH: after an interval without a word from
 * the server, ask for an answer; when alive_max requests went unanswered,
 * the server is dead.  Without TCP_INFO (not a TCP socket) we only ask.
 */
static int
keepalive_due(struct chanrelay *r, int64_t now)
{
	int64_t quiet;

	if (r->p.alive_ms <= 0 || now < r->next_alive)
		return 0;
	quiet = since_last_rx(r->p.sock);
	if (quiet < 0 || quiet < now - r->last_probe)
		r->missed = 0;		/* it spoke since our last request */
	if (quiet >= 0 && quiet < r->p.alive_ms) {
		r->next_alive = now + r->p.alive_ms - quiet;
		return 0;
	}
	if (r->missed >= r->p.alive_max)
		return -1;
	/* The first call may only collect the previous reply; the second sends. */
	ssh_send_keepalive(r->p.s);
	ssh_send_keepalive(r->p.s);
	r->missed++;
	r->last_probe = now;
	r->next_alive = now + r->p.alive_ms;
	return 0;
}

static int
relay_poll(struct chanrelay *r, ssh_event ev)
{
	struct pollfd pfd[3];
	uint32_t win = ssh_channel_window_size(r->p.ch);
	int n = 0, in_idx = -1, rc, timeout;

	pfd[n].fd = r->p.sock;
	pfd[n++].events = POLLIN |
	    ((ssh_get_poll_flags(r->p.s) & SSH_WRITE_PENDING) ? POLLOUT : 0);
	pfd[n].fd = r->p.sig_fd;
	pfd[n++].events = POLLIN;
	if (r->in_open && r->npend == 0 && win > 0) {
		in_idx = n;
		pfd[n].fd = r->p.in_fd;
		pfd[n++].events = POLLIN;
	}
	timeout = r->npend > 0 && win > 0 ? 0 : time_poll_timeout(time_min_deadline(
	    r->deadline, r->p.alive_ms > 0 ? r->next_alive : 0), time_now_ms());
	rc = poll(pfd, (nfds_t)n, timeout);
	if (rc < 0 && errno != EINTR)
		return -1;
	ssh_event_dopoll(ev, 0);
	if (in_idx >= 0 && (pfd[in_idx].revents & (POLLIN | POLLHUP | POLLERR)))
		read_input(r);
	if (r->npend > 0)
		flush_pending(r);
	return 0;
}

/* One step: 1 when the relay must end (res.end says why), 0 to go on. */
static int
relay_step(struct chanrelay *r, ssh_event ev)
{
	int64_t now = time_now_ms();

	if (!ssh_is_connected(r->p.s)) {
		r->res.end = CR_LOST;
		return 1;
	}
	if (r->deadline != 0 && now >= r->deadline) {
		chanrelay_abandon(r->p.s, r->p.ch, "TERM");
		r->res.end = CR_TIMEOUT;
		return 1;
	}
	if (keepalive_due(r, now) != 0) {
		r->res.end = CR_DEAD;
		return 1;
	}
	if (relay_poll(r, ev) != 0)
		return -1;
	if ((r->res.sig = read_signals(r)) != 0) {
		chanrelay_abandon(r->p.s, r->p.ch, sigabbrev_np(r->res.sig));
		r->res.end = CR_SIGNAL;
		return 1;
	}
	return 0;
}

int
chanrelay_run(struct chanrelay *r, int64_t deadline, struct chanrelay_result *res)
{
	ssh_event ev = ssh_event_new();
	int rc = 0;

	if (ev == NULL || ssh_event_add_session(ev, r->p.s) != SSH_OK) {
		ssh_event_free(ev);
		return -1;
	}
	if (r->p.in_fd < 0) {
		r->in_open = 0;
		ssh_channel_send_eof(r->p.ch);
	}
	r->deadline = deadline;
	r->next_alive = time_now_ms() + r->p.alive_ms;
	r->res.end = CR_CLOSED;
	ssh_set_blocking(r->p.s, 0);
	while (rc == 0 && !r->closed && !ssh_channel_is_closed(r->p.ch))
		rc = relay_step(r, ev);
	ssh_set_blocking(r->p.s, 1);
	ssh_event_remove_session(ev, r->p.s);
	ssh_event_free(ev);
	*res = r->res;
	return rc < 0 ? -1 : 0;
}
