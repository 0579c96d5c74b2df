/*
 * Unit tests of lib/hostlist, hostspec, hostrange and hostmatch: grammar,
 * padding, products, IPv6, ports, ^files, dedup order, matching,
 * compression, every error message, the caps and that a failed call leaves
 * the list unchanged.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tap.h"
#include "hostlist.h"
#include "hostmatch.h"
#include "hostspec.h"

static char	*joined(const struct hostlist *);
static char	*expand(const char *);
static const char *push_error(const char *);
static char	*after(const char *, const char *, int);
static char	*compress(const char *);
static int	 same_set(const char *, const char *);
static char	*write_file(const char *, size_t);
static void	 test_grammar(void);
static void	 test_padding_products(void);
static void	 test_user_port_ipv6(void);
static void	 test_errors(void);
static void	 test_unchanged(void);
static void	 test_caps(void);
static void	 test_files(void);
static void	 test_file_errors(void);
static void	 test_dedup_api(void);
static void	 test_hostspec(void);
static void	 test_match(void);
static void	 test_match_file(void);
static void	 test_compress(void);
static void	 test_round_trip(void);
static void	 test_many(void);

static struct errbuf eb;

/* The list as one space-separated string (malloc'd). */
static char *
joined(const struct hostlist *hl)
{
	size_t i, len = 1;
	char *s;

	for (i = 0; i < hostlist_count(hl); i++) {
		len += strlen(hostlist_nth(hl, i)) + 1;
	}
	s = calloc(1, len);
	for (i = 0; i < hostlist_count(hl); i++) {
		if (i > 0) {
			strcat(s, " ");
		}
		strcat(s, hostlist_nth(hl, i));
	}
	return s;
}

/* expr expanded and joined, or "ERR <message>". */
static char *
expand(const char *expr)
{
	struct hostlist *hl = hostlist_new();
	char *s;

	if (hostlist_push(hl, expr, &eb) == -1) {
		s = malloc(strlen(eb.msg) + 5);
		sprintf(s, "ERR %s", eb.msg);
	} else {
		s = joined(hl);
	}
	hostlist_free(hl);
	return s;
}

static const char *
push_error(const char *expr)
{
	struct hostlist *hl = hostlist_new();

	eb.msg[0] = '\0';
	if (hostlist_push(hl, expr, &eb) == 0) {
		strcpy(eb.msg, "(no error)");
	}
	hostlist_free(hl);
	return eb.msg;
}

/* expr after filter (keep = 1) or exclude (keep = 0) with patterns. */
static char *
after(const char *expr, const char *patterns, int keep)
{
	struct hostlist *hl = hostlist_new();
	char *s;
	int rc;

	if (hostlist_push(hl, expr, &eb) == -1) {
		hostlist_free(hl);
		return strdup("ERR push");
	}
	rc = keep ? hostmatch_filter(hl, patterns, &eb) :
	    hostmatch_exclude(hl, patterns, &eb);
	if (rc == -1) {
		s = malloc(strlen(eb.msg) + 5);
		sprintf(s, "ERR %s", eb.msg);
	} else {
		s = joined(hl);
	}
	hostlist_free(hl);
	return s;
}

static char *
compress(const char *expr)
{
	struct hostlist *hl = hostlist_new();
	char *s;

	if (hostlist_push(hl, expr, &eb) == -1) {
		hostlist_free(hl);
		return strdup("ERR push");
	}
	s = hostmatch_compress(hl);
	hostlist_free(hl);
	return s;
}

/* Do two expressions expand to the same set of hosts? */
static int
same_set(const char *a, const char *b)
{
	struct hostlist *x = hostlist_new(), *y = hostlist_new();
	size_t i;
	int same;

	same = hostlist_push(x, a, &eb) == 0 && hostlist_push(y, b, &eb) == 0 &&
	    hostlist_count(x) == hostlist_count(y);
	for (i = 0; same && i < hostlist_count(x); i++) {
		same = hostlist_contains(y, hostlist_nth(x, i));
	}
	hostlist_free(x);
	hostlist_free(y);
	return same;
}

