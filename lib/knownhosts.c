#include "config.h"

#include <sys/file.h>
#include <sys/stat.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include "knownhosts.h"
#include "slurp.h"
#include "spawn.h"

#define SHA1_LEN	20

/* One parsed line; fields point into the caller's buffer. */
struct khline {
	const char	*marker;	/* NULL, "@revoked", "@cert-authority" */
	const char	*hosts;
	size_t		 hostslen;
	const char	*type;
	size_t		 typelen;
	const char	*key;
	size_t		 keylen;
};

static int	b64_decode(const char *in, size_t inlen, unsigned char *out, size_t outmax);

void
knownhosts_name(char *dst, size_t len, const char *host, int port)
{
	size_t i;

	if (port == 0 || port == 22)
		snprintf(dst, len, "%s", host);
	else
		snprintf(dst, len, "[%s]:%d", host, port);
	for (i = 0; dst[i] != '\0'; i++)
		dst[i] = (char)tolower((unsigned char)dst[i]);
}

/* * and ? wildcards, case-insensitive; [ ] are literal as in OpenSSH. */
static int
wildmatch(const char *s, const char *p, size_t plen)
{
	const char *star_p = NULL, *star_s = NULL, *pend = p + plen;

	while (*s != '\0') {
		if (p < pend && (*p == '?' ||
		    tolower((unsigned char)*p) == tolower((unsigned char)*s))) {
			s++;
			p++;
		} else if (p < pend && *p == '*') {
			star_p = ++p;
			star_s = s;
		} else if (star_p != NULL) {
			p = star_p;
			s = ++star_s;
		} else {
			return 0;
		}
	}
	while (p < pend && *p == '*')
		p++;
	return p == pend;
}

int
knownhosts_match_patterns(const char *name, const char *patterns, size_t len)
{
	const char *p = patterns, *end = patterns + len;
	int matched = 0;

	while (p < end) {
		const char *comma = memchr(p, ',', (size_t)(end - p));
		size_t plen = comma != NULL ? (size_t)(comma - p) : (size_t)(end - p);
		int neg = plen > 0 && *p == '!';

		if (neg && wildmatch(name, p + 1, plen - 1))
			return 0;	/* a negation vetoes the whole line */
		if (!neg && plen > 0 && wildmatch(name, p, plen))
			matched = 1;
		p += plen + 1;
	}
	return matched;
}

static int
b64_decode(const char *in, size_t inlen, unsigned char *out, size_t outmax)
{
	unsigned char tmp[256];
	int n, pad = 0;

	if (inlen == 0 || inlen % 4 != 0 || inlen / 4 * 3 > sizeof(tmp))
		return -1;
	if (in[inlen - 1] == '=')
		pad++;
	if (in[inlen - 2] == '=')
		pad++;
	n = EVP_DecodeBlock(tmp, (const unsigned char *)in, (int)inlen);
	if (n < 0 || (size_t)(n - pad) > outmax)
		return -1;
	memcpy(out, tmp, (size_t)(n - pad));
	return n - pad;
}

/* |1|salt|hash: HMAC-SHA1(salt, name) == hash. */
static int
match_hashed(const char *name, const char *h, size_t hlen)
{
	unsigned char salt[64], want[64], got[EVP_MAX_MD_SIZE];
	unsigned int glen = 0;
	const char *bar;
	int slen, wlen;

	if (hlen < 4 || memcmp(h, "|1|", 3) != 0)
		return 0;
	h += 3;
	hlen -= 3;
	bar = memchr(h, '|', hlen);
	if (bar == NULL)
		return 0;
	slen = b64_decode(h, (size_t)(bar - h), salt, sizeof(salt));
	wlen = b64_decode(bar + 1, hlen - (size_t)(bar - h) - 1, want, sizeof(want));
	if (slen <= 0 || wlen != SHA1_LEN)
		return 0;
	if (HMAC(EVP_sha1(), salt, slen, (const unsigned char *)name, strlen(name),
	    got, &glen) == NULL || glen != SHA1_LEN)
		return 0;
	return CRYPTO_memcmp(got, want, SHA1_LEN) == 0;
}

