/*
 * varexpand: ${VAR}, $VAR and ~ expansion; see varexpand.h.
 *
 * Results are built in a buffer that grows with realloc and never holds
 * more than VAREXPAND_MAX bytes, checked before each append.
 */
#include "config.h"

#include <errno.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "varexpand.h"

static int	 buf_add(char **, size_t *, const char *, size_t);
static size_t	 name_len(const char *);
static int	 expand_one(char **, size_t *, const char *, size_t *);
static const char *home_of(const char *, size_t);

/* Append s[0..n) to *buf (length *len, NUL-terminated).  0 or -1. */
static int
buf_add(char **buf, size_t *len, const char *s, size_t n)
{
	char *p;

	if (*len + n > VAREXPAND_MAX) {
		errno = ENAMETOOLONG;
		return -1;
	}
	if ((p = realloc(*buf, *len + n + 1)) == NULL) {
		return -1;
	}
	memcpy(p + *len, s, n);
	*len += n;
	p[*len] = '\0';
	*buf = p;
	return 0;
}

static size_t
name_len(const char *s)
{
	return strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	    "0123456789_");
}

/* Expand the '$' at s: append its value or itself; *used = bytes read. */
static int
expand_one(char **buf, size_t *len, const char *s, size_t *used)
{
	int braced = s[1] == '{';
	size_t n = name_len(s + 1 + braced);
	char name[256];
	const char *v;

	*used = 1 + braced + n;
	if (n == 0 || (braced && s[*used] != '}')) {
		*used = 1;
		return buf_add(buf, len, s, 1);
	}
	*used += braced;
	if (n >= sizeof(name)) {
		return buf_add(buf, len, s, *used);
	}
	memcpy(name, s + 1 + braced, n);
	name[n] = '\0';
	if ((v = getenv(name)) == NULL) {
		return buf_add(buf, len, s, *used);
	}
	return buf_add(buf, len, v, strlen(v));
}

char *
varexpand_vars(const char *s)
{
	char *buf = NULL;
	size_t len = 0, used, plain;

	if (buf_add(&buf, &len, "", 0) != 0) {
		return NULL;
	}
	while (*s != '\0') {
		plain = strcspn(s, "$");
		if (buf_add(&buf, &len, s, plain) != 0) {
			goto fail;
		}
		s += plain;
		if (*s == '$') {
			if (expand_one(&buf, &len, s, &used) != 0) {
				goto fail;
			}
			s += used;
		}
	}
	return buf;
fail:
	free(buf);
	return NULL;
}

/* The home directory of user[0..n) ("" = ours), or NULL. */
static const char *
home_of(const char *user, size_t n)
{
	const char *h = getenv("HOME");
	struct passwd *pw;
	char name[256];

	if (n == 0 && h != NULL && *h != '\0') {
		return h;
	}
	if (n >= sizeof(name)) {
		return NULL;
	}
	memcpy(name, user, n);
	name[n] = '\0';
	pw = n == 0 ? getpwuid(getuid()) : getpwnam(name);
	return pw != NULL ? pw->pw_dir : NULL;
}

char *
varexpand_tilde(const char *s)
{
	const char *home;
	char *buf = NULL;
	size_t len = 0, n;

	if (*s == '~') {
		n = strcspn(s + 1, "/");
		if ((home = home_of(s + 1, n)) != NULL) {
			if (buf_add(&buf, &len, home, strlen(home)) != 0 ||
			    buf_add(&buf, &len, s + 1 + n,
			    strlen(s + 1 + n)) != 0) {
				free(buf);
				return NULL;
			}
			return buf;
		}
	}
	if (buf_add(&buf, &len, s, strlen(s)) != 0) {
		free(buf);
		return NULL;
	}
	return buf;
}
