/*
 * frforced: forced command or client command.  See frforced.h.
 */
#include "config.h"

#include <ctype.h>
#include <fcntl.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "frforced.h"
#include "slurp.h"

#define FR_KEYS_MAX	(4u << 20)	/* bytes of a file we look through */

static char *
read_file(const char *path)
{
	char *buf = NULL;
	size_t len;
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY)) < 0)
		return NULL;
	if (slurp_fd(fd, FR_KEYS_MAX, &buf, &len) < 0)
		buf = NULL;
	close(fd);
	return buf;
}

/*
 * The value of each command="..." on the line (sshd's quoting: \" is a
 * quote) compared with str.  Options come before the key, so a match in
 * a key's comment is possible only in a line the admin wrote that way.
 */
static int
line_has_command(const char *line, const char *end, const char *str)
{
	const char *p = line, *q;
	size_t slen = strlen(str), n;

	while ((p = memmem(p, (size_t)(end - p), "command=\"", 9)) != NULL) {
		if (p != line && p[-1] != ',' && !isspace((unsigned char)p[-1])) {
			p += 9;
			continue;
		}
		p += 9;
		for (q = p, n = 0; q < end && *q != '"'; q++, n++) {
			char c = *q;

			if (c == '\\' && q + 1 < end && q[1] == '"')
				c = *++q;
			if (n >= slen || c != str[n]) {
				n = slen + 1;
				break;
			}
		}
		if (q < end && *q == '"' && n == slen)
			return 1;
	}
	return 0;
}

/* Whether match(line, end, str) holds for a line of the file at path. */
static int
file_has(const char *path, const char *str,
    int (*match)(const char *, const char *, const char *))
{
	char *buf = read_file(path), *line, *nl;
	int found = 0;

	if (buf == NULL)
		return 0;
	for (line = buf; !found; line = nl + 1) {
		if ((nl = strchr(line, '\n')) == NULL)
			nl = line + strlen(line);
		found = match(line, nl, str);
		if (*nl == '\0')
			break;
	}
	free(buf);
	return found;
}

/* A "ForceCommand VALUE" line of an sshd_config with VALUE equal to str. */
static int
line_forces(const char *line, const char *nl, const char *str)
{
	const char *p, *e;

	for (p = line; p < nl && isspace((unsigned char)*p); p++)
		continue;
	if (nl - p <= 12 || strncasecmp(p, "forcecommand", 12) != 0 ||
	    !(isspace((unsigned char)p[12]) || p[12] == '='))
		return 0;
	for (p += 12; p < nl && (isspace((unsigned char)*p) || *p == '='); p++)
		continue;
	for (e = nl; e > p && isspace((unsigned char)e[-1]); e--)
		continue;
	return (size_t)(e - p) == strlen(str) && memcmp(p, str, strlen(str)) == 0;
}

int
frforced_is_forced(const char *str, const char *original, const char *home,
    const char *sshd_config)
{
	char path[4096];
	glob_t g;
	size_t i;
	int found = 0;

	if (original != NULL)
		return 1;
	if (home != NULL && *home != '\0') {
		snprintf(path, sizeof(path), "%s/.ssh/authorized_keys", home);
		if (file_has(path, str, line_has_command))
			return 1;
		snprintf(path, sizeof(path), "%s/.ssh/authorized_keys2", home);
		if (file_has(path, str, line_has_command))
			return 1;
	}
	if (sshd_config == NULL)
		return 0;
	if (file_has(sshd_config, str, line_forces))
		return 1;
	snprintf(path, sizeof(path), "%s.d/*.conf", sshd_config);
	if (glob(path, 0, NULL, &g) == 0) {
		for (i = 0; i < g.gl_pathc && !found; i++)
			found = file_has(g.gl_pathv[i], str, line_forces);
		globfree(&g);
	}
	return found;
}
