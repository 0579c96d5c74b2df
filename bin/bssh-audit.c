/*
 * bssh-audit: the audit sink.  Reads audit events, one JSON object per
 * line, on stdin, checks each line, batches them and appends them as
 * received to a file that is rotated by size and gzipped (lib/auditfile).
 * Flushes when a batch is full, when the flush interval has passed since
 * the first event of the batch, at end of input and on SIGTERM/SIGINT;
 * SIGHUP flushes and reopens the file.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "auditfile.h"
#include "err.h"
#include "linebuf.h"
#include "selfpipe.h"
#include "spawn.h"
#include "timeutil.h"
#include "xalloc.h"

#define EXIT_USAGE	100
#define EXIT_TEMP	111
#define LINE_MAX_BYTES	4096		/* one event, LF excluded */
#define DRAIN_MAX	(1024 * 1024)	/* read after SIGTERM at most */
#define BATCH_MAX	10000
#define FLUSH_MAX_MS	86400000L

ERR_PROGRAM("bssh-audit");

/* The signal pipe: the handler writes, the poll loop reads. */
static int sigpipe_fds[2] = { -1, -1 };

struct opts {
	const char	*file;
	uint64_t	 max_size;
	long		 backups;
	int		 gzip;
	long		 flush_ms;
	long		 batch;
};

struct sink {
	struct auditfile	 af;
	struct linebuf		*lb;
	char			*buf;		/* the batch: whole lines */
	size_t			 len;
	long			 nbatch;	/* events in buf */
	long			 batch_max;
	long			 flush_ms;
	int64_t			 deadline;	/* flush by then; 0: empty */
	unsigned long long	 written;
	unsigned long long	 dropped;
};

static const char usage_line[] = "bssh-audit --file PATH [--max-size BYTES] "
    "[--backups N] [--no-gzip] [--flush-interval MS] [--batch N] [-v]";

static void	help(void) __attribute__((noreturn));
static void	bad_option(int, char **, int) __attribute__((noreturn));
static void	bad_value(const char *, const struct errbuf *)
		    __attribute__((noreturn));

static void
on_signal(int sig)
{
	selfpipe_notify(sigpipe_fds[1], sig);
}

static void
help(void)
{
	printf("usage: %s\n\n"
	    "Read audit events (one JSON object per line, at most %d bytes) on "
	    "stdin and\nappend them, as received, to PATH in batches; rotate "
	    "PATH by size into\nPATH.1.gz .. PATH.N.gz.  \"--file -\" writes to "
	    "stdout.\n\n"
	    "  --file PATH            the output file (mode 0600), or - for stdout\n"
	    "  --max-size BYTES       rotate before PATH passes BYTES (k, M, G; "
	    "default 100M;\n"
	    "                         0: never)\n"
	    "  --backups N            keep N rotated files (default 5)\n"
	    "  --no-gzip              keep rotated files uncompressed\n"
	    "  --flush-interval MS    write events at most MS ms after they "
	    "arrive (default 5000)\n"
	    "  --batch N              write every N events (default 100)\n"
	    "  -v, --verbose          print the counts at exit\n"
	    "  -h, --help             show this help\n"
	    "  -V, --version          show the version\n",
	    usage_line, LINE_MAX_BYTES);
	if (fflush(stdout) == EOF || ferror(stdout))
		err_die_sys(EXIT_TEMP, "write stdout");
	exit(0);
}

static void
bad_option(int c, char **argv, int ind)
{
	const char *arg = ind > 0 ? argv[ind - 1] : "?";

	if (c == ':')
		err_say("option %s needs an argument", arg);
	else if (optopt != 0)
		err_say("unknown option -%c", optopt);
	else
		err_say("unknown option %s", arg);
	err_usage(EXIT_USAGE, usage_line);
}

static void
bad_value(const char *opt, const struct errbuf *eb)
{
	err_say("%s: %s", opt, eb->msg);
	err_usage(EXIT_USAGE, usage_line);
}

