/*
 * bssh-exec: run one command on one host, like ssh(1), and exit with the
 * remote status.  This is the per-node worker of bssh(1) and a program of
 * its own: stdin, stdout and stderr are the remote ones.
 */
#include "config.h"

#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include <libssh/libssh.h>

#include "chanrelay.h"
#include "err.h"
#include "events.h"
#include "hostspec.h"
#include "selfpipe.h"
#include "spawn.h"
#include "sshclient.h"
#include "sshconfig.h"
#include "sshdump.h"
#include "sshtok.h"
#include "strv.h"
#include "timeutil.h"
#include "tty.h"
#include "xalloc.h"

ERR_PROGRAM("bssh-exec");

#define EXIT_OWN	255	/* our own failure, as ssh(1) */

static const char usage_text[] =
    "bssh-exec [-46AGqTtVv] [-F configfile] [-i identity] [-J destination]\n"
    "\t[-l user] [-o option] [-p port]\n"
    "\t[--connect-timeout S] [--timeout S] [--strict-host-key-checking MODE]\n"
    "\t[--server-alive-interval S] [--server-alive-count-max N]\n"
    "\t[--status-fd N] [--secrets-fd N] [--password] [--ping]\n"
    "\t[user@]host[:port] [command ...]";

/* Everything the command line asked for. */
struct args {
	char		**opts;		/* "Key=Value", in command-line order */
	size_t		 nopts;
	size_t		 opts_before_dest;	/* where the destination stood */
	const char	*dest;
	char		**cmd;
	int		 ncmd;
	int		 agent_only;
	int		 ping;
	int		 want_password;
	const char	*config_file;	/* -F */
	int		 dump;		/* -G */
	int		 status_fd;
	int		 secrets_fd;
	int64_t		 timeout_ms;
	char		*command;	/* the words joined, or RemoteCommand; NULL: shell */
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
	case 'F': a->config_file = arg; break;
	case 'G': a->dump = 1; break;
	case 'J': push_opt(a, "ProxyJump", arg); break;
	case 'i': push_opt(a, "IdentityFile", arg); break;
	case 'l': push_opt(a, "User", arg); break;
	case 'o': push_opt(a, arg, NULL); break;
	case 'p': push_opt(a, "Port", arg); break;
	case 'q': err_state.quiet = 1; break;
	case 'T': push_opt(a, "RequestTTY", "no"); break;
	case 't': push_opt(a, "RequestTTY", "force"); break;
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
	while ((c = getopt_long(argc, argv, "+:46AF:GJ:i:l:o:p:qTtvV", longopts, NULL)) != -1) {
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
	a->opts_before_dest = a->nopts;
	dest = argv[i];
	argv[i] = argv[0];	/* the second scan sees our name as its argv[0] */
	j = scan(a, argc - i, argv + i);
	argv[i] = dest;
	a->dest = dest;
	a->cmd = argv + i + j;
	a->ncmd = argc - i - j;
}

/* The system ssh_config: BSSH_SYSTEM_SSH_CONFIG (tests) or /etc/ssh/ssh_config. */
static const char *
system_config(void)
{
	const char *env = getenv("BSSH_SYSTEM_SSH_CONFIG");

	return env != NULL && *env != '\0' ? env : SSHCONFIG_SYSTEM_FILE;
}

/*
 * Destination parts first (user@ and :port beat -l and -p), then -o and
 * the flags in command-line order, then ssh_config: the first value wins.
 * host_arg gets the destination's host as given.
 */
/* The destination's user@ and :port, at its place among the options. */
static void
dest_options(struct sshopts *o, const struct hostspec *hs)
{
	struct errbuf eb;
	char port[16];

	if (hs->user[0] != '\0' && sshopts_set(o, "User", hs->user, &eb) != 0)
		err_die(EXIT_OWN, "%s", eb.msg);
	snprintf(port, sizeof(port), "%d", hs->port);
	if (hs->port != 0 && sshopts_set(o, "Port", port, &eb) != 0)
		err_die(EXIT_OWN, "%s", eb.msg);
}

static void
build_options(const struct args *a, struct sshopts *o, char *host_arg, size_t len)
{
	struct sshconfig_params cp;
	const char *d = a->dest;
	struct hostspec hs;
	struct errbuf eb;
	size_t i;

	if (strncmp(d, "ssh://", 6) == 0)
		d += 6;
	if (hostspec_parse(d, &hs, &eb) != 0)
		err_die(EXIT_OWN, "destination %s", eb.msg);
	snprintf(host_arg, len, "%s", hs.host);
	/* As ssh: every value in command-line order, the first one wins. */
	for (i = 0; i < a->nopts; i++) {
		if (i == a->opts_before_dest)
			dest_options(o, &hs);
		if (sshopts_set_arg(o, a->opts[i], &eb) != 0)
			err_die(EXIT_OWN, "-o %s", eb.msg);
	}
	if (a->nopts <= a->opts_before_dest)
		dest_options(o, &hs);
	memset(&cp, 0, sizeof(cp));
	cp.host_arg = host_arg;
	cp.file = a->config_file;
	cp.system_file = system_config();
	if (strcmp(cp.system_file, "none") == 0)
		cp.system_file = "/dev/null";
	if (sshconfig_resolve(o, &cp, &eb) != 0)
		err_die(EXIT_OWN, "%s", eb.msg);
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

static struct termios saved_tty;
static int tty_raw;

static void
restore_tty(void)
{
	if (tty_raw)
		(void)tcsetattr(STDIN_FILENO, TCSADRAIN, &saved_tty);
	tty_raw = 0;
}

/*
 * Whether to ask for a PTY: RequestTTY (-t is force, -T no) with ssh's
 * rules: yes and force ask, auto asks for a shell, and only force asks
 * when standard input is not a terminal.
 */
static int
want_tty(const struct sshopts *o, const char *cmd)
{
	int tty = o->request_tty == RTTY_YES || o->request_tty == RTTY_FORCE;

	if (cmd == NULL)
		tty = o->request_tty != RTTY_NO;
	if (o->request_tty == RTTY_NO)
		tty = 0;
	if (!isatty(STDIN_FILENO) && o->request_tty != RTTY_FORCE)
		tty = 0;
	return tty;
}

/* A PTY when want_tty() says so, as ssh(1) does. */
static int
setup_pty(ssh_channel ch, int pty)
{
	const char *term = getenv("TERM");
	struct termios raw;
	int cols, rows;

	if (!pty)
		return 0;
	tty_window_size(STDIN_FILENO, &cols, &rows);
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

/* What the relay's end means for our exit status and status events. */
static int
relay_status(const struct chanrelay_result *res, const struct args *a, long alive_max,
    ssh_session s)
{
	char msg[600];
	int sig;

	switch (res->end) {
	case CR_LOST:
		snprintf(msg, sizeof(msg), "connection to %s lost: %s", a->dest, ssh_get_error(s));
		fail_event(a->status_fd, "protocol", msg);
		return EXIT_OWN;
	case CR_TIMEOUT:
		snprintf(msg, sizeof(msg), "command timed out after %.3g s",
		    (double)a->timeout_ms / 1000.0);
		fail_event(a->status_fd, "timeout", msg);
		return EXIT_OWN;
	case CR_DEAD:
		snprintf(msg, sizeof(msg), "%s: no answer to %ld keepalives: server not "
		    "responding", a->dest, alive_max);
		fail_event(a->status_fd, "timeout", msg);
		return EXIT_OWN;
	case CR_SIGNAL:
		return 128 + res->sig;
	case CR_CLOSED:
		break;
	}
	if (res->signame[0] != '\0') {
		sig = chanrelay_signal_number(res->signame);
		events_pack(a->status_fd, "{s:s,s:s}", "event", "signal", "signal", res->signame);
		return sig > 0 ? 128 + sig : EXIT_OWN;
	}
	if (res->have_status) {
		events_pack(a->status_fd, "{s:s,s:i}", "event", "exit", "status", res->exit_status);
		return res->exit_status & 0xff;
	}
	fail_event(a->status_fd, "protocol", "the server sent no exit status");
	return EXIT_OWN;
}

/*
 * SendEnv: every variable of our environment whose name matches a
 * pattern, then SetEnv's; a variable the server refuses is skipped
 * silently, as ssh does.
 */
static void
send_env(ssh_channel ch, const struct sshopts *o)
{
	extern char **environ;
	char name[256];
	size_t i, j, n;

	for (i = 0; environ[i] != NULL && o->n_send_env > 0; i++) {
		n = strcspn(environ[i], "=");
		if (n == 0 || n >= sizeof(name) || environ[i][n] != '=')
			continue;
		memcpy(name, environ[i], n);
		name[n] = '\0';
		for (j = 0; j < o->n_send_env && !sshtok_match(name, o->send_env[j]); j++)
			;
		if (j == o->n_send_env)
			continue;
		err_debug(1, "sending environment variable %s", name);
		(void)ssh_channel_request_env(ch, name, environ[i] + n + 1);
	}
	for (i = 0; i < o->n_set_env; i++) {
		n = strcspn(o->set_env[i], "=");
		if (n >= sizeof(name))
			continue;
		memcpy(name, o->set_env[i], n);
		name[n] = '\0';
		err_debug(1, "setting environment variable %s", name);
		(void)ssh_channel_request_env(ch, name, o->set_env[i] + n + 1);
	}
}

/* Start the command (or shell) and relay it; returns our exit status. */
static int
start_command(ssh_channel ch, const struct args *a, const struct sshopts *o, int pty,
    char *msg, size_t msglen)
{
	int rc, sig;

	send_env(ch, o);
	if (setup_pty(ch, pty) != 0)
		err_warn("%s: PTY allocation request failed", a->dest);
	rc = a->command != NULL ? ssh_channel_request_exec(ch, a->command) :
	    ssh_channel_request_shell(ch);
	if ((sig = pending_signal()) != 0)
		return 128 + sig;
	if (rc != SSH_OK) {
		snprintf(msg, msglen, "start command: %s", ssh_get_error(ssh_channel_get_session(ch)));
		return EXIT_OWN;
	}
	return 0;
}

static int
run_channel(struct sshclient *c, const struct args *a, const struct sshopts *o)
{
	struct chanrelay_params p = { c->s, NULL, c->fd, STDIN_FILENO, STDOUT_FILENO,
	    STDERR_FILENO, sigpipe_fds[0], 0, o->server_alive_interval * 1000,
	    o->server_alive_count_max };
	struct chanrelay_result res;
	struct chanrelay *r = NULL;
	char msg[600] = "";
	long setup_s;
	int rc;

	/* Opening the channel blocks: bound it as ConnectTimeout or keepalives would. */
	setup_s = o->connect_timeout > 0 ? o->connect_timeout :
	    p.alive_ms > 0 ? o->server_alive_interval * (p.alive_max + 1) : 0;
	if (setup_s > 0)
		ssh_options_set(c->s, SSH_OPTIONS_TIMEOUT, &setup_s);
	if ((p.ch = ssh_channel_new(c->s)) == NULL || ssh_channel_open_session(p.ch) != SSH_OK) {
		if ((rc = pending_signal()) != 0)
			return 128 + rc;
		snprintf(msg, sizeof(msg), "open channel: %s", ssh_get_error(c->s));
		fail_event(a->status_fd, "protocol", msg);
		return EXIT_OWN;
	}
	p.pty = want_tty(o, a->command);
	if ((r = chanrelay_new(&p)) == NULL)
		err_die(EXIT_OWN, "out of memory");
	if ((rc = start_command(p.ch, a, o, p.pty, msg, sizeof(msg))) == 0) {
		if (chanrelay_run(r, a->timeout_ms > 0 ? time_now_ms() + a->timeout_ms : 0,
		    &res) != 0)
			err_die_sys(EXIT_OWN, "relay");
		restore_tty();
		rc = relay_status(&res, a, p.alive_max, c->s);
	} else if (rc > 128) {
		chanrelay_abandon(c->s, p.ch, sigabbrev_np(rc - 128));
	} else {
		fail_event(a->status_fd, "protocol", msg);
	}
	chanrelay_free(r);
	ssh_channel_free(p.ch);
	return rc;
}

/*
 * After ssh_config: -G prints and exits; a jump host is refused (not
 * built yet); the command is the words given or RemoteCommand.
 */
static void
settle(struct args *a, struct sshopts *o, const char *host_arg)
{
	if (a->dump) {
		sshdump_print(o, host_arg, stdout);
		exit(fflush(stdout) == 0 ? 0 : EXIT_OWN);
	}
	if (o->proxy_jump != NULL)
		err_die(EXIT_OWN, "ProxyJump/-J: jump hosts are not supported yet");
	if (a->ncmd > 0 && o->remote_command != NULL)
		err_die(EXIT_OWN, "cannot execute a command line and a RemoteCommand");
	if (a->ncmd > 0)
		a->command = strv_join(a->cmd, (size_t)a->ncmd);
	else if (o->remote_command != NULL)
		a->command = xstrdup(o->remote_command);
	if (sshopts_resolve_agent(o) != 0)
		err_die(EXIT_OWN, "out of memory");
	if (o->log_level > err_state.verbosity)
		err_state.verbosity = o->log_level;
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
	char host_arg[HOSTSPEC_NAME_MAX];
	int rc;

	if (spawn_sanitize_stdfds() != 0)
		return EXIT_OWN;
	parse_args(&a, argc, argv);
	if (selfpipe_open(sigpipe_fds, &eb) != 0)
		err_die(EXIT_OWN, "%s", eb.msg);
	events_pack(a.status_fd, "{s:s,s:s,s:i}", "event", "hello", "program", "bssh-exec",
	    "version", 1);
	sshopts_init(&o);
	build_options(&a, &o, host_arg, sizeof(host_arg));
	settle(&a, &o, host_arg);
	get_secrets(&a, &o, &sec);
	p = (struct sshclient_params){ &o, o.hostname, a.agent_only, &sec, a.status_fd,
	    host_arg };
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
	free(a.command);
	while (a.nopts > 0)
		free(a.opts[--a.nopts]);
	free(a.opts);
	return rc;
}