/* A temporary file holding data; the caller unlinks and frees the name. */
static char *
write_file(const char *data, size_t len)
{
	const char *tmp = getenv("TMPDIR");
	char *path = malloc(4096);
	int fd;

	snprintf(path, 4096, "%s/test_hostlist.XXXXXX", tmp ? tmp : "/tmp");
	fd = mkstemp(path);
	if (fd == -1 || write(fd, data, len) != (ssize_t)len) {
		printf("# cannot write %s\n", path);
	}
	close(fd);
	return path;
}

#define IS_EXPAND(expr, want) do {					\
	char *got_ = expand(expr);					\
	is_str(got_, want, "expand " expr);				\
	free(got_);							\
} while (0)

#define IS_ERROR(expr, want)						\
	is_str(push_error(expr), want, "error for " expr)

#define IS_AFTER(expr, pats, keep, want) do {				\
	char *got_ = after(expr, pats, keep);				\
	is_str(got_, want, (keep) ? "filter " pats " on " expr :	\
	    "exclude " pats " from " expr);				\
	free(got_);							\
} while (0)

#define IS_COMPRESS(expr, want) do {					\
	char *got_ = compress(expr);					\
	is_str(got_, want, "compress " expr);				\
	free(got_);							\
} while (0)

static void
test_grammar(void)
{
	IS_EXPAND("node[1-5]", "node1 node2 node3 node4 node5");
	IS_EXPAND("node1", "node1");
	IS_EXPAND("node[7]", "node7");
	IS_EXPAND("node[1,3,5-7]", "node1 node3 node5 node6 node7");
	IS_EXPAND("n[1-2],m[1-2]", "n1 n2 m1 m2");
	IS_EXPAND("a,b,c", "a b c");
	IS_EXPAND("a,,b,", "a b");
	IS_EXPAND(" a , b ", "a b");
	IS_EXPAND("", "");
	IS_EXPAND(",,", "");
	IS_EXPAND("web[1-3].example.com",
	    "web1.example.com web2.example.com web3.example.com");
	IS_EXPAND("[1-3]", "1 2 3");
	IS_EXPAND("10.0.0.[1-3]", "10.0.0.1 10.0.0.2 10.0.0.3");
	IS_EXPAND("n[0-2]", "n0 n1 n2");
	IS_EXPAND("host_a[1-2]", "host_a1 host_a2");
	IS_EXPAND("n[3,1,2]", "n3 n1 n2");
}

static void
test_padding_products(void)
{
	IS_EXPAND("node[01-03]", "node01 node02 node03");
	IS_EXPAND("node[08-10]", "node08 node09 node10");
	IS_EXPAND("n[1-010]",
	    "n001 n002 n003 n004 n005 n006 n007 n008 n009 n010");
	IS_EXPAND("n[001-3]", "n001 n002 n003");
	IS_EXPAND("n[0-1]", "n0 n1");
	IS_EXPAND("n[9-11]", "n9 n10 n11");
	IS_EXPAND("n[1,02]", "n01 n02");
	IS_EXPAND("n[1-2]m[01-02]", "n1m01 n1m02 n2m01 n2m02");
	IS_EXPAND("rack[1-2]-node[1-3]",
	    "rack1-node1 rack1-node2 rack1-node3 rack2-node1 rack2-node2 "
	    "rack2-node3");
	IS_EXPAND("r[1-2]-n[1-2]-c[1-2]",
	    "r1-n1-c1 r1-n1-c2 r1-n2-c1 r1-n2-c2 r2-n1-c1 r2-n1-c2 r2-n2-c1 "
	    "r2-n2-c2");
	IS_EXPAND("r[1,3]n[5-6]", "r1n5 r1n6 r3n5 r3n6");
	IS_EXPAND("n[999999999999999998-999999999999999999]",
	    "n999999999999999998 n999999999999999999");
}

