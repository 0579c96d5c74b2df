/*
 * bssh-exec: run one command on one host, like ssh(1), and exit with the
 * remote status.  This is the per-node worker of bssh(1) and a program of
 * its own: stdin, stdout and stderr are the remote ones.
 */
#include "config.h"

#include <sys/ioctl.h>
#include <sys/socket.h>

#include <netinet/in.h>
#include <netinet/tcp.h>

#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include <libssh/callbacks.h>
#include <libssh/libssh.h>
#include <libssh/server.h>	/* ssh_send_keepalive(), client-side too */

#include "err.h"
#include "events.h"
#include "hostlist.h"
#include "selfpipe.h"
#include "spawn.h"
#include "sshclient.h"
#include "strv.h"
#include "timeutil.h"
#include "tty.h"
#include "xalloc.h"

ERR_PROGRAM("bssh-exec");

#define EXIT_OWN	255	/* our own failure, as ssh(1) */
#define CHUNK		32768

static const char usage_text[] =
    "bssh-exec [-46AqTtVv] [-i identity] [-l user] [-o option] [-p port]\n"
    "\t[--connect-timeout S] [--timeout S] [--strict-host-key-checking MODE]\n"
    "\t[--server-alive-interval S] [--server-alive-count-max N]\n"
    "\t[--status-fd N] [--secrets-fd N] [--password] [--ping]\n"
    "\t[user@]host[:port] [command ...]";

/* Everything the command line asked for. */
struct args {
	char		**opts;		/* "Key=Value", in command-line order */
	size_t		 nopts;
	const char	*dest;
	char		**cmd;
	int		 ncmd;
	int		 agent_only;
	int		 ping;
	int		 want_password;
	int		 tty;		/* -1 -T, 0 default, 1 -t */
	int		 status_fd;
	int		 secrets_fd;
	int64_t		 timeout_ms;
};

/* The live channel. */
struct relay {
	ssh_session	 s;
	ssh_channel	 ch;
	int		 sock;
	int		 in_open;
	char		 pend[CHUNK];
	size_t		 npend;
	int		 have_status;
	int		 exit_status;
	char		 signame[32];
	int		 closed;
	int64_t		 deadline;
	int64_t		 next_alive;
	long		 alive_ms;
	long		 alive_max;
	long		 missed;
	int64_t		 last_probe;
};

static int sigpipe_fds[2] = { -1, -1 };

static void
on_signal(int sig)
{
	selfpipe_notify(sigpipe_fds[1], sig);
}

/*
 * Until the session is up a signal simply kills us (nothing runs remotely
 * yet, and libssh would sit out EINTR in its handshake); from then on it is
 * caught, forwarded to the remote command and turned into 128+N.
 */
static void
setup_signals(void)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGWINCH };

	selfpipe_catch(sigs, sizeof(sigs) / sizeof(sigs[0]), on_signal);
}

static void
push_opt(struct args *a, const char *key, const char *value)
{
	a->opts = xreallocarray(a->opts, a->nopts + 1, sizeof(char *));
	a->opts[a->nopts++] = value != NULL ? xasprintf("%s=%s", key, value) : xstrdup(key);
}

static int
parse_fd(const char *s)
{
	struct errbuf eb;
	long v;

	if (time_parse_int(s, 0, 1024 * 1024, &v, &eb) != 0)
		err_die(EXIT_OWN, "file descriptor %s", eb.msg);
	return (int)v;
}

enum {
	OPT_CONNECT_TIMEOUT = 256, OPT_TIMEOUT, OPT_SHK, OPT_STATUS_FD, OPT_SECRETS_FD,
	OPT_PASSWORD, OPT_PING, OPT_ALIVE, OPT_ALIVE_MAX, OPT_HELP
};

