/*
 * Unit tests of the small lib/ modules: sshopts (first value wins, lists,
 * -o parsing, errors, defaults), exitcode (strategies, main rank),
 * spill (memory, temp file, order, spooling), strv and timeutil.
 */
#include "config.h"

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pwd.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tap.h"
#include "exitcode.h"
#include "spill.h"
#include "sshopts.h"
#include "strv.h"
#include "timeutil.h"

#define MIB	(1024 * 1024)

static struct errbuf eb;
static char	tmpdir[] = "/tmp/test_misc.XXXXXX";

static const char *set_err(struct sshopts *, const char *, const char *);
static char	*home_path(const char *);
static unsigned char pattern(size_t);
static int	 file_equals_pattern(int, size_t);
static void	 test_sshopts_first(void);
static void	 test_sshopts_lists(void);
static void	 test_sshopts_arg(void);
static void	 test_sshopts_kinds(void);
static void	 test_sshopts_bad(void);
static void	 test_sshopts_finish(void);
static void	 test_sshopts_finish_set(void);
static void	 test_sshopts_shk(void);
static void	 test_exitcode(void);
static void	 test_exitcode_rank(void);
static void	 test_spill_mem(void);
static void	 test_spill_file(void);
static void	 test_spill_big(void);
static void	 test_spill_errors(void);
static void	 test_spill_spool(void);
static void	 test_strv(void);
static void	 test_time_seconds(void);
static void	 test_time_int(void);
static void	 test_time_deadlines(void);

/* The error message of sshopts_set(k, v), or "" when it succeeds. */
static const char *
set_err(struct sshopts *o, const char *k, const char *v)
{
	memset(&eb, 0, sizeof(eb));
	if (sshopts_set(o, k, v, &eb) == 0) {
		return "";
	}
	return eb.msg;
}

/* $HOME/rel (static buffer). */
static char *
home_path(const char *rel)
{
	static char buf[4200];

	snprintf(buf, sizeof(buf), "%s/%s", tmpdir, rel);
	return buf;
}

static void
test_sshopts_first(void)
{
	struct sshopts o;

	sshopts_init(&o);
	ok(o.user == NULL && o.port == 0 && o.strict == SHK_UNSET &&
	    o.connect_timeout == -1 && o.batch_mode == OPT_UNSET &&
	    o.address_family == -1 && o.log_level == -1,
	    "sshopts: init leaves all unset");
	is_str(set_err(&o, "User", "alice"), "", "sshopts: set User");
	is_str(set_err(&o, "user", "bob"), "", "sshopts: second User accepted");
	is_str(o.user, "alice", "sshopts: first User wins");
	set_err(&o, "Port", "2222");
	set_err(&o, "PORT", "22");
	is_long(o.port, 2222,
	    "sshopts: first Port wins, keyword case-insensitive");
	set_err(&o, "BatchMode", "no");
	set_err(&o, "BatchMode", "yes");
	is_long(o.batch_mode, OPT_NO, "sshopts: first BatchMode (no) wins");
	set_err(&o, "ConnectTimeout", "none");
	set_err(&o, "ConnectTimeout", "10");
	is_long(o.connect_timeout, 10,
	    "sshopts: ConnectTimeout none leaves it unset, as in ssh");
	set_err(&o, "StrictHostKeyChecking", "no");
	set_err(&o, "StrictHostKeyChecking", "yes");
	is_long(o.strict, SHK_NO, "sshopts: first StrictHostKeyChecking wins");
	ok(strcmp(set_err(&o, "Port", "abc"), "") != 0,
	    "sshopts: a bad value is an error even once set, as in ssh");
	set_err(&o, "LogLevel", "bogus-level");
	set_err(&o, "LogLevel", "DEBUG2");
	is_long(o.log_level, 2, "sshopts: a bad value leaves the option unset");
	sshopts_free(&o);
	ok(o.user == NULL && o.port == 0, "sshopts: free resets");
}

