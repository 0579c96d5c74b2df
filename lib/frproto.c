/*
 * frproto: line classes, directives and bodies.  See frproto.h.
 */
#include "config.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "frproto.h"
#include "utf8.h"

enum fr_class
frproto_classify(const char *line, size_t len)
{
	if (len == 0)
		return FRC_EMPTY;
	if (len == 1 && line[0] == '.')
		return FRC_END;
	if (len >= 2 && line[0] == '+' && line[1] == ' ')
		return FRC_DIRECTIVE;
	if ((len == 1 && line[0] == '#') || (len >= 2 && line[0] == '#' && line[1] == ' '))
		return FRC_COMMENT;
	return FRC_TEXT;
}

/* The value of the first whitespace-separated part of s starting with key. */
static const char *
find_part(const char *s, const char *end, const char *key, size_t *vlen)
{
	size_t klen = strlen(key);
	const char *p = s, *w;

	while (p < end) {
		while (p < end && isspace((unsigned char)*p))
			p++;
		for (w = p; w < end && !isspace((unsigned char)*w); w++)
			continue;
		if ((size_t)(w - p) >= klen && memcmp(p, key, klen) == 0) {
			*vlen = (size_t)(w - p) - klen;
			return p + klen;
		}
		p = w;
	}
	return NULL;
}

/* size=<digits>, a '+' sign allowed as Rust's integer parsing does. */
static int
parse_size(const char *p, size_t n, uint64_t *v)
{
	size_t i = 0;

	if (n > 0 && p[0] == '+')
		i = 1;
	if (i == n)
		return -1;
	for (*v = 0; i < n; i++) {
		if (!isdigit((unsigned char)p[i]) || *v > (UINT64_MAX - 9) / 10)
			return -1;
		*v = *v * 10 + (uint64_t)(p[i] - '0');
	}
	return 0;
}

/* The parameters of `+ body ...': size=N and stop="X", repeated: last wins. */
static int
parse_body(const char *p, const char *end, struct fr_bodymode *m)
{
	const char *w, *q;

	memset(m, 0, sizeof(*m));
	m->on = 1;
	for (;;) {
		while (p < end && isspace((unsigned char)*p))
			p++;
		if (p == end)
			return 0;
		if (end - p >= 6 && memcmp(p, "stop=\"", 6) == 0) {
			p += 6;
			if ((q = memchr(p, '"', (size_t)(end - p))) == NULL)
				return -1;
			memcpy(m->stop, p, (size_t)(q - p));
			m->stop[q - p] = '\0';
			m->has_stop = 1;
			p = q + 1;
			if (p < end && !isspace((unsigned char)*p))
				return -1;
			continue;
		}
		for (w = p; w < end && !isspace((unsigned char)*w); w++)
			continue;
		if (w - p < 5 || memcmp(p, "size=", 5) != 0 ||
		    parse_size(p + 5, (size_t)(w - p - 5), &m->size) < 0)
			return -1;
		m->has_size = 1;
		p = w;
	}
}

void
frproto_directive(const char *line, size_t len, struct fr_directive *d)
{
	const char *s = line + 2, *end = line + len;
	size_t n = (size_t)(end - s);

	memset(d, 0, sizeof(*d));
	if (n == 17 && memcmp(s, "session keepalive", 17) == 0) {
		d->kind = FRD_SESSION;
		return;
	}
	if (n >= 4 && memcmp(s, "auth", 4) == 0 &&
	    (n == 4 || isspace((unsigned char)s[4]))) {
		d->token = find_part(s + 4, end, "token=", &d->tokenlen);
		d->proof = find_part(s + 4, end, "proof=", &d->prooflen);
		if (d->token != NULL && d->proof != NULL)
			d->kind = FRD_AUTH;
		return;
	}
	if (n >= 4 && memcmp(s, "body", 4) == 0 && (n == 4 || s[4] == ' ')) {
		if (parse_body(s + 4, end, &d->body) == 0)
			d->kind = FRD_BODY;
		return;
	}
}

/* A growing body buffer with a hard cap. */
struct acc {
	char	*buf;
	size_t	 len;
	size_t	 cap;
};

static int
acc_put(struct acc *a, char c, struct errbuf *eb)
{
	if (a->len + 1 >= a->cap) {
		err_set(eb, "body too large (%zu bytes, max %d)", a->len + 1, FR_BODY_MAX);
		return -1;
	}
	a->buf[a->len++] = c;
	return 0;
}

/*
 * Cut at most at limit, backing off to the start of a character that the
 * limit would split (the reference aborts there).
 */