static void
test_user_port_ipv6(void)
{
	IS_EXPAND("alice@web[1-2]", "alice@web1 alice@web2");
	IS_EXPAND("web[1-2]:2222", "web1:2222 web2:2222");
	IS_EXPAND("alice@web[1-2]:22", "alice@web1:22 alice@web2:22");
	IS_EXPAND("a@b@web1", "a@b@web1");
	IS_EXPAND("[::1]", "[::1]");
	IS_EXPAND("[::1]:2222", "[::1]:2222");
	IS_EXPAND("alice@[fe80::1]:22", "alice@[fe80::1]:22");
	IS_EXPAND("[::1],[::2]:22,h[1-2]", "[::1] [::2]:22 h1 h2");
	IS_EXPAND("[2001:db8::1]", "[2001:db8::1]");
	IS_EXPAND("[::ffff:10.0.0.1]:22", "[::ffff:10.0.0.1]:22");
	IS_EXPAND("web:65535", "web:65535");
	IS_EXPAND("web:1", "web:1");
}

static void
test_errors(void)
{
	IS_ERROR("node[1-3", "\"node[1-3\": unclosed '['");
	IS_ERROR("node[5-1]", "\"node[5-1]\": reversed range 5-1");
	IS_ERROR("node[]", "\"node[]\": empty brackets");
	IS_ERROR("node[a-c]", "\"node[a-c]\": not a numeric range \"a-c\"");
	IS_ERROR("n]", "\"n]\": unmatched ']'");
	IS_ERROR("n[1[2]]", "\"n[1[2]]\": nested '['");
	IS_ERROR("n[1-999999999]",
	    "\"n[1-999999999]\": expands to more than 100000 hosts");
	IS_ERROR("::1", "\"::1\": IPv6 address must be in brackets");
	IS_ERROR("fe80::1:22",
	    "\"fe80::1:22\": IPv6 address must be in brackets");
	IS_ERROR("web:0", "\"web:0\": port \"0\" out of range 1-65535");
	IS_ERROR("web:65536",
	    "\"web:65536\": port \"65536\" out of range 1-65535");
	IS_ERROR("web:99999999999999999999",
	    "\"web:99999999999999999999\": port \"99999999999999999999\" out "
	    "of range 1-65535");
	IS_ERROR("web:ssh", "\"web:ssh\": invalid port \"ssh\"");
	IS_ERROR("web:", "\"web:\": invalid port \"\"");
	IS_ERROR("^/nonexistent/hosts",
	    "\"^/nonexistent/hosts\": open: No such file or directory");
	IS_ERROR("^", "\"^\": empty file name");
	IS_ERROR("a b", "\"a b\": contains a space or control character");
	IS_ERROR("a\tb", "\"a\tb\": contains a space or control character");
	IS_ERROR("a\x01", "\"a\x01\": contains a space or control character");
	IS_ERROR("n[1-3]*", "\"n[1-3]*\": invalid character '*' in host name");
	IS_ERROR("web/1", "\"web/1\": invalid character '/' in host name");
	IS_ERROR("n[1-2]@x",
	    "\"n[1-2]@x\": invalid character '@' in host name");
	IS_ERROR("@web", "\"@web\": empty user name");
	IS_ERROR("alice@", "\"alice@\": empty host name");
	IS_ERROR(":22", "\":22\": empty host name");
	IS_ERROR("-oProxyCommand=x",
	    "\"-oProxyCommand=x\": host name starts with '-'");
	IS_ERROR("-u@web", "\"-u@web\": user name starts with '-'");
	IS_ERROR("n[1,,3]", "\"n[1,,3]\": empty range in brackets");
	IS_ERROR("n[1-]", "\"n[1-]\": not a numeric range \"1-\"");
	IS_ERROR("n[-1]", "\"n[-1]\": not a numeric range \"-1\"");
	IS_ERROR("n[1-2-3]", "\"n[1-2-3]\": not a numeric range \"1-2-3\"");
	IS_ERROR("n[05-01]", "\"n[05-01]\": reversed range 05-01");
	IS_ERROR("n[1234567890123456789]",
	    "\"n[1234567890123456789]\": number \"1234567890123456789\" has "
	    "more than 18 digits");
	IS_ERROR("n[1-1234567890123456789]",
	    "\"n[1-1234567890123456789]\": number \"1234567890123456789\" has "
	    "more than 18 digits");
	IS_ERROR("[::1]x", "\"[::1]x\": text after the IPv6 address");
	IS_ERROR("x[::1]", "\"x[::1]\": not a numeric range \"::1\"");
	IS_ERROR("ok,n[2-1]", "\"n[2-1]\": reversed range 2-1");
	IS_ERROR("n[1-3],m[", "\"m[\": unclosed '['");
}

