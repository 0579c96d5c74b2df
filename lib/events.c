#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "events.h"
#include "spawn.h"

int
events_write(int fd, const json_t *obj)
{
	char *s;
	size_t n;
	int rc;

	s = json_dumps(obj, JSON_COMPACT | JSON_PRESERVE_ORDER);
	if (s == NULL) {
		errno = ENOMEM;
		return -1;
	}
	n = strlen(s);
	s[n] = '\n';	/* json_dumps leaves room: overwrite the NUL */
	rc = spawn_write_all(fd, s, n + 1);
	free(s);
	return rc;
}

int
events_pack(int fd, const char *fmt, ...)
{
	json_error_t jerr;
	json_t *obj;
	va_list ap;
	int rc;

	if (fd < 0)
		return 0;
	va_start(ap, fmt);
	obj = json_vpack_ex(&jerr, 0, fmt, ap);
	va_end(ap);
	if (obj == NULL) {
		errno = EINVAL;
		return -1;
	}
	rc = events_write(fd, obj);
	json_decref(obj);
	return rc;
}

int
events_set_data(json_t *obj, const char *key, const void *data, size_t len)
{
	json_t *v = NULL;
	char k[128];
	unsigned char *b64;
	size_t blen;

	if (memchr(data, '\0', len) == NULL)
		v = json_stringn(data, len);	/* NULL when not UTF-8 */
	if (v != NULL)
		return json_object_set_new(obj, key, v);
	blen = 4 * ((len + 2) / 3) + 1;
	b64 = malloc(blen);
	if (b64 == NULL)
		return -1;
	EVP_EncodeBlock(b64, data, (int)len);
	snprintf(k, sizeof(k), "%s_base64", key);
	v = json_string((char *)b64);
	free(b64);
	return v == NULL ? -1 : json_object_set_new(obj, k, v);
}

void
events_reader_init(struct events_reader *r)
{
	r->len = 0;
	r->skipping = 0;
	r->dropped = 0;
}

static void
deliver(struct events_reader *r, const char *line, size_t len, events_fn *fn, void *arg)
{
	json_t *ev;

	ev = json_loadb(line, len, JSON_REJECT_DUPLICATES, NULL);
	if (ev == NULL || !json_is_object(ev)) {
		r->dropped++;
		json_decref(ev);
		return;
	}
	fn(ev, arg);
	json_decref(ev);
}

void
events_feed(struct events_reader *r, const char *data, size_t len, events_fn *fn, void *arg)
{
	while (len > 0) {
		const char *nl = memchr(data, '\n', len);
		size_t take = nl != NULL ? (size_t)(nl - data) : len;

		if (!r->skipping && r->len + take <= sizeof(r->buf)) {
			memcpy(r->buf + r->len, data, take);
			r->len += take;
		} else if (!r->skipping) {
			r->skipping = 1;
			r->dropped++;
		}
		if (nl == NULL)
			return;
		if (!r->skipping && r->len > 0)
			deliver(r, r->buf, r->len, fn, arg);
		r->len = 0;
		r->skipping = 0;
		data += take + 1;
		len -= take + 1;
	}
}

int
events_read(struct events_reader *r, int fd, events_fn *fn, void *arg)
{
	char chunk[8192];
	ssize_t n;

	do {
		n = read(fd, chunk, sizeof(chunk));
	} while (n < 0 && errno == EINTR);
	if (n < 0)
		return (errno == EAGAIN || errno == EWOULDBLOCK) ? 0 : -1;
	if (n == 0)
		return 1;
	events_feed(r, chunk, (size_t)n, fn, arg);
	return 0;
}
