/*
 * sshalgspec: algorithm lists (Ciphers, MACs, KexAlgorithms,
 * HostKeyAlgorithms) with OpenSSH's "+append", "-remove" and "^prepend"
 * modifiers and patterns, resolved against libssh 0.10's own default and
 * supported lists, because libssh 0.10 takes plain lists only.
 *
 * Validation accepts every name OpenSSH 9.2 knows (so an ssh_config that
 * ssh accepts is accepted); resolution keeps only what libssh supports, in
 * OpenSSH's order (kex_assemble_names()), and an empty result is an error.
 */
#ifndef BSSH_SSHALGSPEC_H
#define BSSH_SSHALGSPEC_H

#include "err.h"

enum sshalgspec_kind {
	SSHALGSPEC_CIPHERS,
	SSHALGSPEC_MACS,
	SSHALGSPEC_KEX,
	SSHALGSPEC_HOSTKEYS
};

/* libssh's default list for kind. */
const char	*sshalgspec_default(enum sshalgspec_kind k);

/*
 * Whether spec is a valid value for kind, as OpenSSH checks it when it
 * reads the line: a "-" list is not checked; otherwise (after a "+" or
 * "^") every name must be known; HostKeyAlgorithms may hold patterns that
 * match a known name.
 */
int		 sshalgspec_valid(enum sshalgspec_kind k, const char *spec);

/*
 * The plain list to hand libssh for spec (NULL: the default), malloc'd;
 * NULL with eb set when nothing libssh supports is left or on no memory.
 */
char		*sshalgspec_resolve(enum sshalgspec_kind k, const char *spec, struct errbuf *eb);

#endif