static void
test_unchanged(void)
{
	struct hostlist *hl = hostlist_new();
	char *s;

	ok(hostlist_push(hl, "a,b[1-2]", &eb) == 0, "push a,b[1-2]");
	ok(hostlist_push(hl, "c,d[1-3", &eb) == -1,
	    "push with a bad item fails");
	ok(hostlist_push(hl, "c,n[1-5],m[1-99999]", &eb) == -1,
	    "push past the cap fails");
	ok(hostlist_push(hl, "c,^/nonexistent", &eb) == -1,
	    "push with a missing file fails");
	ok(hostlist_push_host(hl, "bad host", &eb) == -1, "bad literal fails");
	ok(hostmatch_exclude(hl, "a,n[3-1]", &eb) == -1, "bad exclude fails");
	ok(hostmatch_filter(hl, "b1,x[3-1]", &eb) == -1, "bad filter fails");
	ok(hostmatch_filter(hl, "b1,x[", &eb) == -1, "unclosed glob fails");
	is_str(eb.msg, "\"x[\": unclosed '['", "unclosed glob message");
	ok(hostmatch_filter(hl, " , ", &eb) == -1, "empty filter fails");
	is_str(eb.msg, "\" , \": empty pattern list",
	    "empty pattern list message");
	s = joined(hl);
	is_str(s, "a b1 b2", "list unchanged after every failure");
	free(s);
	ok(!hostlist_contains(hl, "c"), "no partial push of c");
	hostlist_free(hl);
}

static void
test_caps(void)
{
	struct hostlist *hl = hostlist_new();

	ok(hostlist_push(hl, "n[1-100000]", &eb) == 0, "100000 hosts fit");
	is_long(hostlist_count(hl), 100000, "count is 100000");
	is_str(hostlist_nth(hl, 99999), "n100000", "last host");
	ok(hostlist_push(hl, "n[1-100000]", &eb) == 0, "re-push of dups works");
	ok(hostlist_push(hl, "extra", &eb) == -1, "101st distinct host fails");
	is_str(eb.msg, "\"extra\": list would hold more than 100000 hosts",
	    "list cap message");
	ok(hostlist_push_host(hl, "extra", &eb) == -1,
	    "push_host past cap fails");
	is_long(hostlist_count(hl), 100000, "count unchanged");
	hostlist_free(hl);

	IS_ERROR("n[1-100001]",
	    "\"n[1-100001]\": expands to more than 100000 hosts");
	IS_ERROR("n[1-1000][1-1000]",
	    "\"n[1-1000][1-1000]\": expands to more than 100000 hosts");
	IS_ERROR("n[1-999999999999999999][1-999999999999999999]",
	    "\"n[1-999999999999999999][1-999999999999999999]\": expands to "
	    "more than 100000 hosts");
	IS_ERROR("a[1-10]b[1-10]c[1-10]d[1-10]e[1-10]f[1-10]",
	    "\"a[1-10]b[1-10]c[1-10]d[1-10]e[1-10]f[1-10]\": expands to more "
	    "than 100000 hosts");
	IS_ERROR("n[1-50000,1-50001]",
	    "\"n[1-50000,1-50001]\": expands to more than 100000 hosts");
	IS_ERROR("n[1-60000],m[1-60000]",
	    "\"n[1-60000],m[1-60000]\": expands to more than 100000 hosts");
	ok(strcmp(push_error("n[1-400]m[1-250]"), "(no error)") == 0,
	    "product of exactly 100000 is fine");
	ok(strstr(push_error("n[1-400]m[1-251]"), "more than 100000") != NULL,
	    "product of 100400 is not");
}

