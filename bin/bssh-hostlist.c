/*
 * bssh-hostlist: expand, compress, count, filter and exclude pdsh hostlist
 * expressions given as arguments or read from stdin, one per line.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "err.h"
#include "hostlist.h"
#include "hostmatch.h"
#include "xalloc.h"

#define LINE_MAX_BYTES	(64 * 1024)	/* one expression read from stdin */

ERR_PROGRAM("bssh-hostlist");

enum mode {
	MODE_EXPAND,
	MODE_COMPRESS,
	MODE_COUNT
};

struct opts {
	enum mode	  mode;
	const char	 *delim;	/* between expanded hosts */
	char		**filter;
	size_t		  nfilter;
	char		**exclude;
	size_t		  nexclude;
};

static const char usage_line[] = "bssh-hostlist [-c | -n] [-x PATTERNS]... "
    "[-f PATTERNS]... [-d DELIM] [EXPR ...]";

static void	sanitise_stdfd(void);
static void	flush_stdout(void);
static void	help(void) __attribute__((noreturn));
static void	bad_option(int, char **, int) __attribute__((noreturn));
static void	parse_args(int, char **, struct opts *);
static void	die_eb(const struct errbuf *, const char *, size_t)
		    __attribute__((noreturn));
static int	read_line(FILE *, char *, size_t, size_t);
static void	push_stdin(struct hostlist *);
static char	*join(char **, size_t);
static void	apply_patterns(struct hostlist *, const struct opts *);
static void	output(const struct hostlist *, const struct opts *);

/*
 * fds 0 and 2 are forced open on /dev/null, so that no file we open lands
 * there; a closed stdout is an error, not something to hide.
 */
static void
sanitise_stdfd(void)
{
	int fd;

	if (fcntl(STDOUT_FILENO, F_GETFD) == -1) {
		errno = EBADF;
		err_die_sys(111, "stdout");
	}
	for (fd = STDIN_FILENO; fd <= STDERR_FILENO; fd += 2) {
		if (fcntl(fd, F_GETFD) == -1 &&
		    open("/dev/null", O_RDWR) != fd) {
			exit(111);
		}
	}
}

static void
flush_stdout(void)
{
	if (fflush(stdout) == EOF || ferror(stdout)) {
		err_die_sys(111, "write stdout");
	}
}

static void
help(void)
{
	printf("usage: %s\n\n"
	    "Expand pdsh hostlist expressions: web[1-3], n[01-10], "
	    "rack[1-2]-n[1-4],\nuser@host:port, [::1]:2222, ^file.  "
	    "Without EXPR, or for an EXPR of \"-\",\nexpressions are read "
	    "from stdin, one per line.\n\n"
	    "  -e, --expand            one host per line (the default)\n"
	    "  -c, --compress          print the list folded back into ranges\n"
	    "  -n, --count             print the number of hosts\n"
	    "  -f, --filter PATTERNS   keep only hosts matching a pattern\n"
	    "  -x, --exclude PATTERNS  remove hosts matching a pattern\n"
	    "  -d, --delimiter STR     separate expanded hosts with STR\n"
	    "  -h, --help              show this help\n"
	    "  -V, --version           show the version\n", usage_line);
	flush_stdout();
	exit(0);
}

static void
bad_option(int c, char **argv, int ind)
{
	const char *arg = ind > 0 ? argv[ind - 1] : "?";

	if (c == ':') {
		err_say("option %s needs an argument", arg);
	} else if (optopt != 0) {
		err_say("unknown option -%c", optopt);
	} else {
		err_say("unknown option %s", arg);
	}
	err_usage(100, usage_line);
}

static void
parse_args(int argc, char **argv, struct opts *o)
{
	static const struct option longopts[] = {
		{ "compress",	no_argument,		NULL, 'c' },
		{ "count",	no_argument,		NULL, 'n' },
		{ "delimiter",	required_argument,	NULL, 'd' },
		{ "exclude",	required_argument,	NULL, 'x' },
		{ "expand",	no_argument,		NULL, 'e' },
		{ "filter",	required_argument,	NULL, 'f' },
		{ "help",	no_argument,		NULL, 'h' },
		{ "version",	no_argument,		NULL, 'V' },
		{ NULL,		0,			NULL, 0 }
	};
	int c;

	memset(o, 0, sizeof(*o));
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":cd:ef:hnVx:", longopts,
	    NULL)) != -1) {
		switch (c) {
		case 'c':
			o->mode = MODE_COMPRESS;
			break;
		case 'n':
			o->mode = MODE_COUNT;
			break;
		case 'e':
			o->mode = MODE_EXPAND;
			break;
		case 'd':
			o->delim = optarg;
			break;
		case 'f':
			o->filter = xreallocarray(o->filter, o->nfilter + 1,
			    sizeof(*o->filter));
			o->filter[o->nfilter++] = optarg;
			break;
		case 'x':
			o->exclude = xreallocarray(o->exclude, o->nexclude + 1,
			    sizeof(*o->exclude));
			o->exclude[o->nexclude++] = optarg;
			break;
		case 'h':
			help();
		case 'V':
			printf("bssh-hostlist %s\n", PACKAGE_VERSION);
			flush_stdout();
			exit(0);
		default:
			bad_option(c, argv, optind);
		}
	}
}

