/*
 * output: how the driver shows many nodes' output.
 *
 *   OUT_NORMAL  one block per node, in node order: a "=== node ===" header
 *               on stdout, then the node's stdout bytes; its stderr lines
 *               go to stderr as "[node] line".  The first unfinished node
 *               streams live; the others are held in lib/spill buffers
 *               (bounded memory) until their turn.
 *   OUT_STREAM  "[node] line" as lines complete, stdout to stdout, stderr
 *               to stderr; a line is written with one write(2), so two
 *               nodes never share a line.  Overlong lines are split at
 *               OUT_LINE_MAX bytes.
 *   OUT_FILES   DIR/NODE.stdout, NODE.stderr and NODE.exit (and
 *               NODE.error when the node failed without an exit status).
 *   OUT_JSON    one JSON object per line on stdout (the driver event
 *               stream): start, stdout, stderr, exit, error, skipped and
 *               the worker's own status events, each with "node".
 *   OUT_PDSH    pdsh's bytes: "node: line" as lines complete (a last line
 *               without newline is printed without one, as pdsh does) and
 *               pdsh's failure lines "pdsh@HOST: node: ssh exited with exit
 *               code N" / "... command timeout" on stderr.
 * OUT_NOPREFIX drops headers and prefixes (normal output becomes the raw
 * concatenation of every node's bytes, in node order).
 */
#ifndef BSSH_OUTPUT_H
#define BSSH_OUTPUT_H

#include <stddef.h>

#include <jansson.h>

#include "err.h"

#define OUT_LINE_MAX	65536

enum out_mode {
	OUT_NORMAL,
	OUT_STREAM,
	OUT_FILES,
	OUT_JSON,
	OUT_PDSH
};

#define OUT_NOPREFIX	0x1
#define OUT_COLOR	0x2	/* colour on stdout */
#define OUT_COLOR_ERR	0x4	/* colour on stderr */

struct output;

/*
 * labels[0..n) name the nodes (borrowed; they must outlive the output).
 * dir is the OUT_FILES directory (created if missing).  NULL with eb set.
 */
struct output	*output_new(enum out_mode mode, int flags, const char *dir,
		    const char *const *labels, size_t n, struct errbuf *eb);
void		 output_free(struct output *out);

void		 output_start(struct output *out, size_t i);
/* stream 1 = stdout, 2 = stderr */
void		 output_data(struct output *out, size_t i, int stream, const char *buf,
		    size_t len);
/* A worker status event (JSON mode forwards it). */
void		 output_event(struct output *out, size_t i, json_t *ev);
/*
 * Node i ended: code is its exit code, -1 when it never ran; errmsg is our
 * own failure text (connect, auth, timeout...) or NULL.
 */
void		 output_done(struct output *out, size_t i, int code, const char *errkind,
		    const char *errmsg);
/*
 * The end of the run, codes[i] being node i's status (-1: never ran):
 * in JSON mode a final {"event":"summary",...} object with exit_code;
 * otherwise, on stderr, the nodes that never ran and those that failed,
 * folded into hostlist ranges ("3 of 20 nodes failed: web[2,7-8]").
 */
void		 output_finish(struct output *out, const int *codes, int exit_code);

/* 1 once writing to stdout failed (EPIPE: nobody is reading). */
int		 output_broken(const struct output *out);

#endif