/* Split the next whitespace-separated field off *p. */
static const char *
field(const char **p, const char *end, size_t *flen)
{
	const char *s = *p, *e;

	while (s < end && (*s == ' ' || *s == '\t'))
		s++;
	e = s;
	while (e < end && *e != ' ' && *e != '\t')
		e++;
	*flen = (size_t)(e - s);
	*p = e;
	return *flen > 0 ? s : NULL;
}

static int
parse_line(const char *s, size_t len, struct khline *kl)
{
	const char *p = s, *end = s + len, *f;
	size_t flen;

	memset(kl, 0, sizeof(*kl));
	f = field(&p, end, &flen);
	if (f == NULL || *f == '#')
		return -1;
	if (*f == '@') {
		if (flen == 8 && memcmp(f, "@revoked", 8) == 0)
			kl->marker = "@revoked";
		else if (flen == 15 && memcmp(f, "@cert-authority", 15) == 0)
			kl->marker = "@cert-authority";
		else
			return -1;
		f = field(&p, end, &flen);
		if (f == NULL)
			return -1;
	}
	kl->hosts = f;
	kl->hostslen = flen;
	kl->type = field(&p, end, &kl->typelen);
	kl->key = field(&p, end, &kl->keylen);
	return kl->type != NULL && kl->key != NULL ? 0 : -1;
}

static int
line_matches_host(const struct khline *kl, const char *name)
{
	if (kl->hosts[0] == '|')
		return match_hashed(name, kl->hosts, kl->hostslen);
	return knownhosts_match_patterns(name, kl->hosts, kl->hostslen);
}

static int
field_eq(const char *f, size_t flen, const char *s)
{
	return strlen(s) == flen && memcmp(f, s, flen) == 0;
}

static void
verdict(struct kh_result *res, enum kh_status st, const char *fname, long lineno,
    const struct khline *kl)
{
	static const int rank[] = { 0, 3, 2, 1, 4 };	/* by enum kh_status */

	if (rank[st] <= rank[res->status])
		return;
	res->status = st;
	snprintf(res->file, sizeof(res->file), "%s", fname);
	res->line = lineno;
	snprintf(res->keytype, sizeof(res->keytype), "%.*s", (int)kl->typelen, kl->type);
}

static void
check_line(const char *s, size_t len, const char *fname, long lineno, const char *name,
    const char *keytype, const char *b64key, struct kh_result *res)
{
	struct khline kl;
	int same_type, same_key;

	if (parse_line(s, len, &kl) != 0 || !line_matches_host(&kl, name))
		return;
	if (kl.marker != NULL && kl.marker[1] == 'c')
		return;
	same_type = field_eq(kl.type, kl.typelen, keytype);
	same_key = same_type && field_eq(kl.key, kl.keylen, b64key);
	if (kl.marker != NULL) {
		if (same_key)
			verdict(res, KH_REVOKED, fname, lineno, &kl);
		return;
	}
	if (same_key)
		verdict(res, KH_OK, fname, lineno, &kl);
	else if (same_type)
		verdict(res, KH_CHANGED, fname, lineno, &kl);
	else
		verdict(res, KH_OTHER, fname, lineno, &kl);
}

void
knownhosts_check_buf(const char *data, size_t len, const char *fname, const char *name,
    const char *keytype, const char *b64key, struct kh_result *res)
{
	const char *p = data, *end = data + len;
	long lineno = 0;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t llen = nl != NULL ? (size_t)(nl - p) : (size_t)(end - p);

		lineno++;
		if (llen > 0 && p[llen - 1] == '\r')
			llen--;
		check_line(p, llen, fname, lineno, name, keytype, b64key, res);
		if (nl == NULL)
			break;
		p = nl + 1;
	}
}

/* The rest of fd (bounded), with our messages. */
static int
read_rest(int fd, const char *path, char **data, size_t *len, struct errbuf *eb)
{
	if (slurp_fd(fd, KH_FILE_MAX, data, len) == 0)
		return 0;
	if (errno == EFBIG)
		return err_set(eb, "%s: larger than %ld bytes", path, KH_FILE_MAX);
	return err_set_sys(eb, "read %s", path);
}