static void
test_sshopts_lists(void)
{
	struct sshopts o;
	char name[32];
	int i;

	sshopts_init(&o);
	set_err(&o, "IdentityFile", "/a/id1");
	set_err(&o, "identityfile", "~/.ssh/custom");
	set_err(&o, "IdentityFile", "~");
	ok(strstr(set_err(&o, "IdentityFile", "~no-such-user-here/key"), "no such user") != NULL,
	    "lists: ~user of an unknown user is an error");
	set_err(&o, "IdentityFile", "rel/key");
	set_err(&o, "IdentityFile", "/a/id5");
	is_long(o.n_identity_files, 5, "lists: IdentityFile accumulates");
	is_str(o.identity_files[0], "/a/id1", "lists: first in order");
	is_str(o.identity_files[1], home_path(".ssh/custom"),
	    "lists: ~/ expanded to $HOME");
	ok(strncmp(o.identity_files[2], tmpdir, strlen(tmpdir)) == 0,
	    "lists: ~ alone is $HOME");
	is_str(o.identity_raw[2], "~", "lists: kept as written for -G");
	is_str(o.identity_files[3], "rel/key", "lists: relative path kept");
	is_str(o.identity_files[4], "/a/id5", "lists: in order");
	/* -o UserKnownHostsFile accumulates; in a file the first line wins */
	sshopts_set_arg(&o, "UserKnownHostsFile=~/kh1", &eb);
	sshopts_set_arg(&o, "UserKnownHostsFile=/kh2", &eb);
	ok(o.n_user_known_hosts == 2 &&
	    strcmp(o.user_known_hosts[0], "~/kh1") == 0,
	    "lists: -o UserKnownHostsFile accumulates (~ expanded at the end)");
	for (i = 5; i < SSHOPTS_MAX_LIST; i++) {
		snprintf(name, sizeof(name), "/id%d", i);
		set_err(&o, "IdentityFile", name);
	}
	is_long(o.n_identity_files, SSHOPTS_MAX_LIST,
	    "lists: filled to the cap");
	ok(strncmp(set_err(&o, "IdentityFile", "/one-too-many"),
	    "IdentityFile /one-too-many: ", 28) == 0,
	    "lists: one more is an error naming the keyword");
	printf("# %s\n", eb.msg);
	is_long(o.n_identity_files, SSHOPTS_MAX_LIST,
	    "lists: still at the cap");
	sshopts_free(&o);
}

static void
test_sshopts_arg(void)
{
	struct sshopts o;

	sshopts_init(&o);
	is_long(sshopts_set_arg(&o, "User=alice", &eb), 0,
	    "set_arg: Key=Value");
	is_str(o.user, "alice", "set_arg: Key=Value value");
	is_long(sshopts_set_arg(&o, "Port 2222", &eb), 0, "set_arg: Key Value");
	is_long(o.port, 2222, "set_arg: Key Value value");
	is_long(sshopts_set_arg(&o, "ConnectTimeout = 5", &eb), 0,
	    "set_arg: Key = Value");
	is_long(o.connect_timeout, 5, "set_arg: Key = Value value");
	is_long(sshopts_set_arg(&o, "Ciphers\taes128-ctr,aes256-ctr", &eb), 0,
	    "set_arg: tab");
	is_str(o.ciphers, "aes128-ctr,aes256-ctr", "set_arg: tab value");
	is_long(sshopts_set_arg(&o, "HostName=a=b", &eb), 0,
	    "set_arg: = in the value");
	is_str(o.hostname, "a=b", "set_arg: value keeps later =");
	is_long(sshopts_set_arg(&o, "User", &eb), -1, "set_arg: no value");
	is_str(eb.msg, "\"User\": not Key=Value", "set_arg: no value message");
	is_long(sshopts_set_arg(&o, "User=", &eb), -1, "set_arg: empty value");
	is_str(eb.msg, "\"User=\": not Key=Value", "set_arg: empty value message");
	is_long(sshopts_set_arg(&o, "User =  ", &eb), -1,
	    "set_arg: blank value");
	is_long(sshopts_set_arg(&o, "=x", &eb), -1, "set_arg: no key");
	is_long(sshopts_set_arg(&o, "", &eb), -1, "set_arg: empty");
	is_long(sshopts_set_arg(&o, "Frobnicate=yes", &eb), -1,
	    "set_arg: unknown keyword");
	is_str(eb.msg, "Frobnicate: unsupported option",
	    "set_arg: unknown keyword message");
	is_long(sshopts_set_arg(&o, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
	    "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=1", &eb), -1,
	    "set_arg: overlong keyword");
	sshopts_free(&o);
}