static const struct option longopts[] = {
	{ "connect-timeout",		required_argument, NULL, OPT_CONNECT_TIMEOUT },
	{ "timeout",			required_argument, NULL, OPT_TIMEOUT },
	{ "strict-host-key-checking",	required_argument, NULL, OPT_SHK },
	{ "server-alive-interval",	required_argument, NULL, OPT_ALIVE },
	{ "server-alive-count-max",	required_argument, NULL, OPT_ALIVE_MAX },
	{ "status-fd",			required_argument, NULL, OPT_STATUS_FD },
	{ "secrets-fd",			required_argument, NULL, OPT_SECRETS_FD },
	{ "password",			no_argument,	   NULL, OPT_PASSWORD },
	{ "ping",			no_argument,	   NULL, OPT_PING },
	{ "help",			no_argument,	   NULL, OPT_HELP },
	{ "version",			no_argument,	   NULL, 'V' },
	{ NULL, 0, NULL, 0 }
};

static void
parse_one(struct args *a, int c, const char *arg)
{
	struct errbuf eb;

	switch (c) {
	case '4': push_opt(a, "AddressFamily", "inet"); break;
	case '6': push_opt(a, "AddressFamily", "inet6"); break;
	case 'A': a->agent_only = 1; break;
	case 'i': push_opt(a, "IdentityFile", arg); break;
	case 'l': push_opt(a, "User", arg); break;
	case 'o': push_opt(a, arg, NULL); break;
	case 'p': push_opt(a, "Port", arg); break;
	case 'q': err_state.quiet = 1; break;
	case 'T': a->tty = -1; break;
	case 't': a->tty = 1; break;
	case 'v': err_state.verbosity++; break;
	case 'V': printf("bssh-exec %s (%s)\n", PACKAGE_VERSION, ssh_version(0)); exit(0);
	case OPT_CONNECT_TIMEOUT: push_opt(a, "ConnectTimeout", arg); break;
	case OPT_SHK: push_opt(a, "StrictHostKeyChecking", arg); break;
	case OPT_ALIVE: push_opt(a, "ServerAliveInterval", arg); break;
	case OPT_ALIVE_MAX: push_opt(a, "ServerAliveCountMax", arg); break;
	case OPT_TIMEOUT:
		if (time_parse_seconds(arg, 86400L * 365, &a->timeout_ms, &eb) != 0)
			err_die(EXIT_OWN, "--timeout %s", eb.msg);
		break;
	case OPT_STATUS_FD: a->status_fd = parse_fd(arg); break;
	case OPT_SECRETS_FD: a->secrets_fd = parse_fd(arg); break;
	case OPT_PASSWORD: a->want_password = 1; break;
	case OPT_PING: a->ping = 1; break;
	case OPT_HELP: printf("usage: %s\n", usage_text); exit(0);
	default: err_usage(EXIT_OWN, usage_text);
	}
}

/* One fresh getopt scan of argv[1..argc); returns the first non-option. */
static int
scan(struct args *a, int argc, char **argv)
{
	int c;

	optind = 0;	/* glibc: forget any earlier scan */
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:46Ai:l:o:p:qTtvV", longopts, NULL)) != -1) {
		if (c == '?')
			err_die(EXIT_OWN, "%s: unknown option (try --help)", argv[optind - 1]);
		if (c == ':')
			err_die(EXIT_OWN, "%s: missing argument", argv[optind - 1]);
		parse_one(a, c, optarg);
	}
	return optind;
}

/* ssh-style: options may follow the host; the command starts after. */
static void
parse_args(struct args *a, int argc, char **argv)
{
	char *dest;
	int i, j;

	memset(a, 0, sizeof(*a));
	a->status_fd = a->secrets_fd = -1;
	i = scan(a, argc, argv);
	if (i >= argc)
		err_usage(EXIT_OWN, usage_text);
	dest = argv[i];
	argv[i] = argv[0];	/* the second scan sees our name as its argv[0] */
	j = scan(a, argc - i, argv + i);
	argv[i] = dest;
	a->dest = dest;
	a->cmd = argv + i + j;
	a->ncmd = argc - i - j;
}

