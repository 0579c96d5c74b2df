/*
 * exitcode: the driver's exit status from every node's status, MPI style.
 *
 * A node's code is its worker's exit status: the remote status, 128+N for
 * a remote signal N, 255 for a failure to connect, authenticate or finish
 * in time; -1 for a node that never ran (fail-fast, interrupted).
 *
 *   EXIT_MAIN_RANK     the main rank's code (default); a main rank that
 *                      never ran counts as 255.
 *   EXIT_ALL_SUCCESS   0 if every node returned 0, else 1.
 *   EXIT_CHECK_ALL     the main rank's code when non-zero, else 1 when any
 *                      other node failed, else 0.
 *   EXIT_ANY_FAILURE   the largest code of all nodes (pdsh -S).
 *   EXIT_ZERO          0 whatever the nodes did (pdsh without -S, which
 *                      reports failures on stderr only).
 */
#ifndef BSSH_EXITCODE_H
#define BSSH_EXITCODE_H

#include <stddef.h>

enum exit_strategy {
	EXIT_MAIN_RANK,
	EXIT_ALL_SUCCESS,
	EXIT_CHECK_ALL,
	EXIT_ANY_FAILURE,
	EXIT_ZERO
};

#define EXITCODE_NOT_RUN	(-1)

/* codes[0..n), main < n is the main rank's index.  n == 0 gives 255. */
int	exitcode_compute(enum exit_strategy s, const int *codes, size_t n, size_t main);

/*
 * The main rank: the node whose host is $BACKENDAI_CLUSTER_HOST when
 * $BACKENDAI_CLUSTER_ROLE is "main" (hosts[i] compared whole and by host
 * part), else node 0.
 */
size_t	exitcode_main_rank(const char *const *hosts, size_t n);

#endif