static void
test_sshopts_kinds(void)
{
	struct sshopts o;

	sshopts_init(&o);
	set_err(&o, "ConnectTimeout", "1.5");
	is_long(o.connect_timeout, 2, "kinds: seconds rounded up");
	set_err(&o, "ServerAliveInterval", "0");
	is_long(o.server_alive_interval, 0, "kinds: seconds 0");
	set_err(&o, "ServerAliveCountMax", "7");
	is_long(o.server_alive_count_max, 7, "kinds: count");
	set_err(&o, "AddressFamily", "INET6");
	is_long(o.address_family, AF_INET6, "kinds: family");
	ok(strcmp(set_err(&o, "Compression", "true"), "") != 0,
	    "kinds: Compression takes yes/no only, as in ssh");
	set_err(&o, "Compression", "yes");
	is_long(o.compression, OPT_YES, "kinds: bool yes");
	set_err(&o, "LogLevel", "quiet");
	is_long(o.log_level, 0, "kinds: loglevel quiet");
	set_err(&o, "IdentityAgent", "/run/agent.sock");
	is_str(o.identity_agent, "/run/agent.sock", "kinds: string");
	sshopts_free(&o);
}

/* Each kind's bad value: an error naming the keyword and the value. */
static void
test_sshopts_bad(void)
{
	static const char *const bad[][2] = {
		{ "BatchMode", "maybe" }, { "Port", "0" }, { "Port", "65536" },
		{ "Port", "22x" }, { "ConnectTimeout", "-1" },
		{ "ConnectTimeout", "abc" }, { "ConnectionAttempts", "-1" },
		{ "ServerAliveInterval", "99999999999" },
		{ "ConnectionAttempts", "x" }, { "StrictHostKeyChecking",
		    "perhaps" },
		{ "AddressFamily", "inet4" }, { "LogLevel", "loud" },
		{ "HashKnownHosts", "" }, { "ServerAliveCountMax", "1.5" },
	};
	struct sshopts o;
	const char *msg;
	char what[128];
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		sshopts_init(&o);
		msg = set_err(&o, bad[i][0], bad[i][1]);
		snprintf(what, sizeof(what),
		    "bad: %s %s", bad[i][0], bad[i][1]);
		ok(strncmp(msg, bad[i][0], strlen(bad[i][0])) == 0 &&
		    strstr(msg, bad[i][1]) != NULL, what);
		printf("#   %s\n", msg);
		sshopts_free(&o);
	}
	sshopts_init(&o);
	is_str(set_err(&o, "NoSuchOption", "1"),
	    "NoSuchOption: unsupported option",
	    "bad: unknown keyword");
	sshopts_free(&o);
}

static void
test_sshopts_finish(void)
{
	struct passwd *pw = getpwuid(getuid());
	struct sshopts o;

	sshopts_init(&o);
	is_long(sshopts_finish(&o, &eb), 0, "finish: defaults");
	is_long(o.port, 22, "finish: Port 22");
	is_long(o.strict, SHK_ACCEPT_NEW, "finish: accept-new");
	is_str(o.user, pw != NULL ? pw->pw_name : "root",
	    "finish: user is the login name");
	is_long(o.n_identity_files, 3, "finish: three default identities");
	is_str(o.identity_files[0], home_path(".ssh/id_ed25519"),
	    "finish: id_ed25519");
	is_str(o.identity_files[1], home_path(".ssh/id_ecdsa"),
	    "finish: id_ecdsa");
	is_str(o.identity_files[2], home_path(".ssh/id_rsa"), "finish: id_rsa");
	is_long(o.n_user_known_hosts, 2, "finish: two user known_hosts");
	is_str(o.user_known_hosts[0], home_path(".ssh/known_hosts"),
	    "finish: known_hosts");
	is_str(o.user_known_hosts[1], home_path(".ssh/known_hosts2"),
	    "finish: known_hosts2");
	ok(o.n_global_known_hosts == 2 &&
	    strcmp(o.global_known_hosts[0], "/etc/ssh/ssh_known_hosts") == 0,
	    "finish: global known_hosts");
	ok(o.connect_timeout == -1 && o.server_alive_interval == 0 &&
	    o.server_alive_count_max == 3 && o.connection_attempts == 1,
	    "finish: timeouts and counts");
	ok(o.batch_mode == OPT_NO && o.password_auth == OPT_YES &&
	    o.pubkey_auth == OPT_YES && o.kbdint_auth == OPT_YES &&
	    o.compression == OPT_NO && o.identities_only == OPT_NO &&
	    o.hash_known_hosts == OPT_NO, "finish: booleans");
	ok(o.address_family == AF_UNSPEC && o.log_level == 0,
	    "finish: family, log level");
	sshopts_free(&o);
}

