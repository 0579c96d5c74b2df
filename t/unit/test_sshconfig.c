/*
 * Unit tests of lib/sshtok, lib/sshopts, lib/sshalgspec and lib/sshconfig:
 * OpenSSH's tokenising, patterns, tokens, first-value-wins, lists,
 * Host/Match/Include resolution and errors with file:line.
 */
#include "config.h"

#include <sys/stat.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sshalgspec.h"
#include "sshconfig.h"
#include "sshopts.h"
#include "sshtok.h"
#include "tap.h"

static char tmpdir[] = "/tmp/test_sshconfig.XXXXXX";

/* Resolve text for host with o fresh; returns the rc, o kept for checks. */
static int
resolve(struct sshopts *o, const char *host, const char *text, struct errbuf *eb)
{
	struct sshconfig_params p;

	memset(&p, 0, sizeof(p));
	p.host_arg = host;
	p.file = "cfg";
	p.text = text;
	p.text_len = strlen(text);
	p.flags = SSHCONFIG_NO_EXEC;
	sshopts_init(o);
	return sshconfig_resolve(o, &p, eb);
}

static void
test_strdelim(void)
{
	char line[] = "Port = 22", line2[] = "User=\"a b\" x", *s = line, *t;

	is_str(sshtok_strdelim(&s), "Port", "strdelim: keyword");
	is_str(s, "22", "strdelim: one '=' and spaces skipped");
	s = line2;
	t = sshtok_strdelim(&s);
	is_str(t, "User", "strdelim: keyword before =");
	is_str(sshtok_strdelim(&s), "a b", "strdelim: a quoted token");
	is_str(sshtok_strdelim(&s), "x", "strdelim: last token");
	ok(s == NULL, "strdelim: NULL after the last token");
}

static void
test_argv(void)
{
	struct sshtok_argv a;

	ok(sshtok_argv_split("a 'b c' \"d\\\"e\" f\\ g # comment", &a) == 0, "argv: splits");
	is_long(a.n, 4, "argv: four words, the comment dropped");
	is_str(a.v[1], "b c", "argv: single quotes");
	is_str(a.v[2], "d\"e", "argv: escaped quote");
	is_str(a.v[3], "f g", "argv: escaped space");
	sshtok_argv_free(&a);
	ok(sshtok_argv_split("x 'open", &a) == -1, "argv: an open quote is an error");
	sshtok_argv_free(&a);
	ok(sshtok_argv_split("a#b", &a) == 0 && a.n == 1 && strcmp(a.v[0], "a#b") == 0,
	    "argv: '#' inside a word is kept");
	sshtok_argv_free(&a);
}

static void
test_patterns(void)
{
	ok(sshtok_match("web12.example", "web*.exam?le"), "match: * and ?");
	ok(!sshtok_match("Web1", "web1"), "match: case-sensitive");
	ok(sshtok_match("aaaaaaaaaaaaaaaaaaaaaaaaaaaaab", "*a*a*a*a*a*a*a*a*b"), "match: no blow-up");
	is_long(sshtok_match_list("foo", "bar,f*", 0), 1, "list: positive");
	is_long(sshtok_match_list("foo", "*,!foo", 0), -1, "list: a negation anywhere wins");
	is_long(sshtok_match_list("foo", "bar", 0), 0, "list: no match");
	is_long(sshtok_match_host("Web1", "WEB1"), 1, "host list: case-insensitive");
	is_long(sshtok_convtime("1h30m"), 5400, "convtime: 1h30m");
	is_long(sshtok_convtime("90"), 90, "convtime: plain seconds");
	is_long(sshtok_convtime("5x"), -1, "convtime: bad unit");
	is_long(sshtok_convtime("-1"), -1, "convtime: negative");
}

static void
test_expand(void)
{
	struct sshtok_key k[2] = { { 'h', "web1" }, { 'p', "22" } };
	struct errbuf eb;
	char *s;

	s = sshtok_expand("%h:%p %% ${TEST_SSHCONFIG_X}", k, 2, SSHTOK_PERCENT | SSHTOK_DOLLAR,
	    &eb);
	is_str(s, "web1:22 % xval", "expand: tokens, %% and ${ENV}");
	free(s);
	ok(sshtok_expand("%z", k, 2, SSHTOK_PERCENT, &eb) == NULL &&
	    strstr(eb.msg, "unknown key %z") != NULL, "expand: unknown token");
	ok(sshtok_expand("${NO_SUCH_VAR_X}", k, 2, SSHTOK_DOLLAR, &eb) == NULL,
	    "expand: unset variable");
	s = sshtok_expand("%h ${X}", k, 2, SSHTOK_PERCENT, &eb);
	is_str(s, "web1 ${X}", "expand: ${} left alone without SSHTOK_DOLLAR");
	free(s);
	s = sshtok_tilde("~/x", "/home/u", &eb);
	is_str(s, "/home/u/x", "tilde: ~/x");
	free(s);
	s = sshtok_tilde("/abs", "/home/u", &eb);
	is_str(s, "/abs", "tilde: absolute kept");
	free(s);
	ok(sshtok_jump("alice@[::1]:2222,bob@j2", &s, &eb) == 0, "jump: two hops");
	is_str(s, "alice@[::1]:2222,bob@j2", "jump: printed as ssh -G");
	free(s);
	ok(sshtok_jump("@bad", &s, &eb) == -1, "jump: an empty user is invalid");
}

