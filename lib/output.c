#include "config.h"

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "events.h"
#include "hostlist.h"
#include "hostmatch.h"
#include "output.h"
#include "spawn.h"
#include "spill.h"

#define C_HEAD	"\033[1;36m"
#define C_FAIL	"\033[31m"
#define C_PFX	"\033[36m"
#define C_OFF	"\033[0m"

struct onode {
	struct spill	 held[2];	/* normal mode, until it is this node's turn */
	char		*line[2];	/* stream mode: the partial line */
	size_t		 linelen[2];
	int		 cut[2];	/* stream mode: a full line was just printed */
	int		 file[2];	/* files mode */
	int		 midline[2];	/* normal mode: not at the start of a line */
	int		 header;	/* normal mode: header printed */
	int		 done;
	int		 code;
	char		*failure;	/* normal mode: the deferred failure line */
};

static void	pdsh_host(char *, size_t);

struct output {
	enum out_mode		 mode;
	int			 flags;
	char			*dir;
	const char *const	*labels;
	size_t			 n;
	struct onode		*nodes;
	size_t			 head;		/* normal mode: first unprinted node */
	int			 broken;
	char			 host[256];	/* pdsh mode: "pdsh@host" */
};

static void
put(struct output *out, int fd, const char *buf, size_t len)
{
	if (len == 0 || (out->broken && fd == STDOUT_FILENO))
		return;
	if (spawn_write_all(fd, buf, len) != 0 && errno == EPIPE && fd == STDOUT_FILENO)
		out->broken = 1;
}

int
output_broken(const struct output *out)
{
	return out->broken;
}

/*
 * A label as a file name: '/', '%' and control bytes become %XX, and the
 * names "." and ".." become %2E and %2E%2E, so two labels never share a
 * file and none escapes the directory.
 */
static void
file_label(char *dst, size_t len, const char *label)
{
	const unsigned char *p = (const unsigned char *)label;
	size_t o = 0;

	for (; *p != '\0' && o + 4 < len; p++) {
		if (*p == '/' || *p == '%' || *p < 0x20 || *p == 0x7f)
			o += (size_t)snprintf(dst + o, len - o, "%%%02X", *p);
		else
			dst[o++] = (char)*p;
	}
	dst[o] = '\0';
	if (strcmp(dst, ".") == 0)
		snprintf(dst, len, "%%2E");
	else if (strcmp(dst, "..") == 0)
		snprintf(dst, len, "%%2E%%2E");
	else if (dst[0] == '\0')
		snprintf(dst, len, "%%");
}

static int
make_dir(const char *dir, struct errbuf *eb)
{
	char path[4096], *p;
	struct stat st;

	snprintf(path, sizeof(path), "%s", dir);
	for (p = path + 1; *p != '\0'; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(path, 0755) != 0 && errno != EEXIST)
			return err_set_sys(eb, "create %s", path);
		*p = '/';
	}
	if (mkdir(path, 0755) != 0 && errno != EEXIST)
		return err_set_sys(eb, "create %s", path);
	if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode))
		return err_set(eb, "output directory %s: not a directory", path);
	if (access(path, W_OK) != 0)
		return err_set_sys(eb, "output directory %s", path);
	return 0;
}

struct output *
output_new(enum out_mode mode, int flags, const char *dir, const char *const *labels,
    size_t n, struct errbuf *eb)
{
	struct output *out;
	size_t i;

	if (mode == OUT_FILES && make_dir(dir, eb) != 0)
		return NULL;
	out = calloc(1, sizeof(*out));
	if (out == NULL || (out->nodes = calloc(n ? n : 1, sizeof(struct onode))) == NULL) {
		free(out);
		err_set(eb, "output: out of memory");
		return NULL;
	}
	out->mode = mode;
	out->flags = flags;
	pdsh_host(out->host, sizeof(out->host));
	out->labels = labels;
	out->n = n;
	out->dir = dir != NULL ? strdup(dir) : NULL;
	for (i = 0; i < n; i++) {
		spill_init(&out->nodes[i].held[0]);
		spill_init(&out->nodes[i].held[1]);
		out->nodes[i].file[0] = out->nodes[i].file[1] = -1;
	}
	return out;
}