static void
test_sshopts_finish_set(void)
{
	struct sshopts o;

	sshopts_init(&o);
	set_err(&o, "UserKnownHostsFile", "none");
	set_err(&o, "GlobalKnownHostsFile", "NONE");
	set_err(&o, "IdentitiesOnly", "yes");
	set_err(&o, "IdentityFile", "~/only");
	set_err(&o, "ConnectionAttempts", "0");
	set_err(&o, "Port", "2200");
	set_err(&o, "StrictHostKeyChecking", "yes");
	is_long(sshopts_finish(&o, &eb), 0, "finish set: ok");
	is_long(o.n_user_known_hosts, 0,
	    "finish set: UserKnownHostsFile none: no files");
	is_long(o.n_global_known_hosts, 0,
	    "finish set: GlobalKnownHostsFile none: no files");
	is_long(o.n_identity_files, 1,
	    "finish set: IdentitiesOnly keeps only IdentityFile");
	is_str(o.identity_files[0], home_path("only"),
	    "finish set: ~ expanded");
	is_long(o.connection_attempts, 1,
	    "finish set: ConnectionAttempts 0 means 1");
	is_long(o.port, 2200, "finish set: Port kept");
	is_long(o.strict, SHK_YES, "finish set: strict kept");
	sshopts_free(&o);
	setenv("HOME", "relative/home", 1);
	ok(sshopts_home() != NULL && sshopts_home()[0] == '/',
	    "home: relative $HOME ignored");
	setenv("HOME", tmpdir, 1);
	is_str(sshopts_home(), tmpdir, "home: $HOME");
}

static void
test_sshopts_shk(void)
{
	static const struct { const char *w; enum shk_mode m; } words[] = {
		{ "yes", SHK_YES }, { "TRUE", SHK_YES }, { "no", SHK_NO },
		{ "off", SHK_NO },
		{ "False", SHK_NO }, { "accept-new", SHK_ACCEPT_NEW },
		{ "ask", SHK_ACCEPT_NEW }, { "tofu", SHK_ACCEPT_NEW },
	};
	enum shk_mode m;
	char what[64];
	size_t i;

	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		m = SHK_UNSET;
		snprintf(what, sizeof(what), "shk: %s", words[i].w);
		ok(sshopts_parse_shk(words[i].w, &m, &eb) == 0 &&
		    m == words[i].m, what);
	}
	m = SHK_YES;
	is_long(sshopts_parse_shk("maybe", &m, &eb), -1,
	    "shk: maybe is an error");
	is_str(eb.msg, "\"maybe\": not yes, accept-new or no", "shk: message");
	is_long(m, SHK_YES, "shk: error leaves the mode alone");
	is_str(sshopts_shk_name(SHK_YES), "yes", "shk name: yes");
	is_str(sshopts_shk_name(SHK_NO), "no", "shk name: no");
	is_str(sshopts_shk_name(SHK_ACCEPT_NEW), "accept-new",
	    "shk name: accept-new");
	is_str(sshopts_shk_name(SHK_UNSET), "unset", "shk name: unset");
}

static void
test_exitcode(void)
{
	const int ok3[] = { 0, 0, 0 }, mixed[] = { 0, 3, 0 };
	const int mainbad[] = { 2, 3, 0 }, mainnot[] = { EXITCODE_NOT_RUN, 0 };
	const int notrun[] = { 0, EXITCODE_NOT_RUN, 0 };
	const int sig[] = { 0, 130, 1 };

	is_long(exitcode_compute(EXIT_MAIN_RANK, ok3, 3, 0), 0,
	    "exit main: all 0");
	is_long(exitcode_compute(EXIT_MAIN_RANK, mixed, 3, 0), 0,
	    "exit main: others ignored");
	is_long(exitcode_compute(EXIT_MAIN_RANK, mixed, 3, 1), 3,
	    "exit main: rank 1");
	is_long(exitcode_compute(EXIT_MAIN_RANK, mainnot, 2, 0), 255,
	    "exit main: not run is 255");
	is_long(exitcode_compute(EXIT_MAIN_RANK, mixed, 3, 7), 0,
	    "exit main: bad index is 0");
	is_long(exitcode_compute(EXIT_ALL_SUCCESS, ok3, 3, 0), 0,
	    "exit all: all 0");
	is_long(exitcode_compute(EXIT_ALL_SUCCESS, mixed, 3, 0), 1,
	    "exit all: one failed");
	is_long(exitcode_compute(EXIT_ALL_SUCCESS, notrun, 3, 0), 1,
	    "exit all: not run fails");
	is_long(exitcode_compute(EXIT_CHECK_ALL, ok3, 3, 0), 0,
	    "exit check: all 0");
	is_long(exitcode_compute(EXIT_CHECK_ALL, mixed, 3, 0), 1,
	    "exit check: other failed");
	is_long(exitcode_compute(EXIT_CHECK_ALL, mainbad, 3, 0), 2,
	    "exit check: main's code");
	is_long(exitcode_compute(EXIT_CHECK_ALL, mainnot, 2, 0), 255,
	    "exit check: main not run");
	is_long(exitcode_compute(EXIT_CHECK_ALL, notrun, 3, 0), 1,
	    "exit check: other not run");
	is_long(exitcode_compute(EXIT_ANY_FAILURE, ok3, 3, 0), 0,
	    "exit any: all 0");
	is_long(exitcode_compute(EXIT_ANY_FAILURE, sig, 3, 0), 130,
	    "exit any: largest");
	is_long(exitcode_compute(EXIT_ANY_FAILURE, notrun, 3, 0), 255,
	    "exit any: not run 255");
	is_long(exitcode_compute(EXIT_MAIN_RANK, ok3, 0, 0), 255,
	    "exit: empty list 255");
	is_long(exitcode_compute(EXIT_ALL_SUCCESS, NULL, 0, 0), 255,
	    "exit: empty all 255");
	is_long(exitcode_compute(EXIT_ANY_FAILURE, NULL, 0, 0), 255,
	    "exit: empty any 255");
}

