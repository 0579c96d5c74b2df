#include "config.h"

#include <sys/socket.h>

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sys/wait.h>

#include "events.h"
#include "knownhosts.h"
#include "spawn.h"
#include "sshclient.h"
#include "sshtok.h"
#include "timeutil.h"

#define NO_DEADLINE_S	(86400L * 365)

const char *
sshclient_kind_name(enum sc_errkind k)
{
	static const char *const names[] = { "ok", "connect", "hostkey", "auth",
	    "protocol", "timeout" };

	return (unsigned)k < sizeof(names) / sizeof(names[0]) ? names[k] : "protocol";
}

static int
fail(struct sshclient *c, enum sc_errkind kind)
{
	c->kind = kind;
	return -1;
}

/* Wait for a non-blocking connect(2) until deadline; 0, or -1 with errno. */
static int
wait_connected(int fd, int64_t deadline)
{
	struct pollfd pfd = { .fd = fd, .events = POLLOUT };
	socklen_t len = sizeof(int);
	int r, soerr = 0;

	do {
		r = poll(&pfd, 1, time_poll_timeout(deadline, time_now_ms()));
	} while (r < 0 && errno == EINTR);
	if (r == 0) {
		errno = ETIMEDOUT;
		return -1;
	}
	if (r < 0 || getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &len) != 0)
		return -1;
	if (soerr != 0) {
		errno = soerr;
		return -1;
	}
	return 0;
}

static int
tcp_try(const struct addrinfo *ai, int64_t deadline, char *addr, size_t addrlen)
{
	int fd, one = 1;
	char serv[16];

	getnameinfo(ai->ai_addr, ai->ai_addrlen, addr, (socklen_t)addrlen, serv,
	    sizeof(serv), NI_NUMERICHOST | NI_NUMERICSERV);
	fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK,
	    ai->ai_protocol);
	if (fd < 0)
		return -1;
	if (connect(fd, ai->ai_addr, ai->ai_addrlen) != 0 &&
	    (errno != EINPROGRESS || wait_connected(fd, deadline) != 0)) {
		int e = errno;

		close(fd);
		errno = e;
		return -1;
	}
	(void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	(void)setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &one, sizeof(one));
	(void)fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
	return fd;
}

/* Try every address, ConnectionAttempts times, until one connects. */
static int
tcp_connect(struct sshclient *c, const struct sshopts *o, const char *host,
    int64_t deadline, struct errbuf *eb)
{
	struct addrinfo hints, *res = NULL, *ai;
	char port[16];
	long attempt;
	int rc, fd = -1;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = o->address_family;
	hints.ai_socktype = SOCK_STREAM;
	snprintf(port, sizeof(port), "%d", o->port);
	rc = getaddrinfo(host, port, &hints, &res);
	if (rc != 0)
		return err_set(eb, "resolve %s: %s", host,
		    rc == EAI_SYSTEM ? strerror(errno) : gai_strerror(rc));
	for (attempt = 0; fd < 0 && attempt < o->connection_attempts; attempt++) {
		for (ai = res; ai != NULL && fd < 0; ai = ai->ai_next) {
			fd = tcp_try(ai, deadline, c->addr, sizeof(c->addr));
			if (fd < 0)
				err_set_sys(eb, "connect to %s port %d", c->addr, o->port);
			if (fd < 0 && errno == ETIMEDOUT)
				c->kind = SC_ERR_TIMEOUT;
			if (deadline != 0 && time_now_ms() >= deadline)
				break;
		}
		if (deadline != 0 && time_now_ms() >= deadline)
			break;
	}
	freeaddrinfo(res);
	c->fd = fd;
	return fd < 0 ? -1 : 0;
}

/* The ProxyCommand line as ssh runs it: "exec " + command, tokens expanded. */
static char *
proxy_line(const struct sshopts *o, const char *host, const char *host_arg,
    struct errbuf *eb)
{
	char port[16], *cmd, *line = NULL;
	struct sshtok_key k[5] = { { 'h', host }, { 'k', o->host_key_alias != NULL ?
	    o->host_key_alias : host_arg }, { 'n', host_arg }, { 'p', port }, { 'r', o->user } };