static void
test_files(void)
{
	static const char body[] =
	    "# cluster\n\n  web[1-3]  "
	    "\r\n\tdb1,db2\n#web9\nalice@[::1]:22\nweb2\n";
	char expr[4200], *path, *s;

	path = write_file(body, sizeof(body) - 1);
	snprintf(expr, sizeof(expr), "^%s", path);
	s = expand(expr);
	is_str(s, "web1 web2 web3 db1 db2 alice@[::1]:22", "^file expands");
	free(s);
	snprintf(expr, sizeof(expr), "x,^%s,web9", path);
	s = expand(expr);
	is_str(s, "x web1 web2 web3 db1 db2 alice@[::1]:22 web9",
	    "^file among other items");
	free(s);
	unlink(path);
	free(path);
}

static void
test_file_errors(void)
{
	char expr[4200], *path, *big, *s;
	size_t n = HOSTLIST_FILE_MAX + 1;

	path = write_file("a\nn[1-\nb\n", 9);
	snprintf(expr, sizeof(expr), "^%s", path);
	s = expand(expr);
	ok(strstr(s, ": line 2: \"n[1-\": unclosed '['") != NULL,
	    "file error names the line");
	free(s);
	unlink(path);
	free(path);

	path = write_file("a\n^/etc/hosts\n", 14);
	snprintf(expr, sizeof(expr), "^%s", path);
	s = expand(expr);
	ok(strstr(s,
	    "line 2: \"^/etc/hosts\": a host file cannot name another host "
	    "file") != NULL,
	    "no ^file inside a ^file");
	free(s);
	unlink(path);
	free(path);

	path = write_file("a\0b\n", 4);
	snprintf(expr, sizeof(expr), "^%s", path);
	s = expand(expr);
	ok(strstr(s, "contains a NUL byte") != NULL, "NUL byte rejected");
	free(s);
	unlink(path);
	free(path);

	big = malloc(n);
	memset(big, 'a', n);
	big[n - 1] = '\n';
	path = write_file(big, n);
	snprintf(expr, sizeof(expr), "^%s", path);
	s = expand(expr);
	ok(strstr(s, "larger than 1048576 bytes") != NULL, "file over 1 MiB");
	free(s);
	unlink(path);
	free(path);
	free(big);

	s = expand("^/");
	is_str(s, "ERR \"^/\": read: Is a directory", "directory as ^file");
	free(s);
	path = write_file("", 0);
	snprintf(expr, sizeof(expr), "^%s", path);
	s = expand(expr);
	is_str(s, "", "empty file is an empty list");
	free(s);
	unlink(path);
	free(path);
}

static void
test_dedup_api(void)
{
	struct hostlist *hl = hostlist_new();
	char *s;

	IS_EXPAND("b,a,b,c,a", "b a c");
	IS_EXPAND("n[3-5],n[1-4]", "n3 n4 n5 n1 n2");
	IS_EXPAND("n[1-2,1-3]", "n1 n2 n3");
	IS_EXPAND("n01,n1", "n01 n1");
	ok(hostlist_count(hl) == 0, "new list is empty");
	ok(hostlist_nth(hl, 0) == NULL, "nth on empty list");
	ok(hostlist_push(hl, "web[1-3]", &eb) == 0, "push");
	ok(hostlist_push(hl, "web2,web9", &eb) == 0, "push overlapping");
	ok(hostlist_push_host(hl, "web1", &eb) == 0, "push_host duplicate");
	ok(hostlist_push_host(hl, "alice@[::1]:22", &eb) == 0, "push_host v6");
	ok(hostlist_push_host(hl, "web[1-2]", &eb) == -1,
	    "push_host no ranges");
	is_str(eb.msg, "\"web[1-2]\": brackets in a literal host name",
	    "push_host bracket message");
	s = joined(hl);
	is_str(s, "web1 web2 web3 web9 alice@[::1]:22",
	    "order of first appearance");
	free(s);
	is_long(hostlist_count(hl), 5, "count");
	is_str(hostlist_nth(hl, 3), "web9", "nth");
	ok(hostlist_nth(hl, 5) == NULL, "nth out of range");
	ok(hostlist_contains(hl, "web3"), "contains web3");
	ok(!hostlist_contains(hl, "web"), "not contains web");
	ok(!hostlist_contains(hl, "web10"), "not contains web10");
	ok(hostlist_push(hl, "x", NULL) == 0, "NULL errbuf accepted");
	ok(hostlist_push(hl, "x[", NULL) == -1, "NULL errbuf on error");
	hostlist_free(hl);
	hostlist_free(NULL);
	ok(1, "hostlist_free(NULL)");
}