static void
test_exitcode_rank(void)
{
	const char *hosts[] = { "node0", "alice@node1:2222", "node2",
	    "[::1]:2200", "node1" };

	unsetenv("BACKENDAI_CLUSTER_ROLE");
	unsetenv("BACKENDAI_CLUSTER_HOST");
	is_long(exitcode_main_rank(hosts, 5), 0, "rank: no environment: 0");
	setenv("BACKENDAI_CLUSTER_HOST", "node2", 1);
	is_long(exitcode_main_rank(hosts, 5), 0, "rank: no role: 0");
	setenv("BACKENDAI_CLUSTER_ROLE", "sub", 1);
	is_long(exitcode_main_rank(hosts, 5), 0, "rank: role sub: 0");
	setenv("BACKENDAI_CLUSTER_ROLE", "main", 1);
	is_long(exitcode_main_rank(hosts, 5), 2, "rank: main, host node2");
	setenv("BACKENDAI_CLUSTER_ROLE", "MAIN", 1);
	is_long(exitcode_main_rank(hosts, 5), 2, "rank: role case-insensitive");
	setenv("BACKENDAI_CLUSTER_HOST", "node1", 1);
	is_long(exitcode_main_rank(hosts, 5), 1,
	    "rank: host part of user@host:port");
	setenv("BACKENDAI_CLUSTER_HOST", "alice@node1:2222", 1);
	is_long(exitcode_main_rank(hosts, 5), 1, "rank: whole spec");
	setenv("BACKENDAI_CLUSTER_HOST", "::1", 1);
	is_long(exitcode_main_rank(hosts, 5), 3,
	    "rank: bracketed IPv6 host part");
	setenv("BACKENDAI_CLUSTER_HOST", "node9", 1);
	is_long(exitcode_main_rank(hosts, 5), 0, "rank: absent host: 0");
	setenv("BACKENDAI_CLUSTER_HOST", "node", 1);
	is_long(exitcode_main_rank(hosts, 5), 0, "rank: no prefix match");
	is_long(exitcode_main_rank(hosts, 0), 0, "rank: empty list");
	unsetenv("BACKENDAI_CLUSTER_ROLE");
	unsetenv("BACKENDAI_CLUSTER_HOST");
}

static unsigned char
pattern(size_t i)
{
	return (unsigned char)((i * 131 + (i >> 8) * 7 + (i >> 16)) & 0xff);
}

/* 1 if fd (read from offset 0) holds exactly len bytes of pattern(). */
static int
file_equals_pattern(int fd, size_t len)
{
	unsigned char buf[8192];
	size_t off = 0, i;
	ssize_t n;

	while ((n = pread(fd, buf, sizeof(buf), (off_t)off)) > 0) {
		for (i = 0; i < (size_t)n; i++) {
			if (off + i >= len || buf[i] != pattern(off + i)) {
				printf("# mismatch at %zu\n", off + i);
				return 0;
			}
		}
		off += (size_t)n;
	}
	return n == 0 && off == len;
}