void
output_free(struct output *out)
{
	size_t i;
	int k;

	if (out == NULL)
		return;
	for (i = 0; i < out->n; i++) {
		struct onode *nd = &out->nodes[i];

		for (k = 0; k < 2; k++) {
			spill_free(&nd->held[k]);
			free(nd->line[k]);
			if (nd->file[k] >= 0)
				close(nd->file[k]);
		}
		free(nd->failure);
	}
	free(out->nodes);
	free(out->dir);
	free(out);
}

/* "pdsh@" and the short local host name, as pdsh labels its messages. */
static void
pdsh_host(char *dst, size_t len)
{
	char h[256] = "localhost";
	char *dot;

	(void)gethostname(h, sizeof(h) - 1);
	h[sizeof(h) - 1] = '\0';
	if ((dot = strchr(h, '.')) != NULL)
		*dot = '\0';
	snprintf(dst, len, "pdsh@%s", h);
}

/* ---------------------------------------------------------------- JSON */

static void
json_emit(struct output *out, size_t i, const char *event, json_t *obj)
{
	json_t *o = obj != NULL ? obj : json_object();

	json_object_set_new(o, "node", json_string(out->labels[i]));
	json_object_set_new(o, "event", json_string(event));
	if (!out->broken && events_write(STDOUT_FILENO, o) != 0 && errno == EPIPE)
		out->broken = 1;
	json_decref(o);
}

static void
json_data(struct output *out, size_t i, int stream, const char *buf, size_t len)
{
	json_t *o = json_object();

	events_set_data(o, "data", buf, len);
	json_emit(out, i, stream == 1 ? "stdout" : "stderr", o);
}

/* ---------------------------------------------------------------- stream */

static void
stream_line(struct output *out, size_t i, int fd, const char *line, size_t len, int partial)
{
	const char *label = out->labels[i];
	int color = (out->flags & (fd == STDERR_FILENO ? OUT_COLOR_ERR : OUT_COLOR)) != 0;
	size_t cap = strlen(label) + len + 32;
	char *buf = malloc(cap);
	int n = 0;

	if (buf == NULL)
		return;
	if (out->flags & OUT_NOPREFIX)
		n = 0;
	else if (out->mode == OUT_PDSH)
		n = snprintf(buf, cap, "%s: ", label);
	else
		n = snprintf(buf, cap, "%s[%s]%s ", color ? C_PFX : "", label, color ? C_OFF : "");
	memcpy(buf + n, line, len);
	buf[n + len] = '\n';
	/* One write: lines never mix.  pdsh ends a last partial line with nothing. */
	put(out, fd, buf, (size_t)n + len + (partial ? 0 : 1));
	free(buf);
}

static void
stream_data(struct output *out, size_t i, int stream, const char *buf, size_t len)
{
	struct onode *nd = &out->nodes[i];
	int k = stream - 1;
	const char *nl;

	if (nd->line[k] == NULL && (nd->line[k] = malloc(OUT_LINE_MAX)) == NULL)
		return;
	while (len > 0) {
		size_t take = len;

		/* A newline right after a cut ends the line already printed. */
		if (nd->cut[k] && nd->linelen[k] == 0 && *buf == '\n') {
			nd->cut[k] = 0;
			buf++;
			len--;
			continue;
		}
		nd->cut[k] = 0;
		nl = memchr(buf, '\n', len);
		if (nl != NULL)
			take = (size_t)(nl - buf);
		if (take > OUT_LINE_MAX - nd->linelen[k])
			take = OUT_LINE_MAX - nd->linelen[k];
		memcpy(nd->line[k] + nd->linelen[k], buf, take);
		nd->linelen[k] += take;
		buf += take;
		len -= take;
		if (len > 0 && *buf == '\n') {
			stream_line(out, i, stream, nd->line[k], nd->linelen[k], 0);
			nd->linelen[k] = 0;
			buf++;
			len--;
		} else if (nd->linelen[k] == OUT_LINE_MAX) {
			stream_line(out, i, stream, nd->line[k], nd->linelen[k], 0);
			nd->linelen[k] = 0;
			nd->cut[k] = 1;
		}
	}
}