static void
test_hostspec(void)
{
	struct hostspec hs;

	ok(hostspec_parse("alice@[::1]:2222", &hs, &eb) == 0, "parse v6 spec");
	is_str(hs.user, "alice", "user");
	is_str(hs.host, "::1", "v6 host without brackets");
	is_long(hs.port, 2222, "port");
	is_long(hs.ipv6, 1, "ipv6 flag");
	ok(hostspec_parse("web1", &hs, &eb) == 0, "parse plain host");
	ok(hs.user[0] == '\0' && hs.port == 0 && hs.ipv6 == 0, "no user/port");
	is_str(hs.host, "web1", "host");
	ok(hostspec_parse("u@h:22", &hs, &eb) == 0, "parse u@h:22");
	ok(strcmp(hs.user, "u") == 0 && strcmp(hs.host, "h") == 0 &&
	    hs.port == 22, "u h 22");
	ok(hostspec_parse("a@b@h", &hs, &eb) == 0, "user with @");
	is_str(hs.user, "a@b", "user is up to the last @");
	ok(hostspec_parse("[fe80::1]", &hs, &eb) == 0, "bare bracketed v6");
	is_str(hs.host, "fe80::1", "v6 host");
	ok(hostspec_parse("::1", &hs, &eb) == -1, "unbracketed v6 fails");
	is_str(eb.msg, "\"::1\": IPv6 address must be in brackets",
	    "v6 message");
	ok(hostspec_parse("h:0", &hs, &eb) == -1, "port 0 fails");
	is_str(eb.msg, "\"h:0\": port \"0\" out of range 1-65535",
	    "port message");
	ok(hostspec_parse("h:65535", &hs, &eb) == 0 && hs.port == 65535,
	    "port 65535");
	ok(hostspec_parse("web[1-2]", &hs, &eb) == -1, "ranges rejected");
	ok(hostspec_parse("", &hs, &eb) == -1, "empty spec rejected");
	is_str(eb.msg, "\"\": empty host name", "empty message");
	ok(hs.host[0] == '\0' && hs.user[0] == '\0', "hs cleared on error");
	ok(hostmatch_is_expression("web[1-3]"), "web[1-3] is an expression");
	ok(hostmatch_is_expression("web[01,5]x"),
	    "web[01,5]x is an expression");
	ok(hostmatch_is_expression("web[1-3"),
	    "unclosed range is an expression");
	ok(!hostmatch_is_expression("web[abc]"), "web[abc] is a glob");
	ok(!hostmatch_is_expression("web[a-z]*"), "web[a-z]* is a glob");
	ok(!hostmatch_is_expression("web[!1]"), "web[!1] is a glob");
	ok(!hostmatch_is_expression("web1"), "web1 is a name");
	ok(!hostmatch_is_expression("[::1]"), "[::1] is not an expression");
}