static void
test_opts(void)
{
	struct sshopts o;
	struct errbuf eb;

	sshopts_init(&o);
	ok(sshopts_set_arg(&o, "Port=2222", &eb) == 0, "-o Port=2222");
	ok(sshopts_set_arg(&o, "Port 22", &eb) == 0 && o.port == 2222, "first value wins");
	ok(sshopts_set_arg(&o, "SendEnv A B", &eb) == 0 && o.n_send_env == 2,
	    "SendEnv: two patterns on one line");
	ok(sshopts_set_arg(&o, "SendEnv -A", &eb) == 0 && o.n_send_env == 1 &&
	    strcmp(o.send_env[0], "B") == 0, "SendEnv: -A removes A");
	ok(sshopts_set_arg(&o, "Bogus=1", &eb) == -1, "unknown keyword");
	is_str(eb.msg, "Bogus: unsupported option", "unknown keyword: message");
	ok(sshopts_set_arg(&o, "ForwardAgent yes", &eb) == 0, "an ignored keyword is accepted");
	ok(sshopts_set_arg(&o, "Compression true", &eb) == -1, "Compression takes yes/no only");
	ok(sshopts_set_arg(&o, "Match all", &eb) == -1, "Match refused on the command line");
	ok(sshopts_set_arg(&o, "ConnectTimeout 1m", &eb) == 0 && o.connect_timeout == 60,
	    "ConnectTimeout 1m");
	ok(sshopts_set_arg(&o, "UserKnownHostsFile none /x", &eb) == -1,
	    "known hosts: none must be alone");
	ok(sshopts_set_arg(&o, "Ciphers +aes128-cbc", &eb) == 0, "Ciphers +aes128-cbc");
	ok(sshopts_finish(&o, &eb) == 0, "finish");
	ok(o.ciphers != NULL && strstr(o.ciphers, "aes128-ctr,aes128-cbc") != NULL,
	    "Ciphers +: appended to libssh's defaults");
	sshopts_free(&o);
}

static void
test_algs(void)
{
	struct errbuf eb;
	char *s;

	s = sshalgspec_resolve(SSHALGSPEC_MACS, "-*etm*", &eb);
	is_str(s, "hmac-sha2-256,hmac-sha2-512", "algs: - removes by pattern");
	free(s);
	s = sshalgspec_resolve(SSHALGSPEC_KEX, "^diffie-hellman-group14-sha1", &eb);
	ok(s != NULL && strncmp(s, "diffie-hellman-group14-sha1,curve25519-sha256,", 46) == 0,
	    "algs: ^ prepends");
	free(s);
	ok(sshalgspec_valid(SSHALGSPEC_KEX, "sntrup761x25519-sha512"), "algs: ssh's names valid");
	ok(!sshalgspec_valid(SSHALGSPEC_CIPHERS, "nope"), "algs: unknown name invalid");
	ok(sshalgspec_resolve(SSHALGSPEC_MACS, "umac-64@openssh.com", &eb) == NULL,
	    "algs: nothing libssh supports is an error");
}

static void
test_hosts(void)
{
	struct sshopts o;
	struct errbuf eb;

	ok(resolve(&o, "foo", "Host * !foo\n User notfoo\nHost *\n User all\n", &eb) == 0 &&
	    strcmp(o.user, "all") == 0, "Host: a negation at the end vetoes the block");
	sshopts_free(&o);
	ok(resolve(&o, "alias", "Host alias\n HostName Real.%h\nHost real.alias\n Port 1\n"
	    "Match host real.alias\n User m\n", &eb) == 0, "HostName then Match host");
	is_str(o.hostname, "real.alias", "HostName: %h expanded, lower-cased");
	is_long(o.port, 22, "Host matches the original name, not HostName");
	is_str(o.user, "m", "Match host matches HostName");
	sshopts_free(&o);
	ok(resolve(&o, "alias", "Host alias\n HostName real\nMatch final\n Port 7\n"
	    "Host real\n User r\n", &eb) == 0 && o.port == 7 && strcmp(o.user, "r") == 0,
	    "Match final: a second pass, Host against the resolved name");
	sshopts_free(&o);
	ok(resolve(&o, "h", "Match exec true\n Port 9\n", &eb) == 0 && o.port == 22,
	    "Match exec never matches with SSHCONFIG_NO_EXEC");
	sshopts_free(&o);
	ok(resolve(&o, "127.1", "", &eb) == 0, "an address");
	is_str(o.hostname, "127.0.0.1", "an address is canonical");
	sshopts_free(&o);
}