static void
cut_utf8(struct acc *a, size_t from, size_t limit)
{
	size_t j, need;
	unsigned char c;

	if (a->len < limit)
		return;
	a->len = limit;
	if (limit == from)
		return;
	for (j = limit - 1; j > from && ((unsigned char)a->buf[j] & 0xc0) == 0x80; j--)
		continue;
	c = (unsigned char)a->buf[j];
	need = c < 0x80 ? 1 : c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2;
	if (j + need > limit)
		a->len = j;
}

static enum fr_read
body_size(struct fr_input *in, uint64_t size, char **body, size_t *len, struct errbuf *eb)
{
	enum fr_read r;
	size_t bad;

	if ((*body = malloc((size_t)size + 1)) == NULL) {
		err_set(eb, "I/O error: out of memory");
		return FR_READ_ERROR;
	}
	if ((r = frin_exact(in, *body, (size_t)size, eb)) != FR_READ_OK)
		return r;
	(*body)[size] = '\0';
	*len = (size_t)size;
	if (!utf8_valid(*body, *len, &bad)) {
		err_set(eb, "I/O error: invalid UTF-8: invalid utf-8 sequence from index %zu", bad);
		return FR_READ_ERROR;
	}
	return FR_READ_OK;
}

/*
 * Line mode: lines without LF and CRs joined by LF, up to the line equal
 * to the terminator.  With a cap (combined mode), reaching it ends the
 * body: truncated there and the rest of that line dropped.
 */
static enum fr_read
body_lines(struct fr_input *in, const char *term, int capped, size_t cap, char **body,
    size_t *len, struct errbuf *eb)
{
	size_t tlen = strlen(term), start, bad;
	int cut;
	struct acc a;
	unsigned char c;
	enum fr_read r;

	/* Room for the limit, the join LF and a terminator that is not kept. */
	a.cap = FR_BODY_MAX + FR_LINE_MAX + 4;
	a.len = 0;
	if ((a.buf = malloc(a.cap)) == NULL) {
		err_set(eb, "I/O error: out of memory");
		return FR_READ_ERROR;
	}
	*body = a.buf;
	for (;;) {
		start = a.len;
		cut = 0;
		if (start > 0 && acc_put(&a, '\n', eb) < 0)
			return FR_READ_ERROR;
		for (;;) {
			if ((r = frin_byte(in, &c, eb)) == FR_READ_EOF) {
				err_set(eb, "unexpected EOF");
				return FR_READ_ERROR;
			}
			if (r != FR_READ_OK)
				return r;
			if (c == '\n')
				break;
			if (acc_put(&a, (char)c, eb) < 0)
				return FR_READ_ERROR;
			if (capped && a.len >= cap && a.len - start - (start > 0) > tlen) {
				/* Cannot be the terminator any more: the cap ends it. */
				while ((r = frin_byte(in, &c, eb)) == FR_READ_OK && c != '\n')
					continue;
				if (r == FR_READ_ERROR || r == FR_READ_TIMEOUT)
					return r;
				cut = 1;
				cut_utf8(&a, start, cap);
				break;
			}
			if (!capped && a.len > FR_BODY_MAX + tlen + 1) {
				err_set(eb, "body too large (%zu bytes, max %d)", a.len, FR_BODY_MAX);
				return FR_READ_ERROR;
			}
		}
		while (!cut && a.len > start && a.buf[a.len - 1] == '\r')
			a.len--;
		if (!utf8_valid(a.buf + start, a.len - start, &bad)) {
			err_set(eb, "I/O error: stream did not contain valid UTF-8");
			return FR_READ_ERROR;
		}
		if (cut)
			break;
		if (a.len - start - (start > 0) == tlen &&
		    memcmp(a.buf + start + (start > 0), term, tlen) == 0) {
			a.len = start;
			break;
		}
		if (capped && a.len >= cap) {
			cut_utf8(&a, start, cap);
			break;
		}
		if (a.len > FR_BODY_MAX) {
			err_set(eb, "body too large (%zu bytes, max %d)", a.len, FR_BODY_MAX);
			return FR_READ_ERROR;
		}
	}
	a.buf[a.len] = '\0';
	*len = a.len;
	return FR_READ_OK;
}

enum fr_read
frproto_body(struct fr_input *in, const struct fr_bodymode *m, char **body, size_t *len,
    struct errbuf *eb)
{
	size_t cap;

	*body = NULL;
	*len = 0;
	if (m->has_size && !m->has_stop) {
		if (m->size > FR_BODY_MAX) {
			err_set(eb, "body too large (%llu bytes, max %d)",
			    (unsigned long long)m->size, FR_BODY_MAX);
			return FR_READ_ERROR;
		}
		return body_size(in, m->size, body, len, eb);
	}
	cap = 0;
	if (m->has_size)
		cap = m->size < FR_BODY_MAX ? (size_t)m->size : FR_BODY_MAX;
	return body_lines(in, m->has_stop ? m->stop : ".", m->has_size, cap, body, len, eb);
}
