/*
 * frontiere-proof: print the proof a client sends in `+ auth token=ID
 * proof=HEX' to frontiere-dispatch, in simple mode (no --nonce) or nonce
 * mode.  Compatible with SSH-Frontiere 3.1.0's `proof' helper, plus two
 * ways to give the secret that keep it off the command line or allow any
 * bytes: --secret-file and --b64.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "err.h"
#include "frcrypto.h"
#include "slurp.h"

#define SECRET_MAX	(1024 * 1024)	/* bytes read by --secret-file */

ERR_PROGRAM("frontiere-proof");

enum source {
	SRC_NONE,
	SRC_RAW,	/* --secret */
	SRC_FILE,	/* --secret-file */
	SRC_B64		/* --b64 */
};

struct opts {
	enum source	 src;
	char		*secret;	/* the argument giving the secret */
	const char	*nonce;		/* NULL: simple mode */
};

/* The reference's usage line, kept word for word. */
static const char usage_line[] =
    "frontiere-proof --secret <raw-secret> [--nonce <hex-nonce>]";

static void	sanitise_stdfd(void);
static void	flush_stdout(void);
static void	help(void) __attribute__((noreturn));
static void	usage_error(const char *, ...) ERR_PRINTF(1, 2)
		    __attribute__((noreturn));
static void	bad_option(int, char **) __attribute__((noreturn));
static void	set_source(struct opts *, enum source);
static void	parse_args(int, char **, struct opts *);
static unsigned char *load_secret(const struct opts *, size_t *);
static unsigned char *read_secret_file(const char *, size_t *);

/* fds 0 and 2 forced open, so the secret file never lands on them. */
static void
sanitise_stdfd(void)
{
	int fd;

	if (fcntl(STDOUT_FILENO, F_GETFD) == -1) {
		errno = EBADF;
		err_die_sys(1, "stdout");
	}
	for (fd = STDIN_FILENO; fd <= STDERR_FILENO; fd += 2) {
		if (fcntl(fd, F_GETFD) == -1 &&
		    open("/dev/null", O_RDWR) != fd) {
			exit(1);
		}
	}
}

static void
flush_stdout(void)
{
	if (fflush(stdout) == EOF || ferror(stdout)) {
		err_die_sys(1, "write stdout");
	}
}

static void
help(void)
{
	printf("usage: %s\n"
	    "       frontiere-proof --secret-file PATH [--nonce <hex-nonce>]\n"
	    "       frontiere-proof --b64 [b64:]BASE64 [--nonce <hex-nonce>]\n"
	    "\n"
	    "Print the proof for frontiere-dispatch's `+ auth token=ID "
	    "proof=HEX':\nhex(SHA-256(secret)) without --nonce, the "
	    "nonce-mode proof with it.\n\n"
	    "  --secret SECRET      the decoded secret, as text\n"
	    "  --secret-file PATH   read the secret's bytes from PATH "
	    "(- for stdin)\n"
	    "  --b64 TEXT           the secret as written in the config, "
	    "b64: optional\n"
	    "  --nonce HEX          the nonce of the server's "
	    "`+> challenge nonce=HEX'\n"
	    "  -h, --help           show this help\n"
	    "  -V, --version        show the version\n", usage_line);
	flush_stdout();
	exit(0);
}

/* One line saying what is wrong, then the usage line; exit 1. */
static void
usage_error(const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	err_say("%s", msg);
	err_usage(1, usage_line);
}

static void
bad_option(int c, char **argv)
{
	const char *arg = optind > 0 ? argv[optind - 1] : "?";

	if (c == ':') {
		/* A bare trailing --secret: the reference's wording. */
		if (strcmp(arg, "--secret") == 0) {
			usage_error("missing required argument: %s", arg);
		}
		usage_error("option %s needs an argument", arg);
	}
	if (optopt != 0) {
		usage_error("unknown option -%c", optopt);
	}
	usage_error("unknown option %s", arg);
}

/*
 * The first occurrence of an option wins, as in the reference; giving the
 * secret two different ways is an error.
 */
static void
set_source(struct opts *o, enum source src)
{
	if (o->src != SRC_NONE && o->src != src) {
		usage_error("only one of --secret, --secret-file and --b64 "
		    "may be given");
	}
	if (o->src == SRC_NONE) {
		o->src = src;
		o->secret = optarg;
	}
}