static void
test_tokens(void)
{
	struct sshopts o;
	struct errbuf eb;

	ok(resolve(&o, "Web1", "Host *\n User bob\n Port 2200\n RemoteCommand %h %n %p %r %%\n"
	    "UserKnownHostsFile /kh/%h\n", &eb) == 0, "tokens: resolve");
	is_str(o.remote_command, "web1 Web1 2200 bob %", "tokens: RemoteCommand");
	is_str(o.user_known_hosts[0], "/kh/web1", "tokens: UserKnownHostsFile");
	sshopts_free(&o);
	ok(resolve(&o, "h", "RemoteCommand %q\n", &eb) == -1, "tokens: unknown token fails");
	sshopts_free(&o);
}

static void
test_errors(void)
{
	struct sshopts o;
	struct errbuf eb;

	ok(resolve(&o, "h", "Host *\n  Bogus 1\n", &eb) == -1, "unknown keyword");
	is_str(eb.msg, "cfg:2: bogus: unsupported option", "unknown keyword: file:line");
	sshopts_free(&o);
	ok(resolve(&o, "h", "Host nomatch\n Port x\n", &eb) == -1,
	    "a bad value in an inactive block is still an error");
	sshopts_free(&o);
	ok(resolve(&o, "h", "IgnoreUnknown foo*\nFooBar 1\n", &eb) == 0, "IgnoreUnknown");
	sshopts_free(&o);
	ok(resolve(&o, "h", "Match all host x\n", &eb) == -1, "Match all with another criterion");
	sshopts_free(&o);
	ok(resolve(&o, "h", "Port\n", &eb) == -1 && strstr(eb.msg, "no argument") != NULL,
	    "a keyword without argument");
	sshopts_free(&o);
}

static void
test_includes(void)
{
	char path[256], text[512];
	struct sshopts o;
	struct errbuf eb;
	FILE *f;

	snprintf(path, sizeof(path), "%s/.ssh", tmpdir);
	mkdir(path, 0700);
	snprintf(path, sizeof(path), "%s/.ssh/b.conf", tmpdir);
	f = fopen(path, "w");
	fputs("Port 2\nInclude b.conf\n", f);	/* includes itself: the depth bound */
	fclose(f);
	snprintf(path, sizeof(path), "%s/.ssh/a.conf", tmpdir);
	f = fopen(path, "w");
	fputs("Host h\n User fromA\n", f);
	fclose(f);
	setenv("HOME", tmpdir, 1);
	snprintf(text, sizeof(text), "Include *.conf-nomatch\nInclude a.conf\nPort 1\n");
	ok(resolve(&o, "h", text, &eb) == 0 && strcmp(o.user, "fromA") == 0 && o.port == 1,
	    "Include: relative to ~/.ssh; no match is fine");
	sshopts_free(&o);
	ok(resolve(&o, "h", "Include b.conf\n", &eb) == -1 && strstr(eb.msg, "levels") != NULL,
	    "Include: the depth is bounded");
	sshopts_free(&o);
	snprintf(path, sizeof(path), "%s/.ssh/a.conf", tmpdir);
	chmod(path, 0666);
	ok(resolve(&o, "h", "Include a.conf\n", &eb) == -1 &&
	    strstr(eb.msg, "bad owner or permissions") != NULL, "Include: a writable file");
	sshopts_free(&o);
}

static void
cleanup(void)
{
	static const char *const names[] = { ".ssh/a.conf", ".ssh/b.conf", ".ssh" };
	char path[256];
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", tmpdir, names[i]);
		(void)remove(path);
	}
	(void)rmdir(tmpdir);
}

int
main(void)
{
	if (mkdtemp(tmpdir) == NULL)
		return 1;
	setenv("TEST_SSHCONFIG_X", "xval", 1);
	test_strdelim();
	test_argv();
	test_patterns();
	test_expand();
	test_opts();
	test_algs();
	test_hosts();
	test_tokens();
	test_errors();
	test_includes();
	cleanup();
	return tap_done();
}