static void
stream_flush(struct output *out, size_t i)
{
	struct onode *nd = &out->nodes[i];
	int k;

	for (k = 0; k < 2; k++) {
		if (nd->linelen[k] > 0)
			stream_line(out, i, k + 1, nd->line[k], nd->linelen[k],
			    out->mode == OUT_PDSH);
		nd->linelen[k] = 0;
		free(nd->line[k]);
		nd->line[k] = NULL;
	}
}

/* ---------------------------------------------------------------- pdsh */

/* pdsh's own lines, word for word: scripts parse them by position. */
static void
pdsh_done(struct output *out, size_t i, int code, const char *kind, const char *msg)
{
	char line[4096];
	int n = 0;

	if (kind != NULL && strcmp(kind, "timeout") == 0) {
		n = snprintf(line, sizeof(line), "%s: %s: command timeout\n", out->host,
		    out->labels[i]);
	} else if (code != 0 && code != -1) {
		if (kind != NULL && msg != NULL)	/* ssh would have said why first */
			n = snprintf(line, sizeof(line), "%s: %s\n", out->labels[i], msg);
		if (n >= 0 && (size_t)n < sizeof(line))
			n += snprintf(line + n, sizeof(line) - (size_t)n,
			    "%s: %s: ssh exited with exit code %d\n", out->host, out->labels[i], code);
	}
	if (n > 0)
		put(out, STDERR_FILENO, line, (size_t)n < sizeof(line) ? (size_t)n : sizeof(line) - 1);
}

/* ---------------------------------------------------------------- files */

static int
open_node_file(struct output *out, size_t i, const char *ext)
{
	char name[1024], path[8192];
	int fd;

	file_label(name, sizeof(name), out->labels[i]);
	snprintf(path, sizeof(path), "%s/%s.%s", out->dir, name, ext);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0644);
	if (fd < 0)
		err_say_sys("%s: create %s", out->labels[i], path);
	return fd;
}

static void
files_start(struct output *out, size_t i)
{
	out->nodes[i].file[0] = open_node_file(out, i, "stdout");
	out->nodes[i].file[1] = open_node_file(out, i, "stderr");
}

static void
files_write_small(struct output *out, size_t i, const char *ext, const char *text)
{
	int fd = open_node_file(out, i, ext);

	if (fd < 0)
		return;
	if (spawn_write_all(fd, text, strlen(text)) != 0)
		err_say_sys("%s: write %s file", out->labels[i], ext);
	close(fd);
}

static void
files_done(struct output *out, size_t i, int code, const char *errmsg)
{
	struct onode *nd = &out->nodes[i];
	char num[32];
	int k;

	for (k = 0; k < 2; k++) {
		if (nd->file[k] >= 0)
			close(nd->file[k]);
		nd->file[k] = -1;
	}
	if (code >= 0) {
		snprintf(num, sizeof(num), "%d\n", code);
		files_write_small(out, i, "exit", num);
	}
	if (errmsg != NULL) {
		char *line = NULL;

		if (asprintf(&line, "%s\n", errmsg) >= 0)
			files_write_small(out, i, "error", line);
		free(line);
	}
}

/* ---------------------------------------------------------------- normal */

static void
fail_line(struct output *out, size_t i, const char *msg)
{
	char label[1024], text[2048], line[4096];
	int color = (out->flags & OUT_COLOR_ERR) != 0;
	int n;

	err_sanitize(label, sizeof(label), out->labels[i]);
	err_sanitize(text, sizeof(text), msg);
	n = snprintf(line, sizeof(line), "%s%s: %s: %s%s\n", color ? C_FAIL : "",
	    err_state.prog, label, text, color ? C_OFF : "");
	if (n > 0)
		put(out, STDERR_FILENO, line, (size_t)n < sizeof(line) ? (size_t)n : sizeof(line) - 1);
}

static void
normal_header(struct output *out, size_t i)
{
	struct onode *nd = &out->nodes[i];
	int color = (out->flags & OUT_COLOR) != 0;
	char line[2048];
	int n;

	if (nd->header || (out->flags & OUT_NOPREFIX))
		return;
	nd->header = 1;
	n = snprintf(line, sizeof(line), "%s=== %s ===%s\n", color ? C_HEAD : "",
	    out->labels[i], color ? C_OFF : "");
	if (n > 0)
		put(out, STDOUT_FILENO, line, (size_t)n < sizeof(line) ? (size_t)n : sizeof(line) - 1);
}