/* Destination parts first: user@ and :port beat -l and -p. */
static void
build_options(const struct args *a, struct sshopts *o, char *host, size_t hostlen)
{
	const char *d = a->dest;
	struct hostspec hs;
	struct errbuf eb;
	char port[16];
	size_t i;

	if (strncmp(d, "ssh://", 6) == 0)
		d += 6;
	if (hostspec_parse(d, &hs, &eb) != 0)
		err_die(EXIT_OWN, "destination %s", eb.msg);
	snprintf(host, hostlen, "%s", hs.host);
	if (hs.user[0] != '\0' && sshopts_set(o, "User", hs.user, &eb) != 0)
		err_die(EXIT_OWN, "%s", eb.msg);
	snprintf(port, sizeof(port), "%d", hs.port);
	if (hs.port != 0 && sshopts_set(o, "Port", port, &eb) != 0)
		err_die(EXIT_OWN, "%s", eb.msg);
	for (i = 0; i < a->nopts; i++) {
		if (sshopts_set_arg(o, a->opts[i], &eb) != 0)
			err_die(EXIT_OWN, "-o %s", eb.msg);
	}
	if (sshopts_finish(o, &eb) != 0)
		err_die(EXIT_OWN, "%s", eb.msg);
	if (o->hostname != NULL)
		snprintf(host, hostlen, "%s", o->hostname);
}

static void
get_secrets(const struct args *a, const struct sshopts *o, struct sshauth_secrets *sec)
{
	struct errbuf eb;

	memset(sec, 0, sizeof(*sec));
	if (a->secrets_fd >= 0) {
		if (sshauth_read_secrets(a->secrets_fd, sec, &eb) != 0)
			err_die(EXIT_OWN, "%s", eb.msg);
		close(a->secrets_fd);
	}
	if (sshauth_collect(sec, o, 0, a->want_password, o->batch_mode == OPT_YES, 0, &eb) != 0)
		err_die(EXIT_OWN, "%s", eb.msg);
}

/* Write all of buf to a possibly non-blocking fd. */
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
			return;		/* the reader went away: drop */
		buf += w;
		len -= (size_t)w;
	}
}

static int
cb_data(ssh_session s, ssh_channel ch, void *data, uint32_t len, int is_stderr, void *ud)
{
	out_write(is_stderr ? STDERR_FILENO : STDOUT_FILENO, data, len);
	return (int)len;
}

static void
cb_close(ssh_session s, ssh_channel ch, void *ud)
{
	((struct relay *)ud)->closed = 1;
}

static void
cb_exit_status(ssh_session s, ssh_channel ch, int status, void *ud)
{
	struct relay *r = ud;

	r->have_status = 1;
	r->exit_status = status;
}

static void
cb_exit_signal(ssh_session s, ssh_channel ch, const char *sig, int core,
    const char *msg, const char *lang, void *ud)
{
	struct relay *r = ud;

	snprintf(r->signame, sizeof(r->signame), "%s", sig != NULL ? sig : "KILL");
}

/* OpenSSH sends signal names without "SIG"; map them to local numbers. */
static int
signal_number(const char *name)
{
	int i;

	for (i = 1; i < NSIG; i++) {
		const char *abbrev = sigabbrev_np(i);

		if (abbrev != NULL && strcmp(abbrev, name) == 0)
			return i;
	}
	return -1;
}

static struct termios saved_tty;
static int tty_raw;

static void
restore_tty(void)
{
	if (tty_raw)
		(void)tcsetattr(STDIN_FILENO, TCSADRAIN, &saved_tty);
	tty_raw = 0;
}

