/*
 * sshdump: a finished struct sshopts printed as `ssh -G' prints its
 * configuration, for the keywords this toolkit uses: one "keyword value"
 * line each, lower-case keywords, in OpenSSH 9.2's order and layout (lists
 * one line per entry, known-hosts files on one line, "none" when empty).
 * Algorithm lists are the ones handed to libssh (its defaults when unset).
 */
#ifndef BSSH_SSHDUMP_H
#define BSSH_SSHDUMP_H

#include <stdio.h>

#include "sshopts.h"

/* Print o on fp; host_arg is the destination host as given. */
void	sshdump_print(const struct sshopts *o, const char *host_arg, FILE *fp);

#endif
