/*
 * knownhosts: OpenSSH known_hosts files, checked and appended by us
 * (libssh 0.10 ignores @revoked and cannot do accept-new).
 *
 * A line is  [@revoked|@cert-authority] patterns keytype base64 [comment].
 * patterns is a comma list of names with * and ? wildcards and ! negation,
 * or one hashed name |1|salt|hmac (HMAC-SHA1 of the name keyed by salt).
 * The lookup name is "host" for port 22 and "[host]:port" otherwise,
 * lower-cased, as OpenSSH writes it.
 *
 * Verdicts, in priority order over every line of every file:
 *   KH_REVOKED  a matching @revoked line holds this key;
 *   KH_OK       a matching plain line holds this key;
 *   KH_CHANGED  a matching plain line holds another key of the same type;
 *   KH_OTHER    matching lines hold keys of other types only;
 *   KH_UNKNOWN  nothing matches.
 * @cert-authority lines are skipped (no certificate support).
 */
#ifndef BSSH_KNOWNHOSTS_H
#define BSSH_KNOWNHOSTS_H

#include <stddef.h>

#include "err.h"

#define KH_NAME_MAX	1100
#define KH_FILE_MAX	(64L * 1024 * 1024)	/* bytes read from one file */

enum kh_status {
	KH_UNKNOWN = 0,
	KH_OK,
	KH_CHANGED,
	KH_OTHER,
	KH_REVOKED
};

struct kh_result {
	enum kh_status	status;
	char		file[4096];	/* where the deciding line is */
	long		line;		/* 1-based; 0 when none */
	char		keytype[64];	/* its key type */
};

/* The lookup name for host and port, lower-cased, into dst. */
void	knownhosts_name(char *dst, size_t len, const char *host, int port);

/*
 * Check name/keytype/key (base64 blob) against files in order; a missing
 * file counts as empty.  Returns 0 with *res filled, or -1 with eb set when
 * a file exists but cannot be read.
 */
int	knownhosts_check(const char *const *files, size_t nfiles, const char *name,
	    const char *keytype, const char *b64key, struct kh_result *res, struct errbuf *eb);

/*
 * Check the text data (len bytes) as if it were file fname, folding the
 * verdict into *res (which the caller zeroes first).  Never fails.
 */
void	knownhosts_check_buf(const char *data, size_t len, const char *fname,
	    const char *name, const char *keytype, const char *b64key, struct kh_result *res);

#define KH_ADD_HASH	0x1	/* write the name hashed (|1|salt|hmac) */
#define KH_ADD_OTHER	0x2	/* also add when only other key types are known */

/*
 * Record a new key: take an exclusive lock on file (creating it 0600, and
 * its directory 0700 if missing), check again under the lock, and append
 * "name keytype b64key" unless the key is there by now.  *res gets the
 * verdict found under the lock: KH_UNKNOWN (or KH_OTHER with KH_ADD_OTHER)
 * means the line was appended, KH_OK that another writer added it first,
 * anything else that the key must be refused.  0 or -1 with eb set.
 */
int	knownhosts_add(const char *file, const char *name, const char *keytype,
	    const char *b64key, int flags, struct kh_result *res, struct errbuf *eb);

/* 1 if name matches the comma pattern list (OpenSSH semantics), else 0. */
int	knownhosts_match_patterns(const char *name, const char *patterns, size_t len);

#endif