static void
parse_args(int argc, char **argv, struct opts *o)
{
	static const struct option longopts[] = {
		{ "file",		required_argument,	NULL, 'f' },
		{ "max-size",		required_argument,	NULL, 's' },
		{ "backups",		required_argument,	NULL, 'b' },
		{ "no-gzip",		no_argument,		NULL, 'z' },
		{ "flush-interval",	required_argument,	NULL, 'i' },
		{ "batch",		required_argument,	NULL, 'n' },
		{ "verbose",		no_argument,		NULL, 'v' },
		{ "help",		no_argument,		NULL, 'h' },
		{ "version",		no_argument,		NULL, 'V' },
		{ NULL,			0,			NULL, 0 }
	};
	struct errbuf eb;
	int c;

	*o = (struct opts){ NULL, 100 * 1024 * 1024, 5, 1, 5000, 100 };
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":hvV", longopts, NULL)) != -1) {
		switch (c) {
		case 'f':
			o->file = optarg;
			break;
		case 's':
			if (auditfile_parse_size(optarg, &o->max_size, &eb) != 0)
				bad_value("--max-size", &eb);
			break;
		case 'b':
			if (time_parse_int(optarg, 0, AUDITFILE_BACKUPS_MAX,
			    &o->backups, &eb) != 0)
				bad_value("--backups", &eb);
			break;
		case 'z':
			o->gzip = 0;
			break;
		case 'i':
			if (time_parse_int(optarg, 0, FLUSH_MAX_MS, &o->flush_ms,
			    &eb) != 0)
				bad_value("--flush-interval", &eb);
			break;
		case 'n':
			if (time_parse_int(optarg, 1, BATCH_MAX, &o->batch, &eb) != 0)
				bad_value("--batch", &eb);
			break;
		case 'v':
			err_state.verbosity++;
			break;
		case 'h':
			help();
		case 'V':
			printf("bssh-audit %s\n", PACKAGE_VERSION);
			if (fflush(stdout) == EOF || ferror(stdout))
				err_die_sys(EXIT_TEMP, "write stdout");
			exit(0);
		default:
			bad_option(c, argv, optind);
		}
	}
	if (optind < argc) {
		err_say("unexpected argument %s", argv[optind]);
		err_usage(EXIT_USAGE, usage_line);
	}
	if (o->file == NULL || *o->file == '\0') {
		err_say("--file PATH is required");
		err_usage(EXIT_USAGE, usage_line);
	}
}

/* Write the batch.  Only a failed write ends the program. */
static void
flush(struct sink *s)
{
	struct errbuf eb;
	int r;

	if (s->len == 0)
		return;
	r = auditfile_write(&s->af, s->buf, s->len, &eb);
	if (r < 0)
		err_die(EXIT_TEMP, "%s", eb.msg);
	if (r > 0)
		err_warn("%s (kept uncompressed)", eb.msg);
	s->written += (unsigned long long)s->nbatch;
	s->len = 0;
	s->nbatch = 0;
	s->deadline = 0;
}

static const char *
json_kind(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_ARRAY:
		return "an array";
	case JSON_STRING:
		return "a string";
	case JSON_INTEGER:
	case JSON_REAL:
		return "a number";
	default:
		return "true, false or null";
	}
}

static int
is_blank(const char *line, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		if (strchr(" \t\r", line[i]) == NULL || line[i] == '\0')
			return 0;
	}
	return 1;
}

/* Check one line and add it to the batch, or drop it with a warning. */
static void
take_line(struct sink *s, const char *line, size_t len, unsigned long lineno)
{
	json_error_t jerr;
	json_t *v;

	if (is_blank(line, len))
		return;
	v = json_loadb(line, len, JSON_DECODE_ANY | JSON_DECODE_INT_AS_REAL, &jerr);
	if (v == NULL || !json_is_object(v)) {
		err_say("line %lu: not a JSON object: %s", lineno,
		    v == NULL ? jerr.text : json_kind(v));
		json_decref(v);
		s->dropped++;
		return;
	}
	json_decref(v);
	memcpy(s->buf + s->len, line, len);
	s->len += len;
	s->buf[s->len++] = '\n';
	if (s->nbatch++ == 0)
		s->deadline = time_now_ms() + s->flush_ms;
	if (s->nbatch >= s->batch_max)
		flush(s);
}

/* Handle every whole line buffered; 1 once the input has ended. */
static int
pump(struct sink *s)
{
	unsigned long lineno;
	const char *line;
	size_t len;

	for (;;) {
		switch (linebuf_next(s->lb, &line, &len, &lineno)) {
		case LINEBUF_LINE:
			take_line(s, line, len, lineno);
			break;
		case LINEBUF_TOOLONG:
			err_say("line %lu: too long (over %d bytes), dropped",
			    lineno, LINE_MAX_BYTES);
			s->dropped++;
			break;
		case LINEBUF_AGAIN:
			return 0;
		case LINEBUF_END:
			return 1;
		}
	}
}

/*
 * One read of stdin and its lines; 1 at end of input.  *got is the number
 * of bytes read (0 when nothing was there).
 */