	snprintf(port, sizeof(port), "%d", o->port);
	if (asprintf(&cmd, "exec %s", o->proxy_command) < 0) {
		err_set(eb, "ProxyCommand: out of memory");
		return NULL;
	}
	if ((line = sshtok_expand(cmd, k, 5, SSHTOK_PERCENT, eb)) == NULL) {
		char why[sizeof(eb->msg)];

		snprintf(why, sizeof(why), "%s", eb->msg);
		err_set(eb, "ProxyCommand %s: %s", o->proxy_command, why);
	}
	free(cmd);
	return line;
}

/* Start the ProxyCommand on a socketpair; c->fd is our end. */
static int
proxy_start(struct sshclient *c, const struct sshopts *o, const char *host,
    const char *host_arg, struct errbuf *eb)
{
	const char *shell = getenv("SHELL");
	struct spawn_fd map[2];
	char *line, *argv[4];
	int sv[2];

	if ((line = proxy_line(o, host, host_arg, eb)) == NULL)
		return -1;
	if (shell == NULL || *shell == '\0')
		shell = "/bin/sh";
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0) {
		free(line);
		return err_set_sys(eb, "ProxyCommand: socketpair");
	}
	map[0] = (struct spawn_fd){ 0, sv[1] };
	map[1] = (struct spawn_fd){ 1, sv[1] };
	argv[0] = (char *)shell;
	argv[1] = (char *)"-c";
	argv[2] = line;
	argv[3] = NULL;
	err_debug(1, "executing proxy command: %s", line);
	c->proxy_pid = spawn_start(shell, argv, map, 2, SPAWN_PGROUP, eb);
	free(line);
	close(sv[1]);
	if (c->proxy_pid < 0) {
		c->proxy_pid = 0;
		close(sv[0]);
		return -1;
	}
	c->fd = sv[0];
	snprintf(c->addr, sizeof(c->addr), "ProxyCommand");
	return 0;
}

/* Why a handshake through the proxy failed, when the proxy has exited. */
static void
proxy_failed(struct sshclient *c, const char *host, struct errbuf *eb)
{
	pid_t r = 0;
	int st, i;

	/* The socket closed: a proxy that is exiting gets 200 ms to finish. */
	for (i = 0; c->proxy_pid > 0 && i < 40 && (r = waitpid(c->proxy_pid, &st, WNOHANG)) == 0;
	    i++)
		usleep(5000);
	if (c->proxy_pid <= 0 || r != c->proxy_pid)
		return;
	c->proxy_pid = 0;
	err_set(eb, "ssh handshake with %s: ProxyCommand exited with status %d", host,
	    spawn_exit_code(st));
}

static void
proxy_stop(struct sshclient *c)
{
	int st, i;

	if (c->proxy_pid <= 0)
		return;
	spawn_kill_group(c->proxy_pid, SIGHUP);
	for (i = 0; i < 100 && waitpid(c->proxy_pid, &st, WNOHANG) == 0; i++)
		usleep(i < 10 ? 1000 : 10000);
	if (i == 100) {
		spawn_kill_group(c->proxy_pid, SIGKILL);
		(void)waitpid(c->proxy_pid, &st, 0);
	}
	spawn_kill_group(c->proxy_pid, SIGKILL);	/* whatever it left behind */
	c->proxy_pid = 0;
}

static long
remaining_s(int64_t deadline)
{
	int64_t left;

	if (deadline == 0)
		return NO_DEADLINE_S;
	left = deadline - time_now_ms();
	return left <= 1000 ? 1 : (long)((left + 999) / 1000);
}

static int
set_opt(ssh_session s, enum ssh_options_e opt, const void *v, const char *what,
    struct errbuf *eb)
{
	if (v == NULL || ssh_options_set(s, opt, v) == 0)
		return 0;
	return err_set(eb, "option %s: %s", what, ssh_get_error(s));
}

/* Algorithm lists go to libssh as given; it rejects what it lacks. */
static int
session_options(ssh_session s, const struct sshopts *o, const char *host, int fd,
    struct errbuf *eb)
{
	int zero = 0, one = 1, port = o->port;
	int verb = o->log_level >= 3 ? SSH_LOG_PROTOCOL : SSH_LOG_NOLOG;

