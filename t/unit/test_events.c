/*
 * Unit tests of lib/events: one compact line per event written through a
 * pipe, the fd -1 no-op, data as a string or as base64, and the line
 * reader: split and batched feeds, dropped lines, the overlong cap and a
 * partial last line.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>
#include <openssl/evp.h>

#include "tap.h"
#include "events.h"

/* What the callback saw: every event dumped with sorted keys, "|"-joined. */
struct seen {
	char	text[4096];
	int	n;
};

static void	 collect(json_t *, void *);
static char	*drain(int);
static void	 put(int, const char *);
static char	*long_line(size_t, int);
static int	 b64_back(const char *, unsigned char *, size_t);
static void	 test_write(void);
static void	 test_pack(void);
static void	 test_write_errors(void);
static void	 test_data_text(void);
static void	 test_data_binary(const char *, const void *, size_t,
		    const char *);
static void	 test_data(void);
static void	 test_feed_split(void);
static void	 test_feed_dropped(void);
static void	 test_feed_overlong(void);
static void	 test_feed_boundary(void);
static void	 test_read(void);

static void
collect(json_t *ev, void *arg)
{
	struct seen *s = arg;
	char *d = json_dumps(ev, JSON_COMPACT | JSON_SORT_KEYS);
	size_t len = strlen(s->text);

	snprintf(s->text + len, sizeof(s->text) - len,
	    "%s%s", s->n > 0 ? "|" : "",
	    d != NULL ? d : "(null)");
	s->n++;
	free(d);
}

/* Everything readable from the non-blocking fd now (malloc'd). */
static char *
drain(int fd)
{
	size_t cap = 1 << 16, n = 0;
	char *buf = malloc(cap + 1);
	ssize_t r;

	while (n < cap && (r = read(fd, buf + n, cap - n)) > 0) {
		n += (size_t)r;
	}
	buf[n] = '\0';
	return buf;
}

static void
put(int fd, const char *s)
{
	if (write(fd, s, strlen(s)) != (ssize_t)strlen(s)) {
		printf("# short write\n");
	}
}

/* {"a":"xxx..."} of exactly len bytes, with a newline when nl (malloc'd). */
static char *
long_line(size_t len, int nl)
{
	char *s = malloc(len + 2);

	memset(s, 'x', len);
	memcpy(s, "{\"a\":\"", 6);
	memcpy(s + len - 2, "\"}", 2);
	s[len] = nl ? '\n' : '\0';
	s[len + 1] = '\0';
	return s;
}

/* Decode base64 b64 into out; the byte count, or -1. */
static int
b64_back(const char *b64, unsigned char *out, size_t outmax)
{
	size_t len = strlen(b64);
	unsigned char *tmp = malloc(len + 3);
	int n, pad = 0;

	n = EVP_DecodeBlock(tmp, (const unsigned char *)b64, (int)len);
	if (len > 0 && b64[len - 1] == '=') {
		pad++;
	}
	if (len > 1 && b64[len - 2] == '=') {
		pad++;
	}
	if (n >= 0) {
		n -= pad;
	}
	if (n < 0 || (size_t)n > outmax) {
		free(tmp);
		return -1;
	}
	memcpy(out, tmp, (size_t)n);
	free(tmp);
	return n;
}

static void
test_write(void)
{
	json_t *obj = json_pack("{s:s, s:i, s:{s:[i,i]}, s:s}", "event", "out",
	    "node", 3, "inner", "list", 1, 2, "text", "two\nlines");
	int p[2];
	char *got;

	if (pipe(p) != 0 || obj == NULL) {
		ok(0, "write: setup");
		return;
	}
	fcntl(p[0], F_SETFL, O_NONBLOCK);
	is_long(events_write(p[1], obj), 0, "write: returns 0");
	got = drain(p[0]);
	is_str(got, "{\"event\":\"out\",\"node\":3,\"inner\":{\"list\":[1,2]},"
	    "\"text\":\"two\\nlines\"}\n",
	    "write: one compact line, in insertion order");
	ok(strchr(got, '\n') == got + strlen(got) - 1,
	    "write: exactly one newline, at the end");
	free(got);
	is_long(events_write(p[1], obj), 0, "write: twice");
	is_long(events_write(p[1], obj), 0, "write: twice (2)");
	got = drain(p[0]);
	ok(strlen(got) > 0 && strstr(got, "}\n{") != NULL &&
	    strchr(strstr(got, "}\n{") + 2, '\n') == got + strlen(got) - 1,
	    "write: two lines back to back");
	free(got);
	is_long(obj->refcount, 1, "write: obj is borrowed");
	json_decref(obj);
	close(p[0]);
	close(p[1]);
}