static int
read_input(struct sink *s, long *got)
{
	*got = linebuf_fill(s->lb, STDIN_FILENO);
	if (*got < 0) {
		*got = 0;
		if (errno == EAGAIN || errno == EWOULDBLOCK)
			return 0;
		flush(s);
		err_die_sys(EXIT_TEMP, "read stdin");
	}
	return pump(s);
}

/*
 * Asked to stop: take what is already waiting on stdin (bounded, never
 * waiting for more), then the partial last line, if any, as a line.
 */
static void
drain(struct sink *s)
{
	struct pollfd p = { STDIN_FILENO, POLLIN, 0 };
	long total = 0, got = 1;
	int ended = 0;

	while (!ended && got > 0 && total < DRAIN_MAX && poll(&p, 1, 0) == 1) {
		ended = read_input(s, &got);
		total += got;
	}
	linebuf_finish(s->lb);
	(void)pump(s);
}

static void
reopen(struct sink *s)
{
	struct errbuf eb;

	flush(s);
	if (auditfile_reopen(&s->af, &eb) != 0)
		err_die(EXIT_TEMP, "%s", eb.msg);
}

/* The signals that arrived: 1 when one of them asks us to stop. */
static int
read_signals(struct sink *s)
{
	unsigned char sigs[64];
	ssize_t n, i;
	int stop = 0;

	while ((n = read(sigpipe_fds[0], sigs, sizeof(sigs))) > 0) {
		for (i = 0; i < n; i++) {
			if (sigs[i] == SIGHUP)
				reopen(s);
			else
				stop = 1;
		}
	}
	return stop;
}

static void
run(struct sink *s)
{
	struct pollfd p[2];
	long got;
	int timeout;

	for (;;) {
		p[0] = (struct pollfd){ STDIN_FILENO, POLLIN, 0 };
		p[1] = (struct pollfd){ sigpipe_fds[0], POLLIN, 0 };
		timeout = s->nbatch > 0 ? time_poll_timeout(s->deadline, time_now_ms()) : -1;
		if (poll(p, 2, timeout) < 0) {
			if (errno == EINTR)
				continue;
			flush(s);
			err_die_sys(EXIT_TEMP, "poll");
		}
		if ((p[1].revents & POLLIN) && read_signals(s)) {
			drain(s);
			return;
		}
		if ((p[0].revents & (POLLIN | POLLHUP | POLLERR)) && read_input(s, &got))
			return;
		if (s->nbatch > 0 && time_now_ms() >= s->deadline)
			flush(s);
	}
}

static void
setup(struct sink *s, const struct opts *o)
{
	static const int sigs[] = { SIGTERM, SIGINT, SIGHUP };
	struct errbuf eb;

	if (selfpipe_open(sigpipe_fds, &eb) != 0)
		err_die(EXIT_TEMP, "%s", eb.msg);
	selfpipe_catch(sigs, sizeof(sigs) / sizeof(sigs[0]), on_signal);
	/* a reader of stdout that goes away is a write error, not a kill */
	(void)signal(SIGPIPE, SIG_IGN);
	memset(s, 0, sizeof(*s));
	if (auditfile_open(&s->af, o->file, o->max_size, (int)o->backups, o->gzip,
	    &eb) != 0)
		err_die(EXIT_TEMP, "%s", eb.msg);
	s->lb = xmalloc(sizeof(*s->lb));
	linebuf_init(s->lb, LINE_MAX_BYTES);
	s->batch_max = o->batch;
	s->flush_ms = o->flush_ms;
	s->buf = xmalloc((size_t)o->batch * (LINE_MAX_BYTES + 1));
}

int
main(int argc, char **argv)
{
	struct errbuf eb;
	struct opts o;
	struct sink s;
	int stdout_open = fcntl(STDOUT_FILENO, F_GETFD) != -1;

	if (spawn_sanitize_stdfds() != 0)
		return EXIT_TEMP;
	parse_args(argc, argv, &o);
	if (strcmp(o.file, "-") == 0 && !stdout_open) {
		errno = EBADF;
		err_die_sys(EXIT_TEMP, "write stdout");
	}
	setup(&s, &o);
	run(&s);
	flush(&s);
	if (auditfile_close(&s.af, &eb) != 0)
		err_die(EXIT_TEMP, "%s", eb.msg);
	if (err_state.verbosity > 0)
		err_say("%llu events written, %llu dropped", s.written, s.dropped);
	free(s.buf);
	free(s.lb);
	return 0;
}