static void
test_spill_mem(void)
{
	struct spill s;
	char path[4200];
	int fd;

	spill_init(&s);
	is_long(spill_size(&s), 0, "spill: empty size");
	is_long(spill_last(&s), -1, "spill: empty last");
	is_long(spill_append(&s, "abc", 3), 0, "spill: append");
	is_long(spill_append(&s, "\xff", 1), 0, "spill: append 0xff");
	is_long(spill_size(&s), 4, "spill: size 4");
	is_long(spill_last(&s), 0xff, "spill: last byte unsigned");
	is_long(s.fd, -1, "spill: still in memory");
	snprintf(path, sizeof(path), "%s/mem.out", tmpdir);
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	is_long(spill_flush(&s, fd), 0, "spill: flush from memory");
	is_long(spill_size(&s), 0, "spill: empty after flush");
	is_long(spill_last(&s), -1, "spill: no last after flush");
	is_long(lseek(fd, 0, SEEK_END), 4, "spill: four bytes written");
	is_long(spill_flush(&s, fd), 0, "spill: flush of nothing");
	is_long(lseek(fd, 0, SEEK_END), 4, "spill: wrote nothing");
	close(fd);
	unlink(path);
	spill_append(&s, "x", 1);
	spill_free(&s);
	ok(s.mem == NULL && s.fd == -1 && s.len == 0, "spill: free resets");
}

static void
test_spill_file(void)
{
	char *buf = malloc(SPILL_MEM_MAX);
	struct spill s;

	memset(buf, 'm', SPILL_MEM_MAX);
	spill_init(&s);
	is_long(spill_append(&s, buf, SPILL_MEM_MAX - 1), 0,
	    "spill: just under the cap");
	is_long(spill_append(&s, "n", 1), 0, "spill: exactly the cap");
	is_long(s.fd, -1, "spill: SPILL_MEM_MAX bytes stay in memory");
	is_long(spill_append(&s, "o", 1), 0, "spill: one byte more");
	ok(s.fd >= 0 && s.mem == NULL, "spill: moved to a temp file");
	ok(s.fd >= 0 && (fcntl(s.fd, F_GETFD) & FD_CLOEXEC),
	    "spill: temp file close-on-exec");
	is_long(spill_size(&s), SPILL_MEM_MAX + 1, "spill: size counts both");
	is_long(spill_last(&s), 'o', "spill: last from the file");
	spill_append(&s, "", 0);
	is_long(spill_last(&s), 'o', "spill: empty append changes nothing");
	spill_free(&s);
	is_long(spill_size(&s), 0, "spill: free empties");
	free(buf);
}

static void
test_spill_big(void)
{
	static const size_t chunks[] = { 1, 7, 4096, 65537, 3, 100000, 16384,
	    16385 };
	unsigned char *data = malloc(MIB);
	char path[4200];
	struct spill s;
	size_t i, off = 0, n;
	int fd;

	for (i = 0; i < MIB; i++) {
		data[i] = pattern(i);
	}
	spill_init(&s);
	for (i = 0; off < MIB; i++) {
		n = chunks[i % (sizeof(chunks) / sizeof(chunks[0]))];
		n = n < MIB - off ? n : MIB - off;
		if (spill_append(&s, data + off, n) != 0) {
			break;
		}
		off += n;
	}
	is_long(off, MIB, "spill big: 1 MiB appended in odd chunks");
	is_long(spill_size(&s), MIB, "spill big: size");
	is_long(spill_last(&s), pattern(MIB - 1), "spill big: last byte");
	snprintf(path, sizeof(path), "%s/big.out", tmpdir);
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	is_long(spill_flush(&s, fd), 0, "spill big: flush");
	ok(file_equals_pattern(fd, MIB), "spill big: byte-exact, in order");
	is_long(spill_size(&s), 0, "spill big: empty after flush");
	close(fd);
	unlink(path);
	free(data);
}

static void
test_spill_errors(void)
{
	char *buf = malloc(SPILL_MEM_MAX + 1), nodir[4200];
	struct spill s;
	int rc;

	memset(buf, 'e', SPILL_MEM_MAX + 1);
	spill_init(&s);
	spill_append(&s, buf, 10);
	errno = 0;
	is_long(spill_flush(&s, -1), -1, "spill errors: flush to a bad fd");
	is_long(errno, EBADF, "spill errors: errno EBADF");
	is_long(spill_size(&s), 0, "spill errors: emptied anyway");
	snprintf(nodir, sizeof(nodir), "%s/no/such/dir", tmpdir);
	setenv("TMPDIR", nodir, 1);
	errno = 0;
	rc = spill_append(&s, buf, SPILL_MEM_MAX + 1);
	is_long(rc, -1, "spill errors: no temp dir");
	ok(errno != 0, "spill errors: errno set");
	spill_free(&s);
	setenv("TMPDIR", tmpdir, 1);
	free(buf);
}

