#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "err.h"

/* One write(2) per message so lines from many processes never interleave. */
static void
emit(const char *kind, const char *fmt, va_list ap, int errnum)
{
	char raw[2048], clean[4096], line[4608];
	int n;

	vsnprintf(raw, sizeof(raw), fmt, ap);
	err_sanitize(clean, sizeof(clean), raw);
	if (errnum != 0)
		n = snprintf(line, sizeof(line), "%s: %s%s: %s\n",
		    err_state.prog, kind, clean, strerror(errnum));
	else
		n = snprintf(line, sizeof(line), "%s: %s%s\n",
		    err_state.prog, kind, clean);
	if (n < 0)
		return;
	if ((size_t)n >= sizeof(line))
		n = sizeof(line) - 1;
	(void)!write(STDERR_FILENO, line, (size_t)n);
}

char *
err_sanitize(char *dst, size_t dstlen, const char *src)
{
	size_t o = 0;
	const unsigned char *s = (const unsigned char *)src;

	if (dstlen == 0)
		return dst;
	for (; *s != '\0' && o + 5 < dstlen; s++) {
		if (*s >= 0x20 && *s < 0x7f) {
			dst[o++] = (char)*s;
		} else {
			snprintf(dst + o, dstlen - o, "\\%03o", *s);
			o += 4;
		}
	}
	dst[o] = '\0';
	return dst;
}

void
err_setprog(const char *argv0)
{
	const char *slash;

	if (argv0 == NULL || *argv0 == '\0')
		return;
	slash = strrchr(argv0, '/');
	err_state.prog = slash != NULL ? slash + 1 : argv0;
}

int
err_set(struct errbuf *eb, const char *fmt, ...)
{
	va_list ap;

	if (eb == NULL)
		return -1;
	va_start(ap, fmt);
	vsnprintf(eb->msg, sizeof(eb->msg), fmt, ap);
	va_end(ap);
	return -1;
}

int
err_set_sys(struct errbuf *eb, const char *fmt, ...)
{
	va_list ap;
	int saved = errno;
	size_t len;

	if (eb == NULL)
		return -1;
	va_start(ap, fmt);
	vsnprintf(eb->msg, sizeof(eb->msg), fmt, ap);
	va_end(ap);
	len = strlen(eb->msg);
	snprintf(eb->msg + len, sizeof(eb->msg) - len, ": %s", strerror(saved));
	errno = saved;
	return -1;
}

void
err_die(int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	emit("", fmt, ap, 0);
	va_end(ap);
	exit(code);
}

void
err_die_sys(int code, const char *fmt, ...)
{
	va_list ap;
	int saved = errno;

	va_start(ap, fmt);
	emit("", fmt, ap, saved);
	va_end(ap);
	exit(code);
}

void
err_say(const char *fmt, ...)
{
	va_list ap;
	int saved = errno;

	va_start(ap, fmt);
	emit("", fmt, ap, 0);
	va_end(ap);
	errno = saved;
}

void
err_say_sys(const char *fmt, ...)
{
	va_list ap;
	int saved = errno;

	va_start(ap, fmt);
	emit("", fmt, ap, saved);
	va_end(ap);
	errno = saved;
}

void
err_warn(const char *fmt, ...)
{
	va_list ap;
	int saved = errno;

	if (err_state.quiet)
		return;
	va_start(ap, fmt);
	emit("warning: ", fmt, ap, 0);
	va_end(ap);
	errno = saved;
}

void
err_debug(int level, const char *fmt, ...)
{
	static const char *const kinds[] = { "debug1: ", "debug1: ", "debug2: ", "debug3: " };
	va_list ap;
	int saved = errno;

	if (err_state.verbosity < level)
		return;
	if (level < 1)
		level = 1;
	if (level > 3)
		level = 3;
	va_start(ap, fmt);
	emit(kinds[level], fmt, ap, 0);
	va_end(ap);
	errno = saved;
}

void
err_usage(int code, const char *usage)
{
	char line[4096];
	int n;

	n = snprintf(line, sizeof(line), "%s: usage: %s\n", err_state.prog, usage);
	if (n > 0)
		(void)!write(STDERR_FILENO, line,
		    (size_t)n < sizeof(line) ? (size_t)n : sizeof(line) - 1);
	exit(code);
}
