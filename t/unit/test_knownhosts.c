/*
 * Unit tests of lib/knownhosts: lookup names, OpenSSH pattern lists,
 * verdicts over buffers and files (priority, file and line of the deciding
 * line, markers, comments, CRLF), hashed names (ours and ssh-keygen -H's),
 * knownhosts_add (modes, newline repair, hashing, refusals) and 50
 * processes appending to one file at once.
 */
#include "config.h"

#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "tap.h"
#include "knownhosts.h"

#define ED	"ssh-ed25519"
#define EC	"ecdsa-sha2-nistp256"
#define K1	"AAAAC3NzaC1lZDI1NTE5AAAAIEUCcB3JSvbuE9+N+UL97Acr" \
		"92YnCJJHj2pe+lZ5ZSKI"
#define K2	"AAAAC3NzaC1lZDI1NTE5AAAAIE9DwGvzrB0BxcE7ube0b++9" \
		"bJ527mBsqoRqO1j86/yj"
#define K3	"AAAAC3NzaC1lZDI1NTE5AAAAICs+CbNIr68VK8EY5S7pFcuV" \
		"nJwQzf+baiUTzkmj67mF"
#define E1	"AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABB" \
		"BPmAJjAs1UYU9rTOP4gffCXtUFqsmuH/+/G+mdH8Ji1T/8R7IMSYFl" \
		"JmgjU05AnoZRZKIWeLK0Oba4MKE7I/7Ig="

#define NCHILD	50

static int	 rm_entry(const char *, const struct stat *, int, struct FTW *);
static void	 rm_tree(const char *);
static char	*path_in(const char *);
static void	 write_file(const char *, const char *);
static char	*read_file(const char *);
static int	 match(const char *, const char *);
static struct kh_result check(const char *, const char *, const char *,
	    const char *);
static void	 hashed_line(char *, size_t, const char *, const char *);
static int	 run_keygen_hash(const char *);
static void	 test_name(void);
static void	 test_patterns_basic(void);
static void	 test_patterns_negation(void);
static void	 test_verdicts(void);
static void	 test_priority(void);
static void	 test_markers(void);
static void	 test_ignored_lines(void);
static void	 test_line_shapes(void);
static void	 test_hashed(void);
static void	 test_keygen_hashed(void);
static void	 test_files(void);
static void	 test_file_errors(void);
static void	 test_add_create(void);
static void	 test_add_refuse(void);
static void	 test_add_newline(void);
static void	 test_add_hashed(void);
static void	 test_add_errors(void);
static void	 child_add(const char *, int, int);
static int	 parse_race(char *, int *);
static int	 race(const char *);
static void	 test_concurrent(void);

static char	tmpdir[] = "/tmp/test_knownhosts.XXXXXX";

static int
rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)remove(path);
	return 0;
}