/* Prefix each stderr line with "[node] "; returns a malloc'd copy. */
static char *
prefix_lines(struct output *out, size_t i, const char *buf, size_t len, size_t *outlen)
{
	struct onode *nd = &out->nodes[i];
	const char *label = out->labels[i];
	size_t lines = 1, o = 0, k, plen;
	char pfx[1100], *res;

	plen = (size_t)snprintf(pfx, sizeof(pfx), "[%s] ", label);
	if (plen >= sizeof(pfx))
		plen = sizeof(pfx) - 1;
	for (k = 0; k < len; k++)
		lines += buf[k] == '\n';
	if ((res = malloc(len + lines * plen)) == NULL)
		return NULL;
	for (k = 0; k < len; k++) {
		if (!nd->midline[1]) {
			memcpy(res + o, pfx, plen);
			o += plen;
		}
		res[o++] = buf[k];
		nd->midline[1] = buf[k] != '\n';
	}
	*outlen = o;
	return res;
}

static void
normal_data(struct output *out, size_t i, int stream, const char *buf, size_t len)
{
	struct onode *nd = &out->nodes[i];
	char *pre = NULL;
	size_t plen = len;

	if (stream == 2 && !(out->flags & OUT_NOPREFIX)) {
		if ((pre = prefix_lines(out, i, buf, len, &plen)) == NULL)
			return;
		buf = pre;
	}
	if (i != out->head) {
		if (spill_append(&nd->held[stream - 1], buf, plen) != 0)
			err_say_sys("%s: hold output", out->labels[i]);
	} else {
		if (stream == 1) {
			normal_header(out, i);
			nd->midline[0] = buf[plen - 1] != '\n';
		}
		put(out, stream, buf, plen);
	}
	free(pre);
}

static void
normal_release(struct output *out, size_t i)
{
	struct onode *nd = &out->nodes[i];
	int last;

	if (spill_size(&nd->held[0]) > 0) {
		normal_header(out, i);
		last = spill_last(&nd->held[0]);
		nd->midline[0] = last != '\n';
		if (spill_flush(&nd->held[0], STDOUT_FILENO) != 0 && errno == EPIPE)
			out->broken = 1;
	}
	if (spill_size(&nd->held[1]) > 0)
		(void)spill_flush(&nd->held[1], STDERR_FILENO);
}

static void
normal_trailer(struct output *out, size_t i)
{
	struct onode *nd = &out->nodes[i];

	if (!(out->flags & OUT_NOPREFIX)) {
		if (nd->midline[0])
			put(out, STDOUT_FILENO, "\n", 1);
		if (nd->midline[1])
			put(out, STDERR_FILENO, "\n", 1);
	}
	if (nd->failure != NULL)
		fail_line(out, i, nd->failure);
	free(nd->failure);
	nd->failure = NULL;
}

/* The head finished: print the following nodes' held blocks. */
static void
normal_advance(struct output *out)
{
	while (out->head < out->n) {
		normal_release(out, out->head);
		if (!out->nodes[out->head].done)
			return;
		normal_trailer(out, out->head);
		out->head++;
	}
}

/* ---------------------------------------------------------------- API */

void
output_start(struct output *out, size_t i)
{
	if (out->mode == OUT_FILES)
		files_start(out, i);
	else if (out->mode == OUT_JSON)
		json_emit(out, i, "start", NULL);
}

void
output_data(struct output *out, size_t i, int stream, const char *buf, size_t len)
{
	struct onode *nd = &out->nodes[i];

	if (len == 0)
		return;
	switch (out->mode) {
	case OUT_NORMAL:
		normal_data(out, i, stream, buf, len);
		break;
	case OUT_STREAM:
	case OUT_PDSH:
		stream_data(out, i, stream, buf, len);
		break;
	case OUT_FILES:
		if (nd->file[stream - 1] >= 0 &&
		    spawn_write_all(nd->file[stream - 1], buf, len) != 0) {
			err_say_sys("%s: write output file", out->labels[i]);
			close(nd->file[stream - 1]);
			nd->file[stream - 1] = -1;
		}
		break;
	case OUT_JSON:
		json_data(out, i, stream, buf, len);
		break;
	}
}