static void
parse_args(int argc, char **argv, struct opts *o)
{
	static const struct option longopts[] = {
		{ "b64",		required_argument,	NULL, 'b' },
		{ "help",		no_argument,		NULL, 'h' },
		{ "nonce",		required_argument,	NULL, 'n' },
		{ "secret",		required_argument,	NULL, 's' },
		{ "secret-file",	required_argument,	NULL, 'f' },
		{ "version",		no_argument,		NULL, 'V' },
		{ NULL,			0,			NULL, 0 }
	};
	int c;

	memset(o, 0, sizeof(*o));
	opterr = 0;
	/* "+": no permuting, so an operand ends the options. */
	while ((c = getopt_long(argc, argv, "+:hV", longopts, NULL)) != -1) {
		switch (c) {
		case 's':
			set_source(o, SRC_RAW);
			break;
		case 'f':
			set_source(o, SRC_FILE);
			break;
		case 'b':
			set_source(o, SRC_B64);
			break;
		case 'n':
			if (o->nonce == NULL) {
				o->nonce = optarg;
			}
			break;
		case 'h':
			help();
		case 'V':
			printf("frontiere-proof %s\n", PACKAGE_VERSION);
			flush_stdout();
			exit(0);
		default:
			bad_option(c, argv);
		}
	}
	if (optind < argc) {
		usage_error("unexpected argument: %s", argv[optind]);
	}
	if (o->src == SRC_NONE) {
		usage_error("missing required argument: %s", "--secret");
	}
}

static unsigned char *
read_secret_file(const char *path, size_t *len)
{
	char *buf;
	int fd;

	if (strcmp(path, "-") == 0) {
		fd = STDIN_FILENO;
	} else if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		err_die_sys(1, "%s", path);
	}
	if (slurp_fd(fd, SECRET_MAX, &buf, len) == -1) {
		if (errno == EFBIG) {
			err_die(1, "%s: secret longer than %d bytes", path,
			    SECRET_MAX);
		}
		err_die_sys(1, "%s", path);
	}
	if (fd != STDIN_FILENO) {
		close(fd);
	}
	return (unsigned char *)buf;
}

/* The secret's bytes (malloc'd), from whichever option gave it. */
static unsigned char *
load_secret(const struct opts *o, size_t *len)
{
	struct errbuf eb;
	unsigned char *s;
	const char *text;

	switch (o->src) {
	case SRC_FILE:
		return read_secret_file(o->secret, len);
	case SRC_B64:
		text = o->secret;
		if (strncmp(text, "b64:", 4) == 0) {
			text += 4;
		}
		if ((s = frcrypto_b64_decode(text, len, &eb)) == NULL) {
			err_die(1, "invalid --b64 secret: %s", eb.msg);
		}
		return s;
	default:
		*len = strlen(o->secret);
		if ((s = malloc(*len + 1)) == NULL) {
			err_die(1, "out of memory");
		}
		memcpy(s, o->secret, *len + 1);
		return s;
	}
}

int
main(int argc, char **argv)
{
	struct errbuf eb;
	struct opts o;
	unsigned char *secret, *nonce = NULL;
	char proof[FR_PROOF_HEX + 1];
	size_t len;
	long nlen = 0;

	sanitise_stdfd();
	parse_args(argc, argv, &o);
	secret = load_secret(&o, &len);
	/* Narrow the window in which ps(1) shows an argv secret. */
	if (o.src != SRC_FILE) {
		OPENSSL_cleanse(o.secret, strlen(o.secret));
	}
	if (o.nonce != NULL) {
		if ((nonce = malloc(strlen(o.nonce) / 2 + 1)) == NULL) {
			err_die(1, "out of memory");
		}
		if ((nlen = frcrypto_unhex(o.nonce, nonce, &eb)) == -1) {
			err_die(1, "invalid nonce hex: %s", eb.msg);
		}
	}
	if (frcrypto_proof(secret, len, nonce, (size_t)nlen, proof,
	    &eb) == -1) {
		err_die(1, "%s", eb.msg);
	}
	OPENSSL_cleanse(secret, len);
	free(secret);
	free(nonce);
	printf("%s\n", proof);
	flush_stdout();
	return 0;
}