static void
test_pack(void)
{
	int p[2];
	char *got;

	if (pipe(p) != 0) {
		ok(0, "pack: pipe");
		return;
	}
	fcntl(p[0], F_SETFL, O_NONBLOCK);
	is_long(events_pack(p[1], "{s:s, s:i, s:b}", "event", "exit", "code", 3,
	    "ok", 0), 0, "pack: returns 0");
	got = drain(p[0]);
	is_str(got, "{\"event\":\"exit\",\"code\":3,\"ok\":false}\n",
	    "pack: one line");
	free(got);
	is_long(events_pack(-1, "{s:s}", "event", "x"), 0,
	    "pack: fd -1 is a no-op");
	is_long(events_pack(-5, "{s:s", "bad format"), 0,
	    "pack: fd < 0 ignores the format");
	errno = 0;
	is_long(events_pack(p[1], "{s:x}", "k"), -1, "pack: bad format fails");
	is_long(errno, EINVAL, "pack: bad format sets EINVAL");
	is_long(events_pack(p[1], "{s:s}", "k", (char *)NULL), -1,
	    "pack: NULL string fails");
	got = drain(p[0]);
	is_str(got, "", "pack: nothing written by the failures or by fd -1");
	free(got);
	close(p[0]);
	close(p[1]);
}

static void
test_write_errors(void)
{
	json_t *obj = json_pack("{s:i}", "a", 1);
	void (*old)(int) = signal(SIGPIPE, SIG_IGN);
	int p[2];

	if (pipe(p) != 0) {
		ok(0, "write errors: pipe");
		return;
	}
	close(p[0]);
	errno = 0;
	is_long(events_write(p[1], obj), -1, "write errors: closed pipe");
	is_long(errno, EPIPE, "write errors: EPIPE");
	close(p[1]);
	is_long(events_write(p[1], obj), -1, "write errors: closed fd");
	is_long(events_pack(p[1], "{s:i}", "a", 1), -1,
	    "write errors: pack to a closed fd");
	signal(SIGPIPE, old);
	json_decref(obj);
}

static void
test_data_text(void)
{
	json_t *o = json_object();
	char *d;

	is_long(events_set_data(o, "data", "hello", 5), 0, "data: ASCII");
	is_long(events_set_data(o, "utf8", "h\xc3\xa9\xe2\x82\xac!", 7), 0,
	    "data: UTF-8");
	is_long(events_set_data(o, "empty", "", 0), 0, "data: empty");
	is_long(events_set_data(o, "part", "abcdef", 3), 0,
	    "data: len bounds the input");
	d = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
	is_str(d, "{\"data\":\"hello\",\"empty\":\"\",\"part\":\"abc\","
	    "\"utf8\":\"h\xc3\xa9\xe2\x82\xac!\"}",
	    "data: strings, no _base64 keys");
	free(d);
	json_decref(o);
}

/* Binary data must come back byte-exact from key_base64 == want. */
static void
test_data_binary(const char *what, const void *data, size_t len,
    const char *want)
{
	json_t *o = json_object();
	unsigned char back[1024];
	const char *b64;
	char msg[128];
	int n;

	snprintf(msg, sizeof(msg), "data: %s goes to data_base64", what);
	ok(events_set_data(o, "data", data, len) == 0 &&
	    json_object_get(o, "data") == NULL &&
	    json_is_string(json_object_get(o, "data_base64")), msg);
	b64 = json_string_value(json_object_get(o, "data_base64"));
	if (want != NULL) {
		snprintf(msg, sizeof(msg), "data: %s base64 text", what);
		is_str(b64, want, msg);
	}
	n = b64 != NULL ? b64_back(b64, back, sizeof(back)) : -1;
	snprintf(msg, sizeof(msg), "data: %s decodes back byte-exact", what);
	ok(n == (int)len && memcmp(back, data, len) == 0, msg);
	json_decref(o);
}