static void
test_match(void)
{
	IS_AFTER("web[1-12]", "web1", 0,
	    "web2 web3 web4 web5 web6 web7 web8 web9 web10 web11 web12");
	IS_AFTER("web[1-12]", "web1", 1, "web1");
	IS_AFTER("web[1-12]", "web1*", 1, "web1 web10 web11 web12");
	IS_AFTER("web[1-12]", "web1?", 0,
	    "web1 web2 web3 web4 web5 web6 web7 web8 web9");
	IS_AFTER("web[1-5]", "web[2-4]", 0, "web1 web5");
	IS_AFTER("web[1-5]", "web[2-4]", 1, "web2 web3 web4");
	IS_AFTER("web[1-30]", "web[24]", 1, "web24");
	IS_AFTER("web[1-5]", "web[2-4x]", 1, "web2 web3 web4");
	IS_AFTER("web[1-5]", "web[a-z]", 1, "");
	IS_AFTER("web[1-5]", "web[!1]", 0, "web1");
	IS_AFTER("web[1-5]", "web2,web4", 0, "web1 web3 web5");
	IS_AFTER("web[1-5]", "web[1-2],web5", 0, "web3 web4");
	IS_AFTER("web[1-5]", "nomatch", 1, "");
	IS_AFTER("alice@web1:22,bob@web2,web3", "web1", 0, "bob@web2 web3");
	IS_AFTER("alice@web1:22,bob@web2,web3", "web[1-2]", 0, "web3");
	IS_AFTER("alice@web1:22,bob@web2,web3", "alice@web1:22", 0,
	    "bob@web2 web3");
	IS_AFTER("alice@web1:22,bob@web2,web3", "alice@*", 1, "alice@web1:22");
	IS_AFTER("alice@web1:22,bob@web2,web3", "*:22", 1, "alice@web1:22");
	IS_AFTER("alice@web1:22,bob@web2,web3", "bob@web[1-3]", 1, "bob@web2");
	IS_AFTER("alice@web1:22,bob@web2,web3", "web*", 1,
	    "alice@web1:22 bob@web2 web3");
	IS_AFTER("[::1]:22,[::2],web", "::1", 0, "[::2] web");
	IS_AFTER("[::1]:22,[::2],web", "[::2]", 0, "[::1]:22 web");
	IS_AFTER("[::1]:22,[::2],web", "[::1]:22", 1, "[::1]:22");
	IS_AFTER("web[1-3]", "web[3-1]", 0,
	    "ERR \"web[3-1]\": reversed range 3-1");
	IS_AFTER("web[1-3]", "a b", 0,
	    "ERR \"a b\": contains a space or control character");
	IS_AFTER("web[1-3]", "", 1, "ERR \"\": empty pattern list");
	IS_AFTER("web[1-10]", "web[2-9]", 0, "web1 web10");
	IS_AFTER("n[01-10]", "n[01-03]", 0, "n04 n05 n06 n07 n08 n09 n10");
	IS_AFTER("n[01-10]", "n[1-3]", 0,
	    "n01 n02 n03 n04 n05 n06 n07 n08 n09 n10");
}

static void
test_match_file(void)
{
	char expr[4200], *path, *s;

	path = write_file("web2\nweb[4-5]\n", 14);
	snprintf(expr, sizeof(expr), "^%s", path);
	s = after("web[1-6]", expr, 0);
	is_str(s, "web1 web3 web6", "exclude ^file");
	free(s);
	s = after("web[1-6]", expr, 1);
	is_str(s, "web2 web4 web5", "filter ^file");
	free(s);
	unlink(path);
	free(path);
}

static void
test_compress(void)
{
	IS_COMPRESS("node[1-5]", "node[1-5]");
	IS_COMPRESS("web1", "web1");
	IS_COMPRESS("web1,web3", "web[1,3]");
	IS_COMPRESS("web1,web2", "web[1-2]");
	IS_COMPRESS("n[1-3],n[7],n[9-10]", "n[1-3,7,9-10]");
	IS_COMPRESS("n5,n1,n3,n2", "n[1-3,5]");
	IS_COMPRESS("node[01-10]", "node[01-10]");
	IS_COMPRESS("node[001-003]", "node[001-003]");
	IS_COMPRESS("n01,n1", "n01,n1");
	IS_COMPRESS("n1,n01", "n1,n01");
	IS_COMPRESS("n10,n01", "n[01,10]");
	IS_COMPRESS("web[1-3],db[1-2],web5", "web[1-3,5],db[1-2]");
	IS_COMPRESS("alice@web[1-3]:22,web[1-3],bob@web2",
	    "alice@web[1-3]:22,web[1-3],bob@web2");
	IS_COMPRESS("web1:22,web2:2222", "web1:22,web2:2222");
	IS_COMPRESS("rack[1-2]-n[1-2]", "rack1-n[1-2],rack2-n[1-2]");
	IS_COMPRESS("[::1],[::2]:22,x", "[::1],[::2]:22,x");
	IS_COMPRESS("a,b,c", "a,b,c");
	IS_COMPRESS("n1a,n2a,n3b", "n[1-2]a,n3b");
	IS_COMPRESS("[1-3]", "[1-3]");
	IS_COMPRESS("10.0.0.[1-4]", "10.0.0.[1-4]");
	IS_COMPRESS("n0000000000000000001,n0000000000000000002",
	    "n0000000000000000001,n0000000000000000002");
	IS_COMPRESS("", "");
	IS_COMPRESS("n[1-100000]", "n[1-100000]");
}