/* A child writes len pattern bytes into a pipe; spool it. */
static void
test_spill_spool(void)
{
	size_t len = 300000, i;
	char proc[64];
	int p[2], fd, again, st;
	pid_t pid;
	unsigned char *data;

	if (pipe(p) != 0) {
		ok(0, "spool: pipe");
		return;
	}
	fflush(stdout);
	if ((pid = fork()) == 0) {
		close(p[0]);
		data = malloc(len);
		for (i = 0; i < len; i++) {
			data[i] = pattern(i);
		}
		_exit(write(p[1], data, len) == (ssize_t)len ? 0 : 1);
	}
	close(p[1]);
	fd = spill_spool(p[0]);
	close(p[0]);
	ok(pid > 0 && waitpid(pid, &st, 0) == pid && WIFEXITED(st) &&
	    WEXITSTATUS(st) == 0, "spool: writer done");
	ok(fd >= 0, "spool: returns an fd");
	ok(fd >= 0 && (fcntl(fd, F_GETFD) & FD_CLOEXEC),
	    "spool: close-on-exec");
	ok(fd >= 0 && file_equals_pattern(fd, len), "spool: byte-exact copy");
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
	again = open(proc, O_RDONLY | O_CLOEXEC);
	ok(again >= 0 && file_equals_pattern(again, len),
	    "spool: reopened via /proc");
	close(again);
	close(fd);
	errno = 0;
	is_long(spill_spool(-1), -1, "spool: bad fd");
	is_long(errno, EBADF, "spool: EBADF");
}

static void
test_strv(void)
{
	char **v = NULL, src[8] = "abc", *j;
	char *const words[] = { "ls", "-l", "a b", "" };
	size_t n = 0;

	strv_push(&v, &n, src);
	ok(n == 1 && v[1] == NULL, "strv: one, NULL-terminated");
	strv_push(&v, &n, "");
	strv_push(&v, &n, "third");
	ok(n == 3 && v[3] == NULL, "strv: three, NULL-terminated");
	src[0] = 'X';
	is_str(v[0], "abc", "strv: push copies");
	is_str(v[1], "", "strv: empty string kept");
	j = strv_join(v, n);
	is_str(j, "abc  third", "strv: join of the vector");
	free(j);
	strv_free(v);
	strv_free(NULL);
	j = strv_join(words, 3);
	is_str(j, "ls -l a b", "strv: join with single spaces, no quoting");
	free(j);
	j = strv_join(words, 0);
	is_str(j, "", "strv: join of nothing");
	free(j);
	j = strv_join(words, 1);
	is_str(j, "ls", "strv: join of one");
	free(j);
	j = strv_join(words, 4);
	is_str(j, "ls -l a b ", "strv: trailing empty word");
	free(j);
}

static void
test_time_seconds(void)
{
	static const char *const bad[] = { "-1", "abc", "1e400", "", " 1", "1 ",
	    "+1",
	    "nan", "inf", "1.5s", "-0" };
	int64_t ms = -7;
	char what[64];
	size_t i;

	ok(time_parse_seconds("1.5", 100, &ms, &eb) == 0 && ms == 1500,
	    "seconds: 1.5");
	ok(time_parse_seconds("0", 100, &ms, &eb) == 0 && ms == 0,
	    "seconds: 0");
	ok(time_parse_seconds("30", 100, &ms, &eb) == 0 && ms == 30000,
	    "seconds: 30");
	ok(time_parse_seconds("0.001", 100, &ms, &eb) == 0 && ms == 1,
	    "seconds: 1 ms");
	ok(time_parse_seconds("100", 100, &ms, &eb) == 0 && ms == 100000,
	    "seconds: max itself");
	ok(time_parse_seconds("86400", 86400 * 365, &ms, &eb) == 0 &&
	    ms == 86400000,
	    "seconds: a day");
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ms = -7;
		snprintf(what, sizeof(what),
		    "seconds: \"%s\" is an error", bad[i]);
		ok(time_parse_seconds(bad[i], 100, &ms, &eb) == -1 && ms == -7,
		    what);
	}
	is_long(time_parse_seconds("-1", 100, &ms, &eb), -1, "seconds: -1");
	is_str(eb.msg, "\"-1\": not a number of seconds", "seconds: message");
	is_long(time_parse_seconds("100.5", 100, &ms, &eb), -1,
	    "seconds: over max");
	is_str(eb.msg, "\"100.5\": more than 100 seconds",
	    "seconds: over max message");
	is_long(time_parse_seconds(NULL, 100, &ms, &eb), -1, "seconds: NULL");
	ms = 0;
	ok(time_parse_seconds("9e18", INT64_MAX, &ms, &eb) == -1 || ms >= 0,
	    "seconds: a huge max does not overflow the milliseconds");
	printf("# 9e18 s with max INT64_MAX: ms = %lld\n", (long long)ms);
}