	if (set_opt(s, SSH_OPTIONS_PROCESS_CONFIG, &zero, "ProcessConfig", eb) ||
	    set_opt(s, SSH_OPTIONS_FD, &fd, "fd", eb) ||
	    set_opt(s, SSH_OPTIONS_HOST, host, "HostName", eb) ||
	    set_opt(s, SSH_OPTIONS_PORT, &port, "Port", eb) ||
	    set_opt(s, SSH_OPTIONS_USER, o->user, "User", eb) ||
	    set_opt(s, SSH_OPTIONS_NODELAY, &one, "NoDelay", eb) ||
	    set_opt(s, SSH_OPTIONS_LOG_VERBOSITY, &verb, "LogLevel", eb) ||
	    set_opt(s, SSH_OPTIONS_KEY_EXCHANGE, o->kex_algorithms, "KexAlgorithms", eb) ||
	    set_opt(s, SSH_OPTIONS_CIPHERS_C_S, o->ciphers, "Ciphers", eb) ||
	    set_opt(s, SSH_OPTIONS_CIPHERS_S_C, o->ciphers, "Ciphers", eb) ||
	    set_opt(s, SSH_OPTIONS_HMAC_C_S, o->macs, "MACs", eb) ||
	    set_opt(s, SSH_OPTIONS_HMAC_S_C, o->macs, "MACs", eb) ||
	    set_opt(s, SSH_OPTIONS_HOSTKEYS, o->hostkey_algorithms, "HostKeyAlgorithms", eb) ||
	    set_opt(s, SSH_OPTIONS_COMPRESSION, o->compression == OPT_YES ? "yes" : "no",
	    "Compression", eb))
		return -1;
	/* libssh orders host key algorithms by what these files know. */
	if (o->n_user_known_hosts > 0 &&
	    set_opt(s, SSH_OPTIONS_KNOWNHOSTS, o->user_known_hosts[0], "UserKnownHostsFile", eb))
		return -1;
	if (o->n_global_known_hosts > 0 && o->global_known_hosts[0][0] != '~' &&
	    set_opt(s, SSH_OPTIONS_GLOBAL_KNOWNHOSTS, o->global_known_hosts[0],
	    "GlobalKnownHostsFile", eb))
		return -1;
	return 0;
}

static void
changed_banner(const char *name, const char *type, const char *fp, const struct kh_result *r)
{
	fprintf(stderr,
	    "@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@\n"
	    "@    WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!     @\n"
	    "@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@\n"
	    "IT IS POSSIBLE THAT SOMEONE IS DOING SOMETHING NASTY!\n"
	    "Someone could be eavesdropping on you right now (man-in-the-middle attack)!\n"
	    "It is also possible that a host key has just been changed.\n"
	    "The fingerprint for the %s key sent by the remote host %s is\n%s.\n"
	    "Offending %s key in %s:%ld\n",
	    type, name, fp, r->keytype, r->file, r->line);
	fflush(stderr);
}

struct hostkey {
	char		 name[KH_NAME_MAX];
	const char	*type;
	char		*b64;
	char		*fp;
};

static int
hostkey_get(ssh_session s, const char *host, int port, struct hostkey *hk,
    struct errbuf *eb)
{
	ssh_key key = NULL;
	unsigned char *hash = NULL;
	size_t hlen = 0;

	knownhosts_name(hk->name, sizeof(hk->name), host, port);
	if (ssh_get_server_publickey(s, &key) != SSH_OK)
		return err_set(eb, "host key of %s: %s", host, ssh_get_error(s));
	hk->type = ssh_key_type_to_char(ssh_key_type(key));
	if (hk->type == NULL || ssh_pki_export_pubkey_base64(key, &hk->b64) != SSH_OK ||
	    ssh_get_publickey_hash(key, SSH_PUBLICKEY_HASH_SHA256, &hash, &hlen) != 0) {
		ssh_key_free(key);
		return err_set(eb, "host key of %s: cannot encode", host);
	}
	hk->fp = ssh_get_fingerprint_hash(SSH_PUBLICKEY_HASH_SHA256, hash, hlen);
	ssh_clean_pubkey_hash(&hash);
	ssh_key_free(key);
	return hk->fp == NULL ? err_set(eb, "host key of %s: cannot hash", host) : 0;
}