static void
test_data(void)
{
	unsigned char all[256];
	json_t *o = json_object();
	int i;

	for (i = 0; i < 256; i++) {
		all[i] = (unsigned char)i;
	}
	test_data_text();
	test_data_binary("invalid UTF-8", "\xff\xfe", 2, "//4=");
	test_data_binary("embedded NUL", "a\0b", 3, "YQBi");
	test_data_binary("trailing NUL", "ab\0", 3, "YWIA");
	test_data_binary("lone continuation", "ok\x80", 3, "b2uA");
	test_data_binary("overlong UTF-8", "\xc0\xaf", 2, "wK8=");
	test_data_binary("all bytes", all, sizeof(all), NULL);
	test_data_binary("one byte", "\xff", 1, "/w==");
	events_set_data(o, "stdout", "\x00", 1);
	ok(json_object_get(o, "stdout_base64") != NULL,
	    "data: key_base64 follows the key");
	json_decref(o);
}

static void
test_feed_split(void)
{
	struct events_reader r;
	struct seen s;
	const char *three = "{\"a\":1}\n{\"b\":2}\n{\"c\":[3]}\n";
	size_t i;

	events_reader_init(&r);
	memset(&s, 0, sizeof(s));
	events_feed(&r, "{\"a\"", 4, collect, &s);
	is_long(s.n, 0, "feed: half a line delivers nothing");
	events_feed(&r, ":1}\n", 4, collect, &s);
	is_str(s.text, "{\"a\":1}", "feed: line split across two feeds");
	memset(&s, 0, sizeof(s));
	events_feed(&r, three, strlen(three), collect, &s);
	is_str(s.text, "{\"a\":1}|{\"b\":2}|{\"c\":[3]}",
	    "feed: three lines in one feed");
	memset(&s, 0, sizeof(s));
	for (i = 0; three[i] != '\0'; i++) {
		events_feed(&r, three + i, 1, collect, &s);
	}
	is_str(s.text, "{\"a\":1}|{\"b\":2}|{\"c\":[3]}",
	    "feed: one byte at a time");
	memset(&s, 0, sizeof(s));
	events_feed(&r, "{\"z\":0}", 7, collect, &s);
	events_feed(&r, "", 0, collect, &s);
	is_long(s.n, 0, "feed: last line without newline is held");
	events_feed(&r, "\n{\"y\":", 6, collect, &s);
	is_str(s.text, "{\"z\":0}", "feed: delivered when its newline arrives");
	events_feed(&r, "1}\r\n", 4, collect, &s);
	is_str(s.text, "{\"z\":0}|{\"y\":1}", "feed: CRLF line");
	is_long(r.dropped, 0, "feed: nothing dropped");
}

static void
test_feed_dropped(void)
{
	struct events_reader r;
	struct seen s;
	const char *mixed = "[1,2]\n42\n\"str\"\nnull\nnot json\n{\"a\":1\n"
	    "{\"ok\":1}\n{} {}\n{\"d\":1,\"d\":2}\n{\"ok\":2}\n";

	events_reader_init(&r);
	memset(&s, 0, sizeof(s));
	events_feed(&r, mixed, strlen(mixed), collect, &s);
	is_str(s.text, "{\"ok\":1}|{\"ok\":2}",
	    "dropped: only objects delivered");
	is_long(r.dropped, 8, "dropped: non-objects and garbage counted");
	events_feed(&r, "{\"a\":\"\0\"}\n", 10, collect, &s);
	is_long(s.n, 2, "dropped: NUL inside a line");
	is_long(r.dropped, 9, "dropped: NUL line counted");
	events_feed(&r, "\n\n", 2, collect, &s);
	is_long(s.n, 2, "dropped: blank lines deliver nothing");
}