/* Exit 1 for a bad expression or pattern, 111 when memory ran out. */
static void
die_eb(const struct errbuf *eb, const char *where, size_t lineno)
{
	int code = strcmp(eb->msg, "out of memory") == 0 ? 111 : 1;

	if (where != NULL) {
		err_die(code, "%s: line %zu: %s", where, lineno, eb->msg);
	}
	err_die(code, "%s", eb->msg);
}

/* One line without its newline into buf; 0 at end of input. */
static int
read_line(FILE *fp, char *buf, size_t size, size_t lineno)
{
	size_t n = 0;
	int c;

	while ((c = getc(fp)) != EOF && c != '\n') {
		if (n + 1 >= size) {
			err_die(1, "stdin: line %zu: longer than %d bytes",
			    lineno, LINE_MAX_BYTES);
		}
		if (c == '\0') {
			err_die(1, "stdin: line %zu: contains a NUL byte",
			    lineno);
		}
		buf[n++] = (char)c;
	}
	if (ferror(fp)) {
		err_die_sys(111, "read stdin");
	}
	buf[n] = '\0';
	return c != EOF || n > 0;
}

static void
push_stdin(struct hostlist *hl)
{
	struct errbuf eb;
	char *buf, *line, *end;
	size_t lineno;

	buf = xmalloc(LINE_MAX_BYTES + 1);
	for (lineno = 1; read_line(stdin, buf, LINE_MAX_BYTES + 1, lineno);
	    lineno++) {
		line = buf + strspn(buf, " \t\r\v\f");
		end = line + strlen(line);
		while (end > line && strchr(" \t\r\v\f", end[-1]) != NULL) {
			*--end = '\0';
		}
		if (*line == '\0' || *line == '#') {
			continue;
		}
		if (hostlist_push(hl, line, &eb) == -1) {
			die_eb(&eb, "stdin", lineno);
		}
	}
	free(buf);
}

static char *
join(char **v, size_t n)
{
	size_t len = 1, i;
	char *s;

	for (i = 0; i < n; i++) {
		len += strlen(v[i]) + 1;
	}
	s = xmalloc(len);
	s[0] = '\0';
	for (i = 0; i < n; i++) {
		if (i > 0) {
			strcat(s, ",");
		}
		strcat(s, v[i]);
	}
	return s;
}

/* Filters are one union (any -f keeps a host), applied before excludes. */
static void
apply_patterns(struct hostlist *hl, const struct opts *o)
{
	struct errbuf eb;
	char *patterns;
	size_t i;

	if (o->nfilter > 0) {
		patterns = join(o->filter, o->nfilter);
		if (hostmatch_filter(hl, patterns, &eb) == -1) {
			die_eb(&eb, NULL, 0);
		}
		free(patterns);
	}
	for (i = 0; i < o->nexclude; i++) {
		if (hostmatch_exclude(hl, o->exclude[i], &eb) == -1) {
			die_eb(&eb, NULL, 0);
		}
	}
}

static void
output(const struct hostlist *hl, const struct opts *o)
{
	size_t i, n = hostlist_count(hl);
	char *folded;

	switch (o->mode) {
	case MODE_COUNT:
		printf("%zu\n", n);
		break;
	case MODE_COMPRESS:
		if ((folded = hostmatch_compress(hl)) == NULL) {
			err_die(111, "out of memory");
		}
		if (*folded != '\0') {
			printf("%s\n", folded);
		}
		free(folded);
		break;
	case MODE_EXPAND:
		for (i = 0; i < n; i++) {
			fputs(hostlist_nth(hl, i), stdout);
			fputs(i + 1 < n && o->delim != NULL ? o->delim : "\n",
			    stdout);
		}
		break;
	}
	flush_stdout();
}

int
main(int argc, char **argv)
{
	struct hostlist *hl;
	struct errbuf eb;
	struct opts o;
	int i;

	sanitise_stdfd();
	parse_args(argc, argv, &o);
	if ((hl = hostlist_new()) == NULL) {
		err_die(111, "out of memory");
	}
	if (optind == argc) {
		push_stdin(hl);
	}
	for (i = optind; i < argc; i++) {
		if (strcmp(argv[i], "-") == 0) {
			push_stdin(hl);
		} else if (hostlist_push(hl, argv[i], &eb) == -1) {
			die_eb(&eb, NULL, 0);
		}
	}
	apply_patterns(hl, &o);
	output(hl, &o);
	hostlist_free(hl);
	free(o.filter);
	free(o.exclude);
	return 0;
}