static int
check_file(const char *path, const char *name, const char *keytype, const char *b64key,
    struct kh_result *res, struct errbuf *eb)
{
	char *data = NULL;
	size_t len = 0;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0 && (errno == ENOENT || errno == ENOTDIR))
		return 0;
	if (fd < 0)
		return err_set_sys(eb, "open %s", path);
	if (read_rest(fd, path, &data, &len, eb) != 0) {
		close(fd);
		return -1;
	}
	close(fd);
	knownhosts_check_buf(data, len, path, name, keytype, b64key, res);
	free(data);
	return 0;
}

int
knownhosts_check(const char *const *files, size_t nfiles, const char *name,
    const char *keytype, const char *b64key, struct kh_result *res, struct errbuf *eb)
{
	size_t i;

	memset(res, 0, sizeof(*res));
	for (i = 0; i < nfiles; i++) {
		if (check_file(files[i], name, keytype, b64key, res, eb) != 0)
			return -1;
	}
	return 0;
}

static int
hashed_name(const char *name, char *out, size_t outlen)
{
	unsigned char salt[SHA1_LEN], mac[EVP_MAX_MD_SIZE];
	unsigned char s64[64], m64[64];
	unsigned int mlen = 0;

	if (RAND_bytes(salt, sizeof(salt)) != 1)
		return -1;
	if (HMAC(EVP_sha1(), salt, sizeof(salt), (const unsigned char *)name, strlen(name),
	    mac, &mlen) == NULL)
		return -1;
	EVP_EncodeBlock(s64, salt, sizeof(salt));
	EVP_EncodeBlock(m64, mac, (int)mlen);
	snprintf(out, outlen, "|1|%s|%s", s64, m64);
	return 0;
}

/* Create the known_hosts directory (one level) like OpenSSH: mode 0700. */
static int
ensure_dir(const char *file, struct errbuf *eb)
{
	char dir[4096];
	char *slash;

	snprintf(dir, sizeof(dir), "%s", file);
	slash = strrchr(dir, '/');
	if (slash == NULL || slash == dir)
		return 0;
	*slash = '\0';
	if (mkdir(dir, 0700) != 0 && errno != EEXIST)
		return err_set_sys(eb, "mkdir %s", dir);
	return 0;
}

static int
append_line(int fd, const char *data, size_t len, const char *name, const char *keytype,
    const char *b64key, int hash, struct errbuf *eb, const char *file)
{
	char hname[256], *line;
	const char *lead = (len > 0 && data[len - 1] != '\n') ? "\n" : "";
	int n, rc;

	if (hash && hashed_name(name, hname, sizeof(hname)) != 0)
		return err_set(eb, "%s: cannot hash host name", file);
	n = asprintf(&line, "%s%s %s %s\n", lead, hash ? hname : name, keytype, b64key);
	if (n < 0)
		return err_set(eb, "%s: out of memory", file);
	rc = spawn_write_all(fd, line, (size_t)n);
	free(line);
	if (rc != 0)
		return err_set_sys(eb, "write %s", file);
	return 0;
}

int
knownhosts_add(const char *file, const char *name, const char *keytype,
    const char *b64key, int flags, struct kh_result *res, struct errbuf *eb)
{
	char *data = NULL;
	size_t len = 0;
	int fd, rc = -1;

	memset(res, 0, sizeof(*res));
	if (ensure_dir(file, eb) != 0)
		return -1;
	fd = open(file, O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC | O_NOCTTY, 0600);
	if (fd < 0)
		return err_set_sys(eb, "open %s", file);
	while (flock(fd, LOCK_EX) != 0) {
		if (errno != EINTR) {
			err_set_sys(eb, "lock %s", file);
			goto out;
		}
	}
	/* Someone may have written while we waited for the lock. */
	if (read_rest(fd, file, &data, &len, eb) != 0)
		goto out;
	knownhosts_check_buf(data, len, file, name, keytype, b64key, res);
	if (res->status != KH_UNKNOWN &&
	    !(res->status == KH_OTHER && (flags & KH_ADD_OTHER))) {
		rc = 0;
		goto out;
	}
	rc = append_line(fd, data, len, name, keytype, b64key, flags & KH_ADD_HASH, eb, file);
out:
	free(data);
	close(fd);	/* releases the lock */
	return rc;
}