static void
test_time_int(void)
{
	static const char *const bad[] = { "abc", "", " 1", "1 ", "0x10", "1.0",
	    "99999999999999999999", "-99999999999999999999" };
	long v = -7;
	char what[64];
	size_t i;

	ok(time_parse_int("42", 0, 100, &v, &eb) == 0 && v == 42, "int: 42");
	ok(time_parse_int("-5", -10, 10, &v, &eb) == 0 && v == -5, "int: -5");
	ok(time_parse_int("0", 0, 0, &v, &eb) == 0 && v == 0,
	    "int: 0 in [0,0]");
	ok(time_parse_int("100", 0, 100, &v, &eb) == 0 && v == 100,
	    "int: max itself");
	v = -7;
	is_long(time_parse_int("101", 0, 100, &v, &eb), -1, "int: above max");
	is_str(eb.msg, "\"101\": out of range 0-100", "int: range message");
	is_long(time_parse_int("-1", 0, 100, &v, &eb), -1, "int: below min");
	is_long(v, -7, "int: error leaves out alone");
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(what, sizeof(what), "int: \"%s\" is an error", bad[i]);
		ok(time_parse_int(bad[i], LONG_MIN, LONG_MAX, &v, &eb) == -1 &&
		    v == -7, what);
	}
	is_str(eb.msg, "\"-99999999999999999999\": not a number",
	    "int: message");
	ok(time_parse_int("9223372036854775807", LONG_MIN, LONG_MAX, &v,
	    &eb) == 0 &&
	    v == LONG_MAX, "int: LONG_MAX");
}

static void
test_time_deadlines(void)
{
	int64_t a, b;

	is_long(time_poll_timeout(0, 12345), -1,
	    "poll timeout: no deadline is -1");
	is_long(time_poll_timeout(100, 200), 0, "poll timeout: past is 0");
	is_long(time_poll_timeout(100, 100), 0, "poll timeout: now is 0");
	is_long(time_poll_timeout(300, 100), 200, "poll timeout: 200");
	is_long(time_poll_timeout(INT64_MAX, 1), INT_MAX,
	    "poll timeout: clamped to INT_MAX");
	is_long(time_poll_timeout((int64_t)INT_MAX + 1, 1), INT_MAX,
	    "poll timeout: INT_MAX");
	is_long(time_min_deadline(0, 5), 5, "min deadline: 0 is none (a)");
	is_long(time_min_deadline(5, 0), 5, "min deadline: 0 is none (b)");
	is_long(time_min_deadline(3, 5), 3, "min deadline: earlier (a)");
	is_long(time_min_deadline(9, 4), 4, "min deadline: earlier (b)");
	is_long(time_min_deadline(0, 0), 0, "min deadline: none");
	a = time_now_ms();
	b = time_now_ms();
	ok(a > 0 && b >= a, "now: positive and monotonic");
}

int
main(void)
{
	if (mkdtemp(tmpdir) == NULL) {
		printf("Bail out! mkdtemp: %s\n", strerror(errno));
		return 1;
	}
	setenv("HOME", tmpdir, 1);
	setenv("TMPDIR", tmpdir, 1);
	test_sshopts_first();
	test_sshopts_lists();
	test_sshopts_arg();
	test_sshopts_kinds();
	test_sshopts_bad();
	test_sshopts_finish();
	test_sshopts_finish_set();
	test_sshopts_shk();
	test_exitcode();
	test_exitcode_rank();
	test_spill_mem();
	test_spill_file();
	test_spill_big();
	test_spill_errors();
	test_spill_spool();
	test_strv();
	test_time_seconds();
	test_time_int();
	test_time_deadlines();
	ok(rmdir(tmpdir) == 0,
	    "cleanup: temp dir empty (spill files were unlinked)");
	return tap_done();
}
