/*
 * err: one diagnostic style for every program.
 *
 *   prog: what failed: why
 *   prog: warning: what happened
 *   prog: debug1: detail            (only with -v)
 *
 * The program name and verbosity are owned by the program's main file,
 * which defines `struct err_state err_state' with ERR_PROGRAM().  Library
 * code only reads them; it reports failures through struct errbuf and lets
 * the program decide whether to die.  Every message is sanitised: bytes
 * that are not printable are shown as \ooo, so a peer cannot inject
 * terminal escapes or fake lines.  Never pass a secret to these functions.
 */
#ifndef BSSH_ERR_H
#define BSSH_ERR_H

#include <stdarg.h>
#include <stddef.h>

struct err_state {
	const char	*prog;		/* basename used as the prefix */
	int		 verbosity;	/* 0 quiet, 1..3 = -v count */
	int		 quiet;		/* -q: suppress warnings */
};

/* Defined once per program (main file) by ERR_PROGRAM("name"). */
extern struct err_state err_state;
#define ERR_PROGRAM(name) struct err_state err_state = { (name), 0, 0 }

/* A library error message: filled by the callee, printed by the caller. */
struct errbuf {
	char	msg[512];
};

#define ERR_PRINTF(a, b) __attribute__((format(printf, a, b)))

/* Set eb->msg; return -1 so callers can `return err_set(...)'. */
int	err_set(struct errbuf *eb, const char *fmt, ...) ERR_PRINTF(2, 3);
/* Like err_set, appending ": strerror(errno)"; errno is preserved. */
int	err_set_sys(struct errbuf *eb, const char *fmt, ...) ERR_PRINTF(2, 3);

/* Print "prog: msg" and exit with code. */
void	err_die(int code, const char *fmt, ...) ERR_PRINTF(2, 3) __attribute__((noreturn));
/* Print "prog: msg: strerror(errno)" and exit with code. */
void	err_die_sys(int code, const char *fmt, ...) ERR_PRINTF(2, 3) __attribute__((noreturn));
/* Print "prog: msg" (an error that does not end the program). */
void	err_say(const char *fmt, ...) ERR_PRINTF(1, 2);
void	err_say_sys(const char *fmt, ...) ERR_PRINTF(1, 2);
/* Print "prog: warning: msg" unless quiet. */
void	err_warn(const char *fmt, ...) ERR_PRINTF(1, 2);
/* Print "prog: debugN: msg" when verbosity >= level (1..3). */
void	err_debug(int level, const char *fmt, ...) ERR_PRINTF(2, 3);
/* Print "prog: usage: usage" and exit with code. */
void	err_usage(int code, const char *usage) __attribute__((noreturn));

/*
 * Copy src into dst (size dstlen, always NUL-terminated), replacing bytes
 * that are not printable ASCII with a \ooo escape.  Returns dst.
 */
char	*err_sanitize(char *dst, size_t dstlen, const char *src);

/* Set err_state.prog from argv[0]'s basename (for multi-name programs). */
void	err_setprog(const char *argv0);

#endif