static void
rm_tree(const char *dir)
{
	(void)nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* tmpdir/rel (malloc'd). */
static char *
path_in(const char *rel)
{
	char *p = malloc(strlen(tmpdir) + strlen(rel) + 2);

	sprintf(p, "%s/%s", tmpdir, rel);
	return p;
}

static void
write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	if (f == NULL) {
		printf("# cannot write %s\n", path);
		return;
	}
	fputs(text, f);
	fclose(f);
}

/* The whole file as a string (malloc'd), or NULL. */
static char *
read_file(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf;
	size_t n;

	if (f == NULL) {
		return NULL;
	}
	buf = calloc(1, 1 << 20);
	n = fread(buf, 1, (1 << 20) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static int
match(const char *name, const char *patterns)
{
	return knownhosts_match_patterns(name, patterns, strlen(patterns));
}

static struct kh_result
check(const char *text, const char *name, const char *type, const char *key)
{
	struct kh_result res;

	memset(&res, 0, sizeof(res));
	knownhosts_check_buf(text, strlen(text), "buf", name, type, key, &res);
	return res;
}

/* "|1|salt|hmac" for name, with a fixed salt, built with OpenSSL. */
static void
hashed_line(char *dst, size_t len, const char *name, const char *rest)
{
	unsigned char salt[20], mac[EVP_MAX_MD_SIZE], s64[64], m64[64];
	unsigned int mlen = 0;
	size_t i;

	for (i = 0; i < sizeof(salt); i++) {
		salt[i] = (unsigned char)(i * 7 + 1);
	}
	HMAC(EVP_sha1(), salt, sizeof(salt), (const unsigned char *)name,
	    strlen(name), mac, &mlen);
	EVP_EncodeBlock(s64, salt, sizeof(salt));
	EVP_EncodeBlock(m64, mac, (int)mlen);
	snprintf(dst, len, "|1|%s|%s %s", s64, m64, rest);
}

static void
test_name(void)
{
	char buf[KH_NAME_MAX], small[8];

	knownhosts_name(buf, sizeof(buf), "Host.Example.COM", 22);
	is_str(buf, "host.example.com",
	    "name: port 22 is the bare host, lower-cased");
	knownhosts_name(buf, sizeof(buf), "host", 0);
	is_str(buf, "host", "name: port 0 is the bare host");
	knownhosts_name(buf, sizeof(buf), "Web1", 2222);
	is_str(buf, "[web1]:2222",
	    "name: other port is [host]:port, lower-cased");
	knownhosts_name(buf, sizeof(buf), "10.0.0.1", 23);
	is_str(buf, "[10.0.0.1]:23", "name: IPv4 with port 23");
	knownhosts_name(buf, sizeof(buf), "FE80::1", 2200);
	is_str(buf, "[fe80::1]:2200", "name: IPv6 with a port");
	knownhosts_name(small, sizeof(small), "verylonghost", 2222);
	is_str(small, "[verylo",
	    "name: truncated to the buffer, NUL-terminated");
}

static void
test_patterns_basic(void)
{
	const char np[] = { 'h', 'o', 's', 't', ',', 'o', 't', 'h', 'e', 'r' };

	ok(match("host", "host"), "pattern: exact");
	ok(!match("host", "hos"), "pattern: prefix of the name does not match");
	ok(!match("hos", "host"), "pattern: longer pattern does not match");
	ok(!match("host", ""), "pattern: empty list matches nothing");
	ok(match("a.example", "*.example"), "pattern: * prefix");
	ok(match("a.b.example", "*.example"), "pattern: * spans dots");
	ok(!match("example", "*.example"), "pattern: *.example needs the dot");
	ok(match("anything", "*"), "pattern: * alone");
	ok(match("", "*"), "pattern: * matches the empty name");
	ok(match("ht", "h*t"), "pattern: * matches nothing");
	ok(match("hxyzxt", "h*x*t"), "pattern: two stars backtrack");
	ok(!match("hxyz", "h*x*t"), "pattern: two stars, no final t");
	ok(match("host", "h?st"), "pattern: ? one char");
	ok(!match("hst", "h?st"), "pattern: ? is exactly one char");
	ok(!match("abc", "??"), "pattern: ?? needs two chars");
	ok(match("web12", "web??"), "pattern: web??");
	ok(match("host", "HoSt"), "pattern: case-insensitive (pattern upper)");
	ok(match("HOST.EXAMPLE", "*.example"),
	    "pattern: case-insensitive (name upper)");
	ok(match("b", "a,b,c"), "pattern: comma list, middle");
	ok(match("c", "a,b,c"), "pattern: comma list, last");
	ok(!match("d", "a,b,c"), "pattern: comma list, none");
	ok(!match("x", "a,,c,"), "pattern: empty elements match nothing");
	ok(match("c", "a,,c,"), "pattern: empty elements skipped");
	ok(match("[host]:2222", "[host]:2222"), "pattern: [host]:port literal");
	ok(!match("[host]:22", "[host]:2222"),
	    "pattern: [host]:port other port");
	ok(!match("host", "[host]:2222"), "pattern: [host]:port vs bare host");
	ok(match("[web3]:2222", "[web?]:2222"), "pattern: ? inside brackets");
	ok(match("[host]:2200", "[host]:*"), "pattern: [host]:*");
	ok(!match("a", "[ab]"), "pattern: [ab] is not a character class");
	ok(match("[ab]", "[ab]"), "pattern: brackets are literal");
	ok(knownhosts_match_patterns("host", np, 4),
	    "pattern: len bounds the list (in)");
	ok(!knownhosts_match_patterns("other", np, 4),
	    "pattern: len bounds the list (out)");
	ok(knownhosts_match_patterns("hos", np, 3),
	    "pattern: len cuts a pattern (in)");
	ok(!knownhosts_match_patterns("host", np, 3),
	    "pattern: len cuts a pattern (out)");
}

static void
test_patterns_negation(void)
{
	ok(!match("bad.example", "*.example,!bad.example"),
	    "negation: vetoes a * match");
	ok(match("good.example", "*.example,!bad.example"),
	    "negation: others still match");
	ok(!match("bad.example", "!bad.example,*.example"),
	    "negation: order does not matter");
	ok(!match("bad.example", "bad.example,!bad.example"),
	    "negation: vetoes an exact match");
	ok(!match("good", "!bad"), "negation alone matches nothing");
	ok(!match("x.example", "!*.example,*"), "negation: wildcard negation");
	ok(match("x.other", "!*.example,*"),
	    "negation: wildcard negation, no hit");
	ok(!match("BAD.example", "*,!bad.EXAMPLE"),
	    "negation: case-insensitive");
	ok(!match("[h]:2222", "*,![h]:*"), "negation: [host]:port pattern");
	ok(!match("host", "!"), "negation: bare ! matches nothing");
	ok(match("host", "host,!"), "negation: bare ! vetoes nothing");
}

static void
test_verdicts(void)
{
	struct kh_result r;

	r = check("host " ED " " K1 "\n", "host", ED, K1);
	is_long(r.status, KH_OK, "verdict: OK");
	is_long(r.line, 1, "verdict: OK line");
	is_str(r.file, "buf", "verdict: OK file");
	is_str(r.keytype, ED, "verdict: OK keytype");
	r = check("host " ED " " K1 "\n", "other", ED, K1);
	is_long(r.status, KH_UNKNOWN, "verdict: UNKNOWN for another host");
	is_long(r.line, 0, "verdict: UNKNOWN line 0");
	is_str(r.file, "", "verdict: UNKNOWN has no file");
	r = check("host " ED " " K2 "\n", "host", ED, K1);
	is_long(r.status, KH_CHANGED, "verdict: CHANGED");
	is_long(r.line, 1, "verdict: CHANGED line");
	r = check("host " EC " " E1 "\n", "host", ED, K1);
	is_long(r.status, KH_OTHER, "verdict: OTHER");
	is_str(r.keytype, EC, "verdict: OTHER names the known type");
	r = check("", "host", ED, K1);
	is_long(r.status, KH_UNKNOWN, "verdict: empty buffer");
	r = check("host " ED "-cert-v01@openssh.com " K1 "\n", "host", ED, K1);
	is_long(r.status, KH_OTHER,
	    "verdict: type compared whole, not as a prefix");
	r = check("host " ED " " K1 "AAAA\n", "host", ED, K1);
	is_long(r.status, KH_CHANGED, "verdict: key compared whole (longer)");
	r = check("host " ED " AAAAC3NzaC1l\n", "host", ED, K1);
	is_long(r.status, KH_CHANGED, "verdict: key compared whole (prefix)");
}

static void
test_priority(void)
{
	struct kh_result r;

	r = check("host " EC " " E1 "\nhost " ED " " K2 "\n", "host", ED, K1);
	is_long(r.status, KH_CHANGED, "priority: CHANGED over OTHER");
	is_long(r.line, 2, "priority: CHANGED line");
	r = check("host " ED " " K2 "\nx y z\nhost " ED " " K1 "\n",
	    "host", ED, K1);
	is_long(r.status, KH_OK, "priority: OK over CHANGED");
	is_long(r.line, 3, "priority: OK line");
	r = check("a " ED " " K2 "\nhost " ED " " K3 "\nhost " ED " " K2 "\n",
	    "host", ED, K1);
	is_long(r.status, KH_CHANGED, "priority: first CHANGED");
	is_long(r.line, 2, "priority: first CHANGED line kept");
	r = check("host " ED " " K1 "\n@revoked host " ED " " K1 "\n",
	    "host", ED, K1);
	is_long(r.status, KH_REVOKED, "priority: REVOKED over OK (after)");
	is_long(r.line, 2, "priority: REVOKED line");
	r = check("@revoked * " ED " " K1 "\nhost " ED " " K1 "\n",
	    "host", ED, K1);
	is_long(r.status, KH_REVOKED, "priority: REVOKED over OK (before)");
	is_long(r.line, 1, "priority: REVOKED line 1");
	r = check("@revoked host " ED " " K2 "\nhost " ED " " K1 "\n",
	    "host", ED, K1);
	is_long(r.status, KH_OK,
	    "priority: revoking another key does not matter");
	r = check("@revoked host " ED " " K2 "\n", "host", ED, K1);
	is_long(r.status, KH_UNKNOWN,
	    "priority: @revoked alone does not make a host known");
	r = check("@revoked other " ED " " K1 "\n", "host", ED, K1);
	is_long(r.status, KH_UNKNOWN, "priority: @revoked for another host");
}

static void
test_markers(void)
{
	struct kh_result r;

	r = check("@cert-authority host " ED " " K1 "\n", "host", ED, K1);
	is_long(r.status, KH_UNKNOWN,
	    "marker: @cert-authority same key ignored");
	r = check("@cert-authority *.example " ED " " K2 "\n",
	    "h.example", ED, K1);
	is_long(r.status, KH_UNKNOWN,
	    "marker: @cert-authority other key ignored");
	r = check("@cert-authority * " ED " " K2 "\nhost " ED " " K1 "\n",
	    "host", ED, K1);
	is_long(r.status, KH_OK, "marker: @cert-authority beside a plain line");
	is_long(r.line, 2, "marker: the plain line decides");
	r = check("@foo host " ED " " K1 "\n", "host", ED, K1);
	is_long(r.status, KH_UNKNOWN,
	    "marker: unknown marker ignores the line");
	r = check("@revoked\n@revoked host\n@revoked host " ED "\n",
	    "host", ED, K1);
	is_long(r.status, KH_UNKNOWN,
	    "marker: truncated @revoked lines ignored");
	r = check("\t@revoked\thost\t" ED "\t" K1 "\n", "host", ED, K1);
	is_long(r.status, KH_REVOKED, "marker: tabs around @revoked");
}

static void
test_ignored_lines(void)
{
	struct kh_result r;
	const char *text =
	    "# host " ED " " K2 "\n"
	    "   #host " ED " " K2 "\n"
	    "\n"
	    "   \t \n"
	    "host\n"
	    "host " ED "\n"
	    "!!garbage!! \x01\x02\xff\n"
	    "host " ED " " K1 "\n";

	r = check(text, "host", ED, K1);
	is_long(r.status, KH_OK, "ignored: comments, blanks, garbage skipped");
	is_long(r.line, 8, "ignored: lines still counted");
	r = check("# only a comment\n\n", "host", ED, K1);
	is_long(r.status, KH_UNKNOWN, "ignored: comment-only file");
	r = check("host " ED " " K2 " # comment\n", "host", ED, K1);
	is_long(r.status, KH_CHANGED, "ignored: trailing comment after key");
}

static void
test_line_shapes(void)
{
	struct kh_result r;
	const char nul[] = "x " ED " " K2 "\0junk\nhost " ED " " K1 "\n";

	r = check("a " ED " " K2 "\r\nhost " ED " " K1 "\r\n", "host", ED, K1);
	is_long(r.status, KH_OK, "shape: CRLF lines");
	is_long(r.line, 2, "shape: CRLF line number");
	r = check("x " ED " " K2 "\nhost " ED " " K1, "host", ED, K1);
	is_long(r.status, KH_OK, "shape: last line without newline");
	is_long(r.line, 2, "shape: last line number");
	r = check("  host\t\t" ED "  " K1 "  user@box  \n", "host", ED, K1);
	is_long(r.status, KH_OK, "shape: tabs, runs of blanks, comment");
	r = check("foo,HOST,bar " ED " " K1 "\n", "host", ED, K1);
	is_long(r.status, KH_OK,
	    "shape: host in a comma list, case-insensitive");
	r = check("*.example,!bad.example " ED " " K1 "\n",
	    "bad.example", ED, K1);
	is_long(r.status, KH_UNKNOWN, "shape: negated host");
	r = check("[host]:2222 " ED " " K1 "\n", "[host]:2222", ED, K1);
	is_long(r.status, KH_OK, "shape: [host]:port line");
	r = check("[host]:2222 " ED " " K1 "\n", "host", ED, K1);
	is_long(r.status, KH_UNKNOWN, "shape: [host]:port is not host");
	memset(&r, 0, sizeof(r));
	knownhosts_check_buf(nul, sizeof(nul) - 1, "buf", "host", ED, K1, &r);
	is_long(r.status, KH_OK, "shape: NUL byte inside a line");
	is_long(r.line, 2, "shape: NUL line number");
}

static void
test_hashed(void)
{
	struct kh_result r;
	char line[512], text[1024];

	hashed_line(line, sizeof(line), "[h.example]:2222", ED " " K1);
	snprintf(text, sizeof(text), "%s\n", line);
	r = check(text, "[h.example]:2222", ED, K1);
	is_long(r.status, KH_OK, "hashed: matches its name");
	r = check(text, "h.example", ED, K1);
	is_long(r.status, KH_UNKNOWN, "hashed: not another name");
	r = check(text, "[H.example]:2222", ED, K1);
	is_long(r.status, KH_UNKNOWN,
	    "hashed: exact bytes (callers lower-case)");
	r = check(text, "[h.example]:2222", ED, K2);
	is_long(r.status, KH_CHANGED, "hashed: CHANGED");
	snprintf(text, sizeof(text), "@revoked %s\n", line);
	r = check(text, "[h.example]:2222", ED, K1);
	is_long(r.status, KH_REVOKED, "hashed: @revoked");
	r = check("|1|AAAA|BBBB " ED " " K1 "\n|1|%%%%|x " ED " " K1 "\n"
	    "|1| " ED " " K1 "\n|1|| " ED " " K1 "\n"
	    "|2|AAAA|BBBB " ED " " K1 "\n"
	    "| " ED " " K1 "\n", "host", ED, K1);
	is_long(r.status, KH_UNKNOWN, "hashed: malformed hashes match nothing");
	line[3] = line[3] == 'A' ? 'B' : 'A';
	snprintf(text, sizeof(text), "%s\n", line);
	r = check(text, "[h.example]:2222", ED, K1);
	is_long(r.status, KH_UNKNOWN, "hashed: another salt does not match");
}

/* ssh-keygen -q -H -f file, its output to /dev/null; its exit status. */
static int
run_keygen_hash(const char *file)
{
	char *argv[] = { "ssh-keygen", "-q", "-H", "-f", (char *)file, NULL };
	int st, nul;
	pid_t pid;

	fflush(stdout);
	if ((pid = fork()) == 0) {
		nul = open("/dev/null", O_RDWR);
		dup2(nul, 0);
		dup2(nul, 1);
		dup2(nul, 2);
		execvp(argv[0], argv);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &st, 0) != pid) {
		return -1;
	}
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128;
}

static void
test_keygen_hashed(void)
{
	char *file = path_in("keygen_hosts");
	char *old = path_in("keygen_hosts.old");
	const char *files[1] = { file };
	struct kh_result r;
	struct errbuf eb;
	char *text;

	write_file(file, "host1.example.com " ED " " K1 "\n"
	    "[host2.example.com]:2222 " ED " " K2 "\n");
	is_long(run_keygen_hash(file), 0, "keygen: ssh-keygen -H ran");
	text = read_file(file);
	ok(text != NULL && strncmp(text, "|1|", 3) == 0 &&
	    strstr(text, "\n|1|") != NULL, "keygen: both lines hashed");
	ok(text != NULL && strstr(text, "example") == NULL,
	    "keygen: names gone");
	free(text);
	ok(knownhosts_check(files, 1,
	    "host1.example.com", ED, K1, &r, &eb) == 0 &&
	    r.status == KH_OK && r.line == 1, "keygen: hashed host1 matches");
	ok(knownhosts_check(files, 1,
	    "[host2.example.com]:2222", ED, K2, &r, &eb) == 0 &&
	    r.status == KH_OK && r.line == 2,
	    "keygen: hashed [host2]:2222 matches");
	ok(knownhosts_check(files, 1,
	    "host2.example.com", ED, K2, &r, &eb) == 0 &&
	    r.status == KH_UNKNOWN,
	    "keygen: host2 without port does not match");
	ok(knownhosts_check(files, 1,
	    "host3.example.com", ED, K1, &r, &eb) == 0 &&
	    r.status == KH_UNKNOWN, "keygen: another name does not match");
	ok(knownhosts_check(files, 1,
	    "host1.example.com", ED, K3, &r, &eb) == 0 &&
	    r.status == KH_CHANGED, "keygen: hashed host1, other key: CHANGED");
	unlink(file);
	unlink(old);
	free(file);
	free(old);
}

static void
test_files(void)
{
	char *f1 = path_in("kh1"), *f2 = path_in("kh2");
	char *none = path_in("missing");
	const char *files[3] = { f1, none, f2 };
	struct kh_result r;
	struct errbuf eb;

	write_file(f1, "x " ED " " K3 "\nhost " ED " " K2 "\n");
	write_file(f2,
	    "y " ED " " K3 "\nz " ED " " K3 "\nhost " ED " " K1 "\n");
	ok(knownhosts_check(files, 3, "host", ED, K1, &r, &eb) == 0,
	    "files: check");
	is_long(r.status, KH_OK, "files: OK in the last file");
	is_str(r.file, f2, "files: OK file");
	is_long(r.line, 3, "files: OK line");
	ok(knownhosts_check(files, 3, "host", ED, K3, &r, &eb) == 0,
	    "files: check 2");
	is_long(r.status, KH_CHANGED, "files: CHANGED");
	is_str(r.file, f1, "files: first CHANGED file wins");
	is_long(r.line, 2, "files: first CHANGED line");
	write_file(f2, "@revoked host " ED " " K2 "\n");
	ok(knownhosts_check(files, 3, "host", ED, K2, &r, &eb) == 0,
	    "files: check 3");
	is_long(r.status, KH_REVOKED,
	    "files: REVOKED in a later file beats OK");
	is_str(r.file, f2, "files: REVOKED file");
	is_long(r.line, 1, "files: REVOKED line");
	ok(knownhosts_check(files + 1, 1, "host", ED, K2, &r, &eb) == 0 &&
	    r.status == KH_UNKNOWN && r.line == 0,
	    "files: missing file is empty");
	ok(knownhosts_check(files, 0, "host", ED, K2, &r, &eb) == 0 &&
	    r.status == KH_UNKNOWN, "files: no files");
	unlink(f1);
	unlink(f2);
	free(f1);
	free(f2);
	free(none);
}

static void
test_file_errors(void)
{
	char *reg = path_in("regular"), *under = path_in("regular/known_hosts");
	char *dir = path_in("adir");
	const char *files[2];
	struct kh_result r;
	struct errbuf eb;

	write_file(reg, "");
	mkdir(dir, 0700);
	files[0] = under;
	ok(knownhosts_check(files, 1, "host", ED, K1, &r, &eb) == 0 &&
	    r.status == KH_UNKNOWN,
	    "file errors: path under a regular file is missing");
	files[0] = reg;
	files[1] = dir;
	memset(&eb, 0, sizeof(eb));
	is_long(knownhosts_check(files, 2, "host", ED, K1, &r, &eb), -1,
	    "file errors: a directory cannot be read");
	ok(strstr(eb.msg, dir) != NULL && strstr(eb.msg, "directory") != NULL,
	    "file errors: message names the file and the reason");
	printf("# %s\n", eb.msg);
	rmdir(dir);
	unlink(reg);
	free(reg);
	free(under);
	free(dir);
}

static void
test_add_create(void)
{
	char *sub = path_in("newdir"), *file = path_in("newdir/known_hosts");
	const char *files[1] = { file };
	struct kh_result r;
	struct errbuf eb;
	struct stat st;
	char *text;

	is_long(knownhosts_add(file, "host", ED, K1, 0, &r, &eb), 0,
	    "add: creates");
	is_long(r.status, KH_UNKNOWN, "add: UNKNOWN means appended");
	ok(stat(sub, &st) == 0 && S_ISDIR(st.st_mode) &&
	    (st.st_mode & 07777) == 0700,
	    "add: directory created 0700");
	ok(stat(file, &st) == 0 && (st.st_mode & 07777) == 0600,
	    "add: file created 0600");
	text = read_file(file);
	is_str(text, "host " ED " " K1 "\n", "add: line is name type key");
	free(text);
	is_long(knownhosts_add(file, "[web1]:2222", ED, K2, 0, &r, &eb), 0,
	    "add: second");
	text = read_file(file);
	is_str(text, "host " ED " " K1 "\n[web1]:2222 " ED " " K2 "\n",
	    "add: appended");
	free(text);
	ok(knownhosts_check(files, 1, "[web1]:2222", ED, K2, &r, &eb) == 0 &&
	    r.status == KH_OK && r.line == 2, "add: check finds the new line");
	unlink(file);
	rmdir(sub);
	free(sub);
	free(file);
}

static void
test_add_refuse(void)
{
	char *file = path_in("refuse_hosts");
	const char *orig = "host " ED " " K1 "\n@revoked bad " ED " " K3 "\n";
	struct kh_result r;
	struct errbuf eb;
	char *text;

	write_file(file, orig);
	is_long(knownhosts_add(file, "host", ED, K1, 0, &r, &eb), 0,
	    "refuse: same key");
	is_long(r.status, KH_OK, "refuse: same key is OK");
	is_long(r.line, 1, "refuse: same key line");
	is_long(knownhosts_add(file, "host", ED, K2, 0, &r, &eb), 0,
	    "refuse: other key");
	is_long(r.status, KH_CHANGED, "refuse: other key is CHANGED");
	is_str(r.file, file, "refuse: CHANGED file");
	is_long(knownhosts_add(file, "host", EC, E1, 0, &r, &eb), 0,
	    "refuse: other type");
	is_long(r.status, KH_OTHER, "refuse: other type is OTHER");
	is_long(knownhosts_add(file, "bad", ED, K3, 0, &r, &eb), 0,
	    "refuse: revoked");
	is_long(r.status, KH_REVOKED, "refuse: revoked key is REVOKED");
	is_long(r.line, 2, "refuse: revoked line");
	text = read_file(file);
	is_str(text, orig, "refuse: nothing appended");
	free(text);
	unlink(file);
	free(file);
}

static void
test_add_newline(void)
{
	char *file = path_in("nonl_hosts");
	struct kh_result r;
	struct errbuf eb;
	char *text;

	write_file(file, "a " ED " " K2);
	is_long(knownhosts_add(file, "b", ED, K1, 0, &r, &eb), 0,
	    "newline: add");
	is_long(r.status, KH_UNKNOWN, "newline: appended");
	text = read_file(file);
	is_str(text, "a " ED " " K2 "\nb " ED " " K1 "\n",
	    "newline: repaired before appending");
	free(text);
	write_file(file, "");
	is_long(knownhosts_add(file, "c", ED, K1, 0, &r, &eb), 0,
	    "newline: empty file");
	text = read_file(file);
	is_str(text, "c " ED " " K1 "\n",
	    "newline: no blank line added to an empty file");
	free(text);
	unlink(file);
	free(file);
}

static void
test_add_hashed(void)
{
	char *file = path_in("hashed_hosts");
	const char *files[1] = { file };
	struct kh_result r;
	struct errbuf eb;
	char *text, *sp;

	is_long(knownhosts_add(file, "[h.example]:2222", ED, K1, 1, &r, &eb), 0,
	    "hash add");
	is_long(r.status, KH_UNKNOWN, "hash add: appended");
	text = read_file(file);
	ok(text != NULL && strncmp(text, "|1|", 3) == 0,
	    "hash add: line starts |1|");
	ok(text != NULL && strstr(text, "example") == NULL,
	    "hash add: name not in clear");
	sp = text != NULL ? strchr(text, ' ') : NULL;
	is_str(sp, " " ED " " K1 "\n", "hash add: then type and key");
	ok(text != NULL && sp != NULL && sp - text == 3 + 28 + 1 + 28,
	    "hash add: |1| + 28 base64 + | + 28 base64");
	free(text);
	ok(knownhosts_check(files, 1,
	    "[h.example]:2222", ED, K1, &r, &eb) == 0 &&
	    r.status == KH_OK, "hash add: check matches the hashed line");
	ok(knownhosts_check(files, 1, "h.example", ED, K1, &r, &eb) == 0 &&
	    r.status == KH_UNKNOWN, "hash add: other name does not");
	is_long(knownhosts_add(file, "[h.example]:2222", ED, K1, 1, &r, &eb), 0,
	    "hash add 2");
	is_long(r.status, KH_OK, "hash add: second add finds it");
	is_long(knownhosts_add(file, "[h.example]:2222", ED, K2, 1, &r, &eb), 0,
	    "hash add 3");
	is_long(r.status, KH_CHANGED, "hash add: other key refused");
	text = read_file(file);
	ok(text != NULL && strchr(text, '\n') == text + strlen(text) - 1,
	    "hash add: still one line");
	free(text);
	unlink(file);
	free(file);
}

static void
test_add_errors(void)
{
	char *reg = path_in("reg2"), *under = path_in("reg2/known_hosts");
	char *dir = path_in("dir2");
	struct kh_result r;
	struct errbuf eb;

	write_file(reg, "");
	mkdir(dir, 0700);
	memset(&eb, 0, sizeof(eb));
	is_long(knownhosts_add(under, "h", ED, K1, 0, &r, &eb), -1,
	    "add errors: directory is a regular file");
	ok(strncmp(eb.msg, "open ", 5) == 0 && strstr(eb.msg, under) != NULL,
	    "add errors: message names the file");
	printf("# %s\n", eb.msg);
	memset(&eb, 0, sizeof(eb));
	is_long(knownhosts_add(dir, "h", ED, K1, 0, &r, &eb), -1,
	    "add errors: file is a directory");
	ok(eb.msg[0] != '\0', "add errors: message set");
	printf("# %s\n", eb.msg);
	rmdir(dir);
	unlink(reg);
	free(reg);
	free(under);
	free(dir);
}

/* Wait for the start signal (EOF on go), add host NN, exit 0 if appended. */
static void
child_add(const char *file, int go, int i)
{
	struct kh_result r;
	struct errbuf eb;
	char name[64], c;

	while (read(go, &c, 1) < 0 && errno == EINTR) {
		continue;
	}
	snprintf(name, sizeof(name), "host%02d.example", i);
	if (knownhosts_add(file, name, ED, i % 2 ? K1 : K2, 0, &r, &eb) != 0) {
		_exit(2);
	}
	_exit(r.status == KH_UNKNOWN ? 0 : 1);
}

/* Count the well-formed "hostNN.example type key" lines into seen[]. */
static int
parse_race(char *text, int *seen)
{
	char *line, *save = NULL, prefix[64], type[64], key[128], extra[8];
	int i, n, good = 1;

	for (line = strtok_r(text, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		i = -1;
		n = sscanf(line,
		    "host%d.example %63s %127s %7s", &i, type, key, extra);
		snprintf(prefix, sizeof(prefix), "host%02d.example %s ", i, ED);
		if (n != 3 || i < 0 || i >= NCHILD ||
		    strncmp(line, prefix, strlen(prefix)) != 0 ||
		    strcmp(key, i % 2 ? K1 : K2) != 0) {
			printf("# bad line: %s\n", line);
			good = 0;
		} else {
			seen[i]++;
		}
	}
	return good;
}

/* Fork NCHILD adders held at a pipe, release them at once, reap them. */
static int
race(const char *file)
{
	int go[2], i, st, allok = 1;
	pid_t pids[NCHILD];

	if (pipe(go) != 0) {
		return 0;
	}
	fflush(stdout);
	for (i = 0; i < NCHILD; i++) {
		if ((pids[i] = fork()) == 0) {
			close(go[1]);
			child_add(file, go[0], i);
		}
	}
	close(go[0]);
	close(go[1]);	/* all children start now */
	for (i = 0; i < NCHILD; i++) {
		if (pids[i] < 0 || waitpid(pids[i], &st, 0) != pids[i] ||
		    !WIFEXITED(st) || WEXITSTATUS(st) != 0) {
			allok = 0;
		}
	}
	return allok;
}

static void
test_concurrent(void)
{
	char *dir = path_in("race"), *file = path_in("race/known_hosts"), *text;
	int seen[NCHILD], i, once = 1;

	memset(seen, 0, sizeof(seen));
	ok(race(file), "race: 50 children each appended");
	text = read_file(file);
	if (text == NULL) {
		text = calloc(1, 1);
	}
	ok(text[0] != '\0' && text[strlen(text) - 1] == '\n' &&
	    strstr(text, "\n\n") == NULL, "race: no torn or blank lines");
	ok(parse_race(text, seen), "race: every line well-formed");
	for (i = 0; i < NCHILD; i++) {
		if (seen[i] != 1) {
			printf("# host%02d seen %d times\n", i, seen[i]);
			once = 0;
		}
	}
	ok(once, "race: each name exactly once, 50 lines");
	free(text);
	unlink(file);
	rmdir(dir);
	free(dir);
	free(file);
}

int
main(void)
{
	umask(022);
	if (mkdtemp(tmpdir) == NULL) {
		printf("Bail out! mkdtemp: %s\n", strerror(errno));
		return 1;
	}
	test_name();
	test_patterns_basic();
	test_patterns_negation();
	test_verdicts();
	test_priority();
	test_markers();
	test_ignored_lines();
	test_line_shapes();
	test_hashed();
	test_keygen_hashed();
	test_files();
	test_file_errors();
	test_add_create();
	test_add_refuse();
	test_add_newline();
	test_add_hashed();
	test_add_errors();
	test_concurrent();
	rm_tree(tmpdir);
	return tap_done();
}