static void
window_size(int *cols, int *rows)
{
	struct winsize ws;

	*cols = 80;
	*rows = 24;
	if (ioctl(STDIN_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0 && ws.ws_row > 0) {
		*cols = ws.ws_col;
		*rows = ws.ws_row;
	}
}

/* A PTY on request (-t) or for a shell on a terminal, as ssh(1) does. */
static int
setup_pty(ssh_channel ch, const struct args *a)
{
	const char *term = getenv("TERM");
	struct termios raw;
	int cols, rows;

	if (a->tty < 0 || (a->tty == 0 && (a->ncmd > 0 || !isatty(STDIN_FILENO))))
		return 0;
	window_size(&cols, &rows);
	if (ssh_channel_request_pty_size(ch, term != NULL ? term : "xterm", cols, rows) != SSH_OK)
		return -1;
	if (isatty(STDIN_FILENO) && tcgetattr(STDIN_FILENO, &saved_tty) == 0) {
		raw = saved_tty;
		cfmakeraw(&raw);
		if (tcsetattr(STDIN_FILENO, TCSADRAIN, &raw) == 0) {
			tty_raw = 1;
			atexit(restore_tty);
		}
	}
	return 0;
}

/*
 * Our own failure: an error event when a driver reads our status fd (it
 * reports it, so the node's stderr stays the remote stderr), else a
 * message on stderr.
 */
static void
fail_event(int fd, const char *kind, const char *msg)
{
	if (fd >= 0)
		events_pack(fd, "{s:s,s:s,s:s}", "event", "error", "kind", kind, "message", msg);
	else
		err_say("%s", msg);
}

/* Send stdin bytes the channel window can take now. */
static void
flush_pending(struct relay *r)
{
	uint32_t win = ssh_channel_window_size(r->ch);
	size_t n = r->npend < win ? r->npend : win;
	int w;

	if (n == 0)
		return;
	w = ssh_channel_write(r->ch, r->pend, (uint32_t)n);
	if (w <= 0)
		return;
	memmove(r->pend, r->pend + w, r->npend - (size_t)w);
	r->npend -= (size_t)w;
}

static void
read_stdin(struct relay *r)
{
	ssize_t n = read(STDIN_FILENO, r->pend, sizeof(r->pend));

	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return;
	if (n <= 0) {
		r->in_open = 0;
		ssh_channel_send_eof(r->ch);
		return;
	}
	r->npend = (size_t)n;
	flush_pending(r);
}

/* A termination signal that arrived while libssh was blocking, or 0. */
static int
pending_signal(void)
{
	unsigned char c;
	int act = 0;

	while (read(sigpipe_fds[0], &c, 1) == 1) {
		if (c != SIGWINCH)
			act = c;
	}
	return act;
}

/* Returns the signal to act on (0 for none). */
static int
read_signals(struct relay *r)
{
	unsigned char c;
	int cols, rows, act = 0;

	while (read(sigpipe_fds[0], &c, 1) == 1) {
		if (c == SIGWINCH) {
			window_size(&cols, &rows);
			ssh_channel_change_pty_size(r->ch, cols, rows);
		} else {
			act = c;
		}
	}
	return act;
}

/*
 * Milliseconds since the kernel last received data from the server.  libssh
 * reads the socket inside many calls (keepalive replies included), so only
 * the kernel knows reliably when the server last spoke.
 */
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
 * the server, ask for an answer; when CountMax requests went unanswered,
 * the server is dead.  Without TCP_INFO (not a TCP socket) we only ask.
 */
static int
keepalive_due(struct relay *r, int64_t now)
{
	int64_t quiet;

	if (r->alive_ms <= 0 || now < r->next_alive)
		return 0;
	quiet = since_last_rx(r->sock);
	if (quiet < 0 || quiet < now - r->last_probe)
		r->missed = 0;		/* it spoke since our last request */
	if (quiet >= 0 && quiet < r->alive_ms) {
		r->next_alive = now + r->alive_ms - quiet;
		return 0;
	}
	if (r->missed >= r->alive_max)
		return -1;
	/* The first call may only collect the previous reply; the second sends. */
	ssh_send_keepalive(r->s);
	ssh_send_keepalive(r->s);
	r->missed++;
	r->last_probe = now;
	r->next_alive = now + r->alive_ms;
	return 0;
}

static int
relay_poll(struct relay *r, ssh_event ev)
{
	struct pollfd pfd[3];
	int64_t now = time_now_ms();
	int n = 0, in_idx = -1, rc;

	pfd[n].fd = r->sock;
	pfd[n++].events = POLLIN |
	    ((ssh_get_poll_flags(r->s) & SSH_WRITE_PENDING) ? POLLOUT : 0);
	pfd[n].fd = sigpipe_fds[0];
	pfd[n++].events = POLLIN;
	if (r->in_open && r->npend == 0 && ssh_channel_window_size(r->ch) > 0) {
		in_idx = n;
		pfd[n].fd = STDIN_FILENO;
		pfd[n++].events = POLLIN;
	}
	rc = poll(pfd, (nfds_t)n, r->npend > 0 && ssh_channel_window_size(r->ch) > 0 ? 0 :
	    time_poll_timeout(time_min_deadline(r->deadline,
	    r->alive_ms > 0 ? r->next_alive : 0), now));
	if (rc < 0 && errno != EINTR)
		return -1;
	ssh_event_dopoll(ev, 0);
	if (in_idx >= 0 && (pfd[in_idx].revents & (POLLIN | POLLHUP | POLLERR)))
		read_stdin(r);
	if (r->npend > 0)
		flush_pending(r);
	return 0;
}

/* Stop the remote command on our way out, without waiting for it. */
static void
abandon(struct relay *r, const char *sig)
{
	ssh_channel_request_send_signal(r->ch, sig);
	ssh_channel_close(r->ch);
	ssh_blocking_flush(r->s, 1000);
}

/*
 * One step of the relay: -1 to go on, else the exit status to end with
 * (after a failure, a timeout or a signal).
 */
static int
relay_step(struct relay *r, const struct args *a, ssh_event ev)
{
	char msg[600];
	int64_t now = time_now_ms();
	int sig;

	if (!ssh_is_connected(r->s)) {
		snprintf(msg, sizeof(msg), "connection to %s lost: %s", a->dest,
		    ssh_get_error(r->s));
		fail_event(a->status_fd, "protocol", msg);
		return EXIT_OWN;
	}
	if (r->deadline != 0 && now >= r->deadline) {
		abandon(r, "TERM");
		snprintf(msg, sizeof(msg), "command timed out after %.3g s",
		    (double)a->timeout_ms / 1000.0);
		fail_event(a->status_fd, "timeout", msg);
		return EXIT_OWN;
	}
	if (keepalive_due(r, now) != 0) {
		snprintf(msg, sizeof(msg), "%s: no answer to %ld keepalives: server not "
		    "responding", a->dest, r->alive_max);
		fail_event(a->status_fd, "timeout", msg);
		return EXIT_OWN;
	}
	if (relay_poll(r, ev) != 0)
		err_die_sys(EXIT_OWN, "poll");
	if ((sig = read_signals(r)) != 0) {
		abandon(r, sigabbrev_np(sig));
		return 128 + sig;
	}
	return -1;
}

/* Relay until the channel closes: -1, or the status of an early end. */
static int
relay_loop(struct relay *r, const struct args *a)
{
	ssh_event ev = ssh_event_new();
	int rc = -1;

	if (ev == NULL || ssh_event_add_session(ev, r->s) != SSH_OK)
		err_die(EXIT_OWN, "ssh_event: out of memory");
	while (rc < 0 && !r->closed && !ssh_channel_is_closed(r->ch))
		rc = relay_step(r, a, ev);
	ssh_event_remove_session(ev, r->s);
	ssh_event_free(ev);
	return rc;
}

static int
final_status(const struct relay *r, int status_fd)
{
	int sig;

	if (r->signame[0] != '\0') {
		sig = signal_number(r->signame);
		events_pack(status_fd, "{s:s,s:s}", "event", "signal", "signal", r->signame);
		return sig > 0 ? 128 + sig : EXIT_OWN;
	}
	if (r->have_status) {
		events_pack(status_fd, "{s:s,s:i}", "event", "exit", "status", r->exit_status);
		return r->exit_status & 0xff;
	}
	fail_event(status_fd, "protocol", "the server sent no exit status");
	return EXIT_OWN;
}

static int
run_channel(struct sshclient *c, const struct args *a, const struct sshopts *o)
{
	struct ssh_channel_callbacks_struct cb;
	struct relay r;
	char msg[600], *cmd;
	long setup_s;
	int rc, sig;

	memset(&r, 0, sizeof(r));
	r.s = c->s;
	r.sock = c->fd;
	r.in_open = 1;
	r.alive_ms = o->server_alive_interval * 1000;
	r.alive_max = o->server_alive_count_max;
	r.next_alive = time_now_ms() + r.alive_ms;
	/* Opening the channel blocks: bound it as ConnectTimeout or keepalives would. */
	setup_s = o->connect_timeout > 0 ? o->connect_timeout :
	    r.alive_ms > 0 ? (r.alive_ms / 1000) * (r.alive_max + 1) : 0;
	if (setup_s > 0)
		ssh_options_set(c->s, SSH_OPTIONS_TIMEOUT, &setup_s);
	if ((r.ch = ssh_channel_new(c->s)) == NULL || ssh_channel_open_session(r.ch) != SSH_OK) {
		if ((sig = pending_signal()) != 0)
			return 128 + sig;
		snprintf(msg, sizeof(msg), "open channel: %s", ssh_get_error(c->s));
		fail_event(a->status_fd, "protocol", msg);
		return EXIT_OWN;
	}
	memset(&cb, 0, sizeof(cb));
	cb.userdata = &r;
	cb.channel_data_function = cb_data;
	cb.channel_close_function = cb_close;
	cb.channel_exit_status_function = cb_exit_status;
	cb.channel_exit_signal_function = cb_exit_signal;
	ssh_callbacks_init(&cb);
	ssh_set_channel_callbacks(r.ch, &cb);
	if (setup_pty(r.ch, a) != 0)
		err_warn("%s: PTY allocation request failed", a->dest);
	cmd = a->ncmd > 0 ? strv_join(a->cmd, (size_t)a->ncmd) : NULL;
	rc = cmd != NULL ? ssh_channel_request_exec(r.ch, cmd) : ssh_channel_request_shell(r.ch);
	free(cmd);
	if ((sig = pending_signal()) != 0) {
		abandon(&r, sigabbrev_np(sig));
		return 128 + sig;
	}
	if (rc != SSH_OK) {
		snprintf(msg, sizeof(msg), "start command: %s", ssh_get_error(c->s));
		fail_event(a->status_fd, "protocol", msg);
		return EXIT_OWN;
	}
	if (a->timeout_ms > 0)
		r.deadline = time_now_ms() + a->timeout_ms;
	ssh_set_blocking(c->s, 0);
	rc = relay_loop(&r, a);
	restore_tty();
	ssh_set_blocking(c->s, 1);
	if (rc < 0)
		rc = final_status(&r, a->status_fd);
	ssh_channel_free(r.ch);
	return rc;
}

int
main(int argc, char **argv)
{
	struct sshauth_secrets sec;
	struct sshclient_params p;
	struct sshclient c;
	struct sshopts o;
	struct args a;
	struct errbuf eb;
	char host[HOSTLIST_NAME_MAX];
	int rc;

	if (spawn_sanitize_stdfds() != 0)
		return EXIT_OWN;
	parse_args(&a, argc, argv);
	if (selfpipe_open(sigpipe_fds, &eb) != 0)
		err_die(EXIT_OWN, "%s", eb.msg);
	events_pack(a.status_fd, "{s:s,s:s,s:i}", "event", "hello", "program", "bssh-exec",
	    "version", 1);
	sshopts_init(&o);
	build_options(&a, &o, host, sizeof(host));
	if (o.log_level > err_state.verbosity)
		err_state.verbosity = o.log_level;
	get_secrets(&a, &o, &sec);
	p = (struct sshclient_params){ &o, host, a.agent_only, &sec, a.status_fd };
	if (sshclient_connect(&c, &p, &eb) != 0) {
		sshauth_wipe(&sec);
		fail_event(a.status_fd, sshclient_kind_name(c.kind), eb.msg);
		exit(EXIT_OWN);
	}
	sshauth_wipe(&sec);
	setup_signals();
	rc = a.ping ? 0 : run_channel(&c, &a, &o);
	sshclient_close(&c);
	sshopts_free(&o);
	while (a.nopts > 0)
		free(a.opts[--a.nopts]);
	free(a.opts);
	return rc;
}