static void
test_round_trip(void)
{
	static const char *const exprs[] = {
		"node[1-5]", "node[01-10]", "n[1-010]", "node[1,3,5-7]",
		"rack[1-2]-node[1-3]", "alice@web[1-2]:2222", "[::1]:2222",
		"alice@[fe80::1]:22,[::1]", "n[5-100],n[01-10]",
		"a1b2,a1b3,a2b2", "web[1-3],db[1-2],web5,web[7-9]",
		"n[0-20],n[000-020]", "x[1-3]y[4-6]z", "10.0.[0-3].[1-9]",
		"h[9-12],h[099-101]", "u@n[1-3]:22,u@n[1-3]:23,v@n[1-3]:22",
		"a,b,c,a1,b2", "n[1-1000]", "n[1-3,5,8-9,100-102]",
		"n1,n01,n001,n0001", "n[1-12].d1,n[1-12].d2",
	};
	size_t i;
	char *c;
	int all = 1;

	for (i = 0; i < sizeof(exprs) / sizeof(exprs[0]); i++) {
		c = compress(exprs[i]);
		if (!ok(c != NULL && same_set(exprs[i], c), exprs[i])) {
			printf("#   compressed: %s\n", c ? c : "(null)");
			all = 0;
		}
		free(c);
	}
	ok(all, "compress then expand gives the same set");
}

static void
test_many(void)
{
	struct hostlist *hl = hostlist_new(), *big = hostlist_new();
	char host[64], *c;
	size_t i;
	int good = 1;

	for (i = 0; i < 10000 && good; i++) {
		snprintf(host, sizeof(host), "h%zu.example", i * 7919 % 10007);
		good = hostlist_push_host(hl, host, &eb) == 0;
	}
	ok(good, "10000 push_host calls");
	is_long(hostlist_count(hl), 10000, "10000 distinct hosts");
	ok(hostlist_push(hl, "h[0-10006].example", &eb) == 0,
	    "push a range over them");
	is_long(hostlist_count(hl), 10007,
	    "only the 7 missing ones were added");
	c = hostmatch_compress(hl);
	is_str(c, "h[0-10006].example", "compress 10007 shuffled hosts");
	free(c);
	ok(hostmatch_exclude(hl, "h[5000-10006].example", &eb) == 0,
	    "exclude half");
	is_long(hostlist_count(hl), 5000, "5000 left");
	ok(hostlist_contains(hl, "h4999.example") &&
	    !hostlist_contains(hl, "h5000.example"), "lookups after exclude");
	ok(hostlist_push(big, "n[1-100],m[1-1000]", &eb) == 0 &&
	    hostmatch_filter(big, "m*", &eb) == 0 &&
	    hostlist_count(big) == 1000, "filter 1100 to 1000");
	hostlist_free(hl);
	hostlist_free(big);
}

int
main(void)
{
	test_grammar();
	test_padding_products();
	test_user_port_ipv6();
	test_errors();
	test_unchanged();
	test_caps();
	test_files();
	test_file_errors();
	test_dedup_api();
	test_hostspec();
	test_match();
	test_match_file();
	test_compress();
	test_round_trip();
	test_many();
	return tap_done();
}