static void
test_feed_overlong(void)
{
	struct events_reader r;
	struct seen s;
	char *big = long_line(EVENTS_LINE_MAX + 1, 1);
	size_t i, len = strlen(big);

	events_reader_init(&r);
	memset(&s, 0, sizeof(s));
	events_feed(&r, big, len, collect, &s);
	events_feed(&r, "{\"next\":1}\n", 11, collect, &s);
	is_str(s.text, "{\"next\":1}",
	    "overlong: dropped whole, next line parsed");
	is_long(r.dropped, 1, "overlong: counted once");
	memset(&s, 0, sizeof(s));
	for (i = 0; i < len; i += 1000) {
		events_feed(&r, big + i, len - i < 1000 ? len - i : 1000,
		    collect, &s);
	}
	events_feed(&r, "{\"next\":2}\n", 11, collect, &s);
	is_str(s.text, "{\"next\":2}", "overlong: in 1000-byte feeds");
	is_long(r.dropped, 2, "overlong: counted once per line");
	memset(&s, 0, sizeof(s));
	big[len - 1] = '\0';
	events_feed(&r, big, len - 1, collect, &s);
	events_feed(&r, big, len - 1, collect, &s);
	events_feed(&r, "\n{\"next\":3}\n", 12, collect, &s);
	is_str(s.text, "{\"next\":3}",
	    "overlong: no half line parsed after the cap");
	is_long(r.dropped, 3, "overlong: a double-length line is one drop");
	free(big);
}

static void
test_feed_boundary(void)
{
	struct events_reader r;
	struct seen s;
	char *max = long_line(EVENTS_LINE_MAX, 0);

	events_reader_init(&r);
	memset(&s, 0, sizeof(s));
	events_feed(&r, max, EVENTS_LINE_MAX, collect, &s);
	events_feed(&r, "\n", 1, collect, &s);
	is_long(s.n, 1,
	    "boundary: a line of exactly EVENTS_LINE_MAX bytes is kept");
	is_long(r.dropped, 0, "boundary: not counted");
	memset(&s, 0, sizeof(s));
	events_feed(&r, max, EVENTS_LINE_MAX, collect, &s);
	events_feed(&r, " \n{\"after\":1}\n", 14, collect, &s);
	is_str(s.text, "{\"after\":1}", "boundary: one byte more is dropped");
	is_long(r.dropped, 1, "boundary: and counted");
	free(max);
}

static void
test_read(void)
{
	struct events_reader r;
	struct seen s;
	int p[2];

	events_reader_init(&r);
	memset(&s, 0, sizeof(s));
	if (pipe(p) != 0) {
		ok(0, "read: pipe");
		return;
	}
	fcntl(p[0], F_SETFL, O_NONBLOCK);
	is_long(events_read(&r, p[0], collect, &s), 0,
	    "read: empty non-blocking pipe: 0");
	events_pack(p[1], "{s:i}", "n", 1);
	events_pack(p[1], "{s:i}", "n", 2);
	put(p[1], "{\"n\":");
	is_long(events_read(&r, p[0], collect, &s), 0, "read: data: 0");
	is_str(s.text, "{\"n\":1}|{\"n\":2}", "read: both lines delivered");
	put(p[1], "3}");
	close(p[1]);
	is_long(events_read(&r, p[0], collect, &s), 0, "read: the rest: 0");
	is_long(events_read(&r, p[0], collect, &s), 1, "read: end of file: 1");
	is_long(s.n, 2, "read: unterminated last line not delivered");
	close(p[0]);
	is_long(events_read(&r, p[0], collect, &s), -1, "read: closed fd: -1");
}

int
main(void)
{
	test_write();
	test_pack();
	test_write_errors();
	test_data();
	test_feed_split();
	test_feed_dropped();
	test_feed_overlong();
	test_feed_boundary();
	test_read();
	return tap_done();
}