static void
hostkey_free(struct hostkey *hk)
{
	ssh_string_free_char(hk->b64);
	ssh_string_free_char(hk->fp);
}

/* Record an unknown key for accept-new and no. */
static int
hostkey_learn(const struct sshopts *o, const struct hostkey *hk, int status_fd,
    struct errbuf *eb)
{
	struct kh_result r;

	if (o->n_user_known_hosts == 0)
		return 0;
	int flags = (o->hash_known_hosts == OPT_YES ? KH_ADD_HASH : 0) |
	    (o->strict == SHK_NO ? KH_ADD_OTHER : 0);

	if (knownhosts_add(o->user_known_hosts[0], hk->name, hk->type, hk->b64, flags, &r,
	    eb) != 0)
		return -1;
	if (r.status == KH_UNKNOWN || (r.status == KH_OTHER && (flags & KH_ADD_OTHER))) {
		err_debug(1, "Permanently added '%s' (%s) to the list of known hosts.",
		    hk->name, hk->type);
		events_pack(status_fd, "{s:s,s:s,s:s,s:s}", "event", "hostkey", "action",
		    "added", "file", o->user_known_hosts[0], "fingerprint", hk->fp);
		return 0;
	}
	if (r.status == KH_OK)
		return 0;
	return err_set(eb, "host key for %s changed while it was being recorded (%s:%ld)",
	    hk->name, r.file, r.line);
}

/*
 * Returns 0 to go on, 1 to go on without password authentication (the
 * key changed and StrictHostKeyChecking is no: a man in the middle must
 * not learn the password, as OpenSSH does), -1 to refuse.
 */
static int
hostkey_verdict(const struct sshopts *o, const struct hostkey *hk,
    const struct kh_result *r, int status_fd, struct errbuf *eb)
{
	switch (r->status) {
	case KH_OK:
		return 0;
	case KH_REVOKED:
		return err_set(eb, "host key for %s is revoked (%s:%ld)", hk->name,
		    r->file, r->line);
	case KH_CHANGED:
		changed_banner(hk->name, hk->type, hk->fp, r);
		if (o->strict == SHK_NO) {
			err_warn("host key for %s has changed; continuing because "
			    "StrictHostKeyChecking is no", hk->name);
			err_warn("password and keyboard-interactive authentication are disabled "
			    "to avoid man-in-the-middle attacks");
			return 1;
		}
		return err_set(eb, "host key for %s has changed (offending %s key in %s:%ld)",
		    hk->name, r->keytype, r->file, r->line);
	case KH_OTHER:
		if (o->strict == SHK_NO)
			return hostkey_learn(o, hk, status_fd, eb);
		return err_set(eb, "host key for %s is known as %s (%s:%ld), the server "
		    "offered %s %s", hk->name, r->keytype, r->file, r->line, hk->type, hk->fp);
	case KH_UNKNOWN:
		break;
	}
	if (o->strict == SHK_YES)
		return err_set(eb, "no host key is known for %s (%s %s) and "
		    "StrictHostKeyChecking is yes", hk->name, hk->type, hk->fp);
	return hostkey_learn(o, hk, status_fd, eb);
}

static int
verify_hostkey(ssh_session s, const struct sshopts *o, const char *host, int status_fd,
    struct errbuf *eb)
{
	const char *files[2 * SSHOPTS_MAX_LIST];
	char *global[SSHOPTS_MAX_LIST];
	struct hostkey hk;
	struct kh_result r;
	size_t n = 0, ng = 0, i;
	int rc = 0;