void
output_event(struct output *out, size_t i, json_t *ev)
{
	const char *name = json_string_value(json_object_get(ev, "event"));

	if (out->mode != OUT_JSON || name == NULL || strcmp(name, "hello") == 0 ||
	    strcmp(name, "exit") == 0 || strcmp(name, "error") == 0)
		return;
	json_emit(out, i, name, json_deep_copy(ev));
}

static void
json_done(struct output *out, size_t i, int code, const char *errkind, const char *errmsg)
{
	if (code < 0) {
		json_emit(out, i, "skipped", NULL);
		return;
	}
	if (errkind != NULL)
		json_emit(out, i, "error", json_pack("{s:s,s:s}", "kind", errkind,
		    "message", errmsg != NULL ? errmsg : ""));
	json_emit(out, i, "exit", json_pack("{s:i}", "code", code));
}

void
output_done(struct output *out, size_t i, int code, const char *errkind, const char *errmsg)
{
	struct onode *nd = &out->nodes[i];

	nd->done = 1;
	nd->code = code;
	switch (out->mode) {
	case OUT_NORMAL:
		if (errmsg != NULL)
			nd->failure = strdup(errmsg);
		if (i == out->head)
			normal_advance(out);
		break;
	case OUT_STREAM:
		stream_flush(out, i);
		if (errmsg != NULL)
			fail_line(out, i, errmsg);
		break;
	case OUT_PDSH:
		stream_flush(out, i);
		pdsh_done(out, i, code, errkind, errmsg);
		break;
	case OUT_FILES:
		files_done(out, i, code, errkind != NULL || code < 0 ? errmsg : NULL);
		if (errmsg != NULL)
			fail_line(out, i, errmsg);
		break;
	case OUT_JSON:
		json_done(out, i, code, errkind, errmsg);
		break;
	}
}

/* "node[1-3,7]": the labels of the nodes whose code satisfies want. */
static char *
nodes_where(const struct output *out, const int *codes, int (*want)(int))
{
	struct hostlist *hl = hostlist_new();
	struct errbuf eb;
	char *s = NULL;
	size_t i;

	if (hl == NULL)
		return NULL;
	for (i = 0; i < out->n; i++) {
		if (want(codes[i]) && hostlist_push_host(hl, out->labels[i], &eb) != 0)
			break;
	}
	if (i == out->n)
		s = hostmatch_compress(hl);
	hostlist_free(hl);
	return s;
}

static int
is_failure(int code)
{
	return code != 0;
}

static int
is_not_run(int code)
{
	return code == -1;
}

static void
json_summary(struct output *out, size_t failed, int exit_code)
{
	json_t *o = json_pack("{s:s,s:I,s:I,s:I,s:i}", "event", "summary",
	    "nodes", (json_int_t)out->n, "succeeded", (json_int_t)(out->n - failed),
	    "failed", (json_int_t)failed, "exit", exit_code);

	if (o != NULL && !out->broken && events_write(STDOUT_FILENO, o) != 0 && errno == EPIPE)
		out->broken = 1;
	json_decref(o);
}

void
output_finish(struct output *out, const int *codes, int exit_code)
{
	size_t i, failed = 0, notrun = 0;
	char *list;

	for (i = 0; i < out->n; i++) {
		failed += codes[i] != 0;
		notrun += codes[i] == -1;
	}
	if (out->mode == OUT_JSON) {
		json_summary(out, failed, exit_code);
		return;
	}
	if (out->broken || out->mode == OUT_PDSH)
		return;		/* nobody reads us any more; pdsh says nothing */
	if (notrun > 0) {
		list = nodes_where(out, codes, is_not_run);
		err_say("%zu node%s never ran: %s", notrun, notrun == 1 ? "" : "s",
		    list != NULL ? list : "(list too long)");
		free(list);
	}
	if (failed > 0 && out->n > 1) {
		list = nodes_where(out, codes, is_failure);
		err_say("%zu of %zu nodes failed: %s", failed, out->n,
		    list != NULL ? list : "(list too long)");
		free(list);
	}
}
