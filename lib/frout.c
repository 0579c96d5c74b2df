/*
 * frout: lines to the client.  See frout.h.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "frinput.h"
#include "frout.h"
#include "timeutil.h"

void
frout_init(struct fr_out *o, int fd)
{
	int fl;

	o->fd = fd;
	o->dead = 0;
	o->deadline = 0;
	if ((fl = fcntl(fd, F_GETFL)) >= 0)
		(void)fcntl(fd, F_SETFL, fl | O_NONBLOCK);
}

static void
put(struct fr_out *o, const char *buf, size_t len)
{
	int64_t left, deadline = o->deadline;
	struct pollfd pfd;
	ssize_t w;

	if (deadline == 0)
		deadline = time_now_ms() + FR_OUT_WAIT;
	while (len > 0 && !o->dead) {
		w = write(o->fd, buf, len);
		if (w > 0) {
			buf += w;
			len -= (size_t)w;
			continue;
		}
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0 && errno != EAGAIN) {
			o->dead = 1;
			break;
		}
		left = deadline - time_now_ms();
		if (left <= 0) {
			o->dead = 1;
			break;
		}
		pfd.fd = o->fd;
		pfd.events = POLLOUT;
		(void)poll(&pfd, 1, left > 60000 ? 60000 : (int)left);
	}
}

void
frout_line(struct fr_out *o, const char *prefix, const char *data, size_t len)
{
	size_t plen = strlen(prefix);
	char small[8192], *buf = small;

	if (o->dead)
		return;
	if (plen + len + 1 > sizeof(small) && (buf = malloc(plen + len + 1)) == NULL) {
		/* No memory for one write: three writes still make the line. */
		put(o, prefix, plen);
		put(o, data, len);
		put(o, "\n", 1);
		return;
	}
	memcpy(buf, prefix, plen);
	memcpy(buf + plen, data, len);
	buf[plen + len] = '\n';
	put(o, buf, plen + len + 1);
	if (buf != small)
		free(buf);
}

void
frout_comment(struct fr_out *o, const char *text)
{
	frout_line(o, "#> ", text, strlen(text));
}

/* serde_json writes \u001f where jansson writes \u001F. */
static void
lower_escapes(char *s)
{
	int i;

	for (; *s != '\0'; s++) {
		if (*s != '\\')
			continue;
		s++;
		if (*s != 'u')
			continue;
		for (i = 1; i <= 4 && s[i] != '\0'; i++)
			if (s[i] >= 'A' && s[i] <= 'F')
				s[i] = (char)(s[i] - 'A' + 'a');
	}
}

char *
frout_json(const void *v)
{
	char *s = json_dumps(v, JSON_COMPACT | JSON_PRESERVE_ORDER);

	if (s != NULL)
		lower_escapes(s);
	return s;
}

void
frout_response(struct fr_out *o, const char *command, size_t cmdlen, int code,
    const char *message, const char *stdout_text)
{
	json_t *r = json_object();
	char *s;

	if (r == NULL)
		return;
	json_object_set_new(r, "command", json_stringn(command, cmdlen));
	json_object_set_new(r, "status_code", json_integer(code));
	json_object_set_new(r, "status_message", json_string(message));
	json_object_set_new(r, "stdout", stdout_text ? json_string(stdout_text) : json_null());
	json_object_set_new(r, "stderr", json_null());
	if ((s = frout_json(r)) != NULL) {
		frout_line(o, ">>> ", s, strlen(s));
		free(s);
	}
	json_decref(r);
}