	memset(&hk, 0, sizeof(hk));
	if (hostkey_get(s, o->host_key_alias != NULL ? o->host_key_alias : host, o->port, &hk,
	    eb) != 0)
		return -1;
	for (i = 0; i < o->n_user_known_hosts; i++)
		files[n++] = o->user_known_hosts[i];
	for (i = 0; i < o->n_global_known_hosts && rc == 0; i++) {
		if ((global[ng] = sshtok_tilde(o->global_known_hosts[i], sshopts_home(), eb)) == NULL)
			rc = -1;
		else
			files[n++] = global[ng++];
	}
	if (rc == 0)
		rc = knownhosts_check(files, n, hk.name, hk.type, hk.b64, &r, eb);
	if (rc == 0)
		rc = hostkey_verdict(o, &hk, &r, status_fd, eb);
	while (ng > 0)
		free(global[--ng]);
	hostkey_free(&hk);
	return rc;	/* 0, 1 (no passwords) or -1 */
}

static void
emit_connected(ssh_session s, const struct sshclient *c, int status_fd)
{
	const char *kex = ssh_get_kex_algo(s), *cipher = ssh_get_cipher_out(s);

	events_pack(status_fd, "{s:s,s:s,s:s,s:s}", "event", "connected", "address",
	    c->addr, "kex", kex ? kex : "", "cipher", cipher ? cipher : "");
}

int
sshclient_connect(struct sshclient *c, const struct sshclient_params *p, struct errbuf *eb)
{
	const struct sshopts *o = p->o;
	int64_t deadline = o->connect_timeout > 0 ?
	    time_now_ms() + o->connect_timeout * 1000 : 0;
	struct sshopts safe;
	long left;
	int hk;

	memset(c, 0, sizeof(*c));
	c->fd = -1;
	c->kind = SC_ERR_CONNECT;
	if (o->proxy_command != NULL ? proxy_start(c, o, p->host, p->host_arg != NULL ?
	    p->host_arg : p->host, eb) != 0 : tcp_connect(c, o, p->host, deadline, eb) != 0)
		return -1;
	if ((c->s = ssh_new()) == NULL) {
		sshclient_close(c);
		err_set(eb, "ssh_new: out of memory");
		return fail(c, SC_ERR_PROTOCOL);
	}
	left = remaining_s(deadline);
	if (session_options(c->s, o, p->host, c->fd, eb) != 0 ||
	    ssh_options_set(c->s, SSH_OPTIONS_TIMEOUT, &left) != 0)
		goto fail_protocol;
	if (ssh_connect(c->s) != SSH_OK) {
		enum sc_errkind k = (deadline != 0 && time_now_ms() >= deadline) ?
		    SC_ERR_TIMEOUT : SC_ERR_PROTOCOL;

		err_set(eb, "ssh handshake with %s: %s", p->host, ssh_get_error(c->s));
		proxy_failed(c, p->host, eb);
		sshclient_close(c);
		return fail(c, k);
	}
	emit_connected(c->s, c, p->status_fd);
	if ((hk = verify_hostkey(c->s, o, p->host, p->status_fd, eb)) < 0) {
		sshclient_close(c);
		return fail(c, SC_ERR_HOSTKEY);
	}
	safe = *o;	/* shallow: only the two flags below differ */
	if (hk == 1)
		safe.password_auth = safe.kbdint_auth = OPT_NO;
	left = remaining_s(deadline);
	ssh_options_set(c->s, SSH_OPTIONS_TIMEOUT, &left);
	if (sshauth_run(c->s, &safe, p->host, p->agent_only, p->sec, c->method, eb) != 0) {
		enum sc_errkind k = (deadline != 0 && time_now_ms() >= deadline) ?
		    SC_ERR_TIMEOUT : SC_ERR_AUTH;

		sshclient_close(c);
		return fail(c, k);
	}
	events_pack(p->status_fd, "{s:s,s:s}", "event", "authenticated", "method", c->method);
	c->kind = SC_OK;
	return 0;
fail_protocol:
	sshclient_close(c);
	return fail(c, SC_ERR_PROTOCOL);
}

void
sshclient_close(struct sshclient *c)
{
	if (c->s != NULL) {
		if (ssh_is_connected(c->s))
			ssh_disconnect(c->s);
		ssh_free(c->s);
		c->s = NULL;
	}
	if (c->fd >= 0) {
		close(c->fd);
		c->fd = -1;
	}
	proxy_stop(c);
}
