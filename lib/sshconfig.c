#include "config.h"

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <netdb.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "spawn.h"
#include "slurp.h"
#include "sshconfig.h"
#include "sshmatch.h"
#include "sshtok.h"
#include "timeutil.h"

#define LINE_MAX_BYTES	(64 * 1024)
#define FILE_MAX_BYTES	(1024 * 1024)
#define TOTAL_MAX_BYTES	(16 * 1024 * 1024)
#define FILES_MAX	256
#define DEPTH_MAX	16
#define EXECS_MAX	64
#define READS_MAX	1024	/* files processed, the same one counted each time */

#define F_USERCONF	0x1	/* a user file: Include may use ~, relative is ~/.ssh */
#define F_CHECKPERM	0x2	/* refuse a file others may write */
#define F_NEVERMATCH	0x4	/* included from an inactive block: parse only */

/* A file read once and kept for the final pass. */
struct cfile {
	char		*path;
	char		*data;
	size_t		 len;
	struct cfile	*next;
};

struct ctx {
	struct sshopts			*o;
	const struct sshconfig_params	*p;
	const char			*host;		/* what Host lines match */
	int				 final;
	int				 want_final;
	struct cfile			*cache;
	size_t				 nfiles, nreads, bytes;
	int				 nexec;
	const char			*home;
	char				 luser[256];
	char				 uid[32];
	char				 thishost[256];
	char				 shorthost[256];
	struct errbuf			*eb;
};

static int	read_file(struct ctx *, const char *, int, int *, int);

static int
fail(struct ctx *c, const char *file, int line, const char *fmt, ...)
{
	char msg[400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return err_set(c->eb, "%s:%d: %s", file, line, msg);
}

/* The %-tokens for host h, remote user r, port p (hash and port buffers given). */
static size_t
token_keys(struct ctx *c, struct sshtok_key *k, const char *h, const char *r, int port,
    const char *alias, char portbuf[16], char hash[41])
{
	snprintf(portbuf, 16, "%d", port);
	sshmatch_conn_hash(c->thishost, h, portbuf, r, hash);
	k[0] = (struct sshtok_key){ 'C', hash };
	k[1] = (struct sshtok_key){ 'L', c->shorthost };
	k[2] = (struct sshtok_key){ 'd', c->home };
	k[3] = (struct sshtok_key){ 'h', h };
	k[4] = (struct sshtok_key){ 'k', alias };
	k[5] = (struct sshtok_key){ 'l', c->thishost };
	k[6] = (struct sshtok_key){ 'n', c->p->host_arg };
	k[7] = (struct sshtok_key){ 'p', portbuf };
	k[8] = (struct sshtok_key){ 'r', r };
	k[9] = (struct sshtok_key){ 'u', c->luser };
	k[10] = (struct sshtok_key){ 'i', c->uid };
	return 11;
}

/* Run cmd without a shell: 1 exit 0, 0 other exit, -1 error (eb set). */
static int
run_exec(struct ctx *c, const char *cmd, const char *file, int line)
{
	int ms = c->p->exec_ms > 0 ? c->p->exec_ms : SSHCONFIG_EXEC_MS, r;
	struct errbuf xb;

	if (++c->nexec > EXECS_MAX)
		return fail(c, file, line, "Match exec: more than %d commands", EXECS_MAX);
	err_debug(2, "%s line %d: Match exec: %s", file, line, cmd);
	if ((r = sshmatch_exec(cmd, ms, &xb)) < 0)
		return fail(c, file, line, "Match exec \"%.100s\": %s", cmd, xb.msg);
	if (r == 2) {
		err_warn("%s line %d: Match exec \"%.100s\": %s", file, line, cmd, xb.msg);
		return 0;	/* as a shell's 127: no match */
	}
	return r;
}

/* Match exec: expand the tokens of arg, then run it (when result is 1). */
static int
match_exec(struct ctx *c, const char *arg, const char *host, const char *ruser, int port,
    int result, const char *file, int line)
{
	struct sshtok_key keys[11];
	char portbuf[16], hash[41], *cmd;
	struct errbuf xb;
	size_t nk;
	int r;

	nk = token_keys(c, keys, host, ruser, port, c->o->host_key_alias != NULL ?
	    c->o->host_key_alias : host, portbuf, hash);
	if ((cmd = sshtok_expand(arg, keys, nk, SSHTOK_PERCENT, &xb)) == NULL)
		return fail(c, file, line, "Match exec: %s", xb.msg);
	if (result != 1 || (c->p->flags & SSHCONFIG_NO_EXEC)) {
		free(cmd);
		return result != 1 ? 2 : 0;	/* 2: skipped, leaves result alone */
	}
	r = run_exec(c, cmd, file, line);
	free(cmd);
	return r;
}

/* The host Match host compares: HostName (%h expanded) once set. */
static char *
match_hostname(struct ctx *c)
{
	struct sshtok_key k = { 'h', c->p->host_arg };
	struct errbuf xb;

	if (c->final || c->o->hostname == NULL)
		return strdup(c->final && c->o->hostname ? c->o->hostname : c->p->host_arg);
	return sshtok_expand(c->o->hostname, &k, 1, SSHTOK_PERCENT, &xb);
}

struct mstate {
	char		*host;		/* Match host */
	const char	*ruser;		/* the remote user so far */
	int		 port;
	int		 result;
	int		 nevermatch;
	const char	*file;
	int		 line;
};

/* One criterion with an argument: 1 match, 0 no match, 2 skipped, -1 error. */
static int
criterion(struct ctx *c, struct mstate *m, const char *attrib, const char *arg)
{
	if (strcasecmp(attrib, "host") == 0)
		return sshtok_match_host(m->host, arg) == 1;
	if (strcasecmp(attrib, "originalhost") == 0)
		return sshtok_match_host(c->p->host_arg, arg) == 1;
	if (strcasecmp(attrib, "user") == 0)
		return sshtok_match_list(m->ruser, arg, 0) == 1;
	if (strcasecmp(attrib, "localuser") == 0)
		return sshtok_match_list(c->luser, arg, 0) == 1;
	if (strcasecmp(attrib, "exec") == 0)
		return match_exec(c, arg, m->host, m->ruser, m->port,
		    m->nevermatch ? 0 : m->result, m->file, m->line);
	return fail(c, m->file, m->line, "Match: unsupported attribute %s", attrib);
}

/* "all": alone, or right after canonical/final.  0 go on, 1 done, -1 error. */
static int
match_all(struct ctx *c, struct mstate *m, char **cp, int negate, int attributes)
{
	char *arg = NULL;

	if (attributes > 1 || ((arg = sshtok_strdelim(cp)) != NULL && *arg != '\0' &&
	    *arg != '#'))
		return fail(c, m->file, m->line,
		    "Match: 'all' cannot be combined with other attributes");
	if (arg != NULL && *arg == '#')
		*cp = NULL;
	if (m->result)
		m->result = !negate;
	return 1;
}

/* OpenSSH's match_cfg_line(): 1 match, 0 no match, -1 error; *condp moves on. */
static int
match_line(struct ctx *c, char **condp, struct mstate *m)
{
	char *cp = *condp, *attrib, *arg;
	int negate, r, attributes = 0;

	while ((attrib = sshtok_strdelim(&cp)) != NULL && *attrib != '\0') {
		if (*attrib == '#') {
			cp = NULL;
			break;
		}
		if ((negate = attrib[0] == '!'))
			attrib++;
		if (strcasecmp(attrib, "all") == 0) {
			if ((r = match_all(c, m, &cp, negate, attributes)) < 0)
				return -1;
			break;
		}
		attributes++;
		if (strcasecmp(attrib, "canonical") == 0 || strcasecmp(attrib, "final") == 0) {
			if (strcasecmp(attrib, "final") == 0 && !c->final)
				c->want_final = 1;
			if (c->final == negate)
				m->result = 0;
			continue;
		}
		if ((arg = sshtok_strdelim(&cp)) == NULL || *arg == '\0' || *arg == '#')
			return fail(c, m->file, m->line, "Match: missing criteria for %s", attrib);
		if ((r = criterion(c, m, attrib, arg)) < 0)
			return -1;
		if (r != 2 && r == negate)
			m->result = 0;
	}
	if (attributes == 0 && (attrib == NULL || strcasecmp(attrib, "all") != 0))
		return fail(c, m->file, m->line, "Match: one or more attributes required");
	*condp = cp;
	return m->result;
}

static int
do_match(struct ctx *c, const char *str, int *active, int flags, const char *file, int line)
{
	struct mstate m = { NULL, NULL, 0, 1, (flags & F_NEVERMATCH) != 0, file, line };
	char *copy = strdup(str), *cp = copy;
	int r;

	m.ruser = c->o->user != NULL ? c->o->user : c->luser;
	m.port = c->o->port > 0 ? c->o->port : 22;
	if (copy == NULL || (m.host = match_hostname(c)) == NULL) {
		free(copy);
		return fail(c, file, line, "Match: cannot expand HostName");
	}
	r = match_line(c, &cp, &m);
	if (r >= 0 && cp != NULL && *cp != '\0')
		r = fail(c, file, line, "match: extra arguments at end of line");
	if (r >= 0) {
		*active = (flags & F_NEVERMATCH) ? 0 : r;
		err_debug(3, "%s line %d: match %sfound", file, line, r ? "" : "not ");
	}
	free(m.host);
	free(copy);
	return r < 0 ? -1 : 0;
}

static int
do_host(struct ctx *c, const struct sshtok_argv *av, int *active, int flags,
    const char *file, int line)
{
	const char *arg;
	int i, negated;

	*active = 0;
	for (i = 0; i < av->n; i++) {
		arg = av->v[i];
		if (*arg == '\0')
			return fail(c, file, line, "host: empty argument");
		if (flags & F_NEVERMATCH)
			break;
		if ((negated = *arg == '!'))
			arg++;
		if (!sshtok_match(c->host, arg))
			continue;
		if (negated) {
			err_debug(2, "%s line %d: skipping Host block: negated match for %s",
			    file, line, arg);
			*active = 0;
			break;
		}
		*active = 1;
	}
	if (*active)
		err_debug(2, "%s line %d: applying options for %s", file, line, c->host);
	return 0;
}

static int
path_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The glob pattern of one Include argument, ~ and the relative base applied. */
static char *
include_pattern(struct ctx *c, const char *arg, int flags, const char *file, int line)
{
	char *rel = NULL, *pat, *dir, *slash;
	struct errbuf xb;

	if (*arg == '~' && !(flags & F_USERCONF)) {
		fail(c, file, line, "include: bad include path %s", arg);
		return NULL;
	}
	if (*arg != '/' && *arg != '~') {
		if (flags & F_USERCONF) {
			if (asprintf(&rel, "~/.ssh/%s", arg) < 0)
				rel = NULL;
		} else if ((dir = strdup(c->p->system_file ? c->p->system_file :
		    SSHCONFIG_SYSTEM_FILE)) != NULL) {
			slash = strrchr(dir, '/');
			if (slash != NULL)
				*slash = '\0';
			if (asprintf(&rel, "%s/%s", slash != NULL ? dir : ".", arg) < 0)
				rel = NULL;
			free(dir);
		}
		if (rel == NULL) {
			fail(c, file, line, "include: out of memory");
			return NULL;
		}
	}
	pat = sshtok_tilde(rel != NULL ? rel : arg, c->home, &xb);
	free(rel);
	if (pat == NULL)
		fail(c, file, line, "include %s: %s", arg, xb.msg);
	return pat;
}

/* Read every file the pattern matches, in strcmp order. */
static int
include_glob(struct ctx *c, const char *pat, int *active, int flags, int depth,
    const char *file, int line)
{
	int oactive = *active, r = 0, sub;
	glob_t gl;
	size_t i;

	memset(&gl, 0, sizeof(gl));
	if ((r = glob(pat, GLOB_NOSORT, NULL, &gl)) == GLOB_NOMATCH) {
		err_debug(1, "%s line %d: include %s matched no files", file, line, pat);
		return 0;
	}
	if (r != 0)
		return fail(c, file, line, "include: glob failed for %s", pat);
	qsort(gl.gl_pathv, gl.gl_pathc, sizeof(char *), path_cmp);
	sub = (flags & ~F_NEVERMATCH) | F_CHECKPERM | (oactive ? 0 : F_NEVERMATCH);
	for (i = 0; i < gl.gl_pathc && r == 0; i++) {
		err_debug(3, "%s line %d: including file %s depth %d%s", file, line,
		    gl.gl_pathv[i], depth, oactive ? "" : " (parse only)");
		r = read_file(c, gl.gl_pathv[i], sub, active, depth + 1);
		if (r == 0 && errno != ENOENT)
			r = fail(c, file, line, "include %s: %s", gl.gl_pathv[i], strerror(errno));
		r = r < 0 ? -1 : 0;
		*active = oactive;	/* an included Match does not leak out */
	}
	globfree(&gl);
	return r;
}

static int
do_include(struct ctx *c, const struct sshtok_argv *av, int *active, int flags, int depth,
    const char *file, int line)
{
	char *pat;
	int i, r = 0;

	for (i = 0; i < av->n && r == 0; i++) {
		if (*av->v[i] == '\0')
			return fail(c, file, line, "include: empty argument");
		if ((pat = include_pattern(c, av->v[i], flags, file, line)) == NULL)
			return -1;
		if (!(c->p->flags & SSHCONFIG_NO_INCLUDE))
			r = include_glob(c, pat, active, flags, depth, file, line);
		free(pat);
	}
	return r;
}

/* Any other keyword: lib/sshopts. */
static int
do_option(struct ctx *c, const char *kw, const char *rest, const struct sshtok_argv *av,
    int active, const char *file, int line)
{
	enum sshopts_use use;
	struct errbuf vb;

	if (sshopts_apply(c->o, kw, rest, av->v, av->n, active ? SSHOPTS_ACTIVE : 0, &use,
	    &vb) != 0)
		return fail(c, file, line, "%s", vb.msg);
	if (use == SSHOPTS_IGNORED)
		err_debug(1, "%s line %d: %s: ignored (not used by this program)", file, line, kw);
	else if (use == SSHOPTS_UNKNOWN_OK)
		err_debug(1, "%s line %d: ignored unknown option \"%s\"", file, line, kw);
	return 0;
}

/* One line (modified in place), as OpenSSH's process_config_line(). */
static int
process_line(struct ctx *c, char *line, const char *file, int lnum, int *active,
    int flags, int depth)
{
	struct sshtok_argv av = { NULL, 0, NULL };
	size_t len = strlen(line);
	char *s = line, *kw;
	int rc;

	while (len > 0 && strchr(SSHTOK_WHITESPACE "\f", line[len - 1]) != NULL)
		line[--len] = '\0';
	if ((kw = sshtok_strdelim(&s)) != NULL && *kw == '\0')
		kw = sshtok_strdelim(&s);
	if (kw == NULL || *kw == '\0' || *kw == '#')
		return 0;
	sshtok_lower(kw);
	if (s != NULL)
		s += strspn(s, SSHTOK_WHITESPACE);
	if (s == NULL || *s == '\0')
		return fail(c, file, lnum, "%s: no argument after keyword", kw);
	if ((rc = sshtok_argv_split(s, &av)) != 0)
		rc = fail(c, file, lnum, "%s: %s", kw, rc == -1 ? "invalid quotes" : "out of memory");
	else if (strcmp(kw, "host") == 0)
		rc = do_host(c, &av, active, flags, file, lnum);
	else if (strcmp(kw, "match") == 0)
		rc = do_match(c, s, active, flags, file, lnum);
	else if (strcmp(kw, "include") == 0)
		rc = do_include(c, &av, active, flags, depth, file, lnum);
	else
		rc = do_option(c, kw, s, &av, *active, file, lnum);
	sshtok_argv_free(&av);
	return rc;
}

static int
process_text(struct ctx *c, const char *data, size_t len, const char *file, int flags,
    int *active, int depth)
{
	char *line = malloc(LINE_MAX_BYTES + 1);
	size_t off = 0, n;
	const char *nl;
	int lnum = 0, rc = 0;

	if (line == NULL)
		return err_set(c->eb, "%s: out of memory", file);
	while (rc == 0 && off < len) {
		nl = memchr(data + off, '\n', len - off);
		n = nl != NULL ? (size_t)(nl - (data + off)) : len - off;
		lnum++;
		if (n > LINE_MAX_BYTES || memchr(data + off, '\0', n) != NULL) {
			rc = n > LINE_MAX_BYTES ? fail(c, file, lnum, "line longer than %d bytes",
			    LINE_MAX_BYTES) : fail(c, file, lnum, "NUL byte in line");
			break;
		}
		memcpy(line, data + off, n);
		line[n] = '\0';
		rc = process_line(c, line, file, lnum, active, flags, depth);
		off += n + 1;
	}
	free(line);
	return rc;
}

/* Read all of fd (at most FILE_MAX_BYTES) into a new cache entry. */
static int
slurp(struct ctx *c, int fd, const char *path, struct cfile **out)
{
	struct cfile *f = calloc(1, sizeof(*f));
	size_t budget = c->bytes < TOTAL_MAX_BYTES ? TOTAL_MAX_BYTES - c->bytes : 0;

	if (f == NULL || (f->path = strdup(path)) == NULL) {
		err_set(c->eb, "%s: out of memory", path);
		goto fail;
	}
	if (slurp_fd(fd, budget < FILE_MAX_BYTES ? budget : FILE_MAX_BYTES,
	    &f->data, &f->len) != 0) {
		if (errno == EFBIG)
			err_set(c->eb, "%s: larger than %d bytes", path, FILE_MAX_BYTES);
		else
			err_set_sys(c->eb, "%s: read", path);
		goto fail;
	}
	c->bytes += f->len;
	f->next = c->cache;
	c->cache = f;
	*out = f;
	return 0;
fail:
	if (f != NULL)
		free(f->path);
	free(f);
	return -1;
}

static int
load(struct ctx *c, const char *path, int flags, struct cfile **out)
{
	struct cfile *f;
	struct stat st;
	int fd, rc;

	for (f = c->cache; f != NULL; f = f->next) {
		if (strcmp(f->path, path) == 0) {
			*out = f;
			return 1;
		}
	}
	if (++c->nfiles > FILES_MAX)
		return err_set(c->eb, "%s: more than %d configuration files", path, FILES_MAX);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY)) < 0)
		return 0;
	if ((flags & F_CHECKPERM) && (fstat(fd, &st) != 0 ||
	    (st.st_uid != 0 && st.st_uid != getuid()) || (st.st_mode & 022) != 0)) {
		close(fd);
		return err_set(c->eb, "%s: bad owner or permissions", path);
	}
	rc = slurp(c, fd, path, out);
	close(fd);
	return rc == 0 ? 1 : -1;
}

static int
read_file(struct ctx *c, const char *path, int flags, int *active, int depth)
{
	struct cfile *f = NULL;
	int rc;

	if (depth > DEPTH_MAX)
		return err_set(c->eb, "%s: more than %d levels of Include", path, DEPTH_MAX);
	if (++c->nreads > READS_MAX)
		return err_set(c->eb, "%s: more than %d file reads", path, READS_MAX);
	if ((rc = load(c, path, flags, &f)) != 1)
		return rc;
	err_debug(2, "reading configuration data %s%s", path, c->final ? " (final pass)" : "");
	return process_text(c, f->data, f->len, path, flags, active, depth) == 0 ? 1 : -1;
}

/* One pass over the files, as ssh's process_config_files(). */
static int
read_all(struct ctx *c)
{
	const struct sshconfig_params *p = c->p;
	char user[4096];
	int active = 1, rc;

	if (p->text != NULL)
		return process_text(c, p->text, p->text_len, p->file ? p->file : "(config)",
		    F_USERCONF, &active, 0);
	if (p->file != NULL) {
		if (strcasecmp(p->file, "none") == 0)
			return 0;
		if ((rc = read_file(c, p->file, F_USERCONF, &active, 0)) == 0)
			return err_set_sys(c->eb, "%s: cannot open", p->file);
		return rc < 0 ? -1 : 0;
	}
	snprintf(user, sizeof(user), "%s/.ssh/config", c->home);
	if (read_file(c, user, F_USERCONF | F_CHECKPERM, &active, 0) < 0)
		return -1;
	active = 1;
	return read_file(c, p->system_file ? p->system_file : SSHCONFIG_SYSTEM_FILE, 0,
	    &active, 0) < 0 ? -1 : 0;
}

/* The host after HostName, as ssh: %h expanded; an address canonical, a name lower-cased. */
static int
resolve_host(struct ctx *c)
{
	struct sshtok_key k = { 'h', c->p->host_arg };
	struct addrinfo hints, *res = NULL;
	char addr[NI_MAXHOST], *h;
	struct errbuf xb;

	h = c->o->hostname != NULL ? sshtok_expand(c->o->hostname, &k, 1, SSHTOK_PERCENT, &xb) :
	    strdup(c->p->host_arg);
	if (h == NULL)
		return err_set(c->eb, "HostName %s: %s", c->o->hostname,
		    c->o->hostname ? xb.msg : "out of memory");
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = c->o->address_family >= 0 ? c->o->address_family : AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV;
	if (getaddrinfo(h, "22", &hints, &res) == 0 && res != NULL && res->ai_next == NULL &&
	    getnameinfo(res->ai_addr, res->ai_addrlen, addr, sizeof(addr), NULL, 0,
	    NI_NUMERICHOST) == 0) {
		free(h);
		h = strdup(addr);
	} else {
		sshtok_lower(h);
	}
	if (res != NULL)
		freeaddrinfo(res);
	free(c->o->hostname);
	c->o->hostname = h;
	return h != NULL ? 0 : err_set(c->eb, "out of memory");
}

/* *s = expansion of *s (tilde first when home is set). */
static int
expand_one(char **s, const char *home, const struct sshtok_key *k, size_t nk, int flags,
    const char *what, struct errbuf *eb)
{
	char *t = NULL, *x;
	struct errbuf xb;

	if (home != NULL && (t = sshtok_tilde(*s, home, &xb)) == NULL)
		return err_set(eb, "%s %s: %s", what, *s, xb.msg);
	x = sshtok_expand(t != NULL ? t : *s, k, nk, flags, &xb);
	free(t);
	if (x == NULL)
		return err_set(eb, "%s %s: %s", what, *s, xb.msg);
	free(*s);
	*s = x;
	return 0;
}

/* What ssh expands once the configuration is complete. */
static int
expand_tokens(struct ctx *c)
{
	struct sshopts *o = c->o;
	struct sshtok_key k[11];
	char portbuf[16], hash[41];
	const int pd = SSHTOK_PERCENT | SSHTOK_DOLLAR;
	size_t nk, i;

	if (o->host_key_alias != NULL)
		sshtok_lower(o->host_key_alias);
	nk = token_keys(c, k, o->hostname, o->user, o->port,
	    o->host_key_alias != NULL ? o->host_key_alias : c->p->host_arg, portbuf, hash);
	if (o->remote_command != NULL && expand_one(&o->remote_command, NULL, k, nk,
	    SSHTOK_PERCENT, "RemoteCommand", c->eb) != 0)
		return -1;
	if (o->identity_agent != NULL && expand_one(&o->identity_agent, c->home, k, nk, pd,
	    "IdentityAgent", c->eb) != 0)
		return -1;
	for (i = 0; i < o->n_user_known_hosts; i++) {
		if (expand_one(&o->user_known_hosts[i], NULL, k, nk, pd, "UserKnownHostsFile",
		    c->eb) != 0)
			return -1;
	}
	for (i = 0; i < o->n_identity_files; i++) {
		free(o->identity_files[i]);
		if ((o->identity_files[i] = strdup(o->identity_raw[i])) == NULL ||
		    expand_one(&o->identity_files[i], c->home, k, nk, pd, "IdentityFile",
		    c->eb) != 0)
			return -1;
	}
	return 0;
}

static void
ctx_init(struct ctx *c, struct sshopts *o, const struct sshconfig_params *p,
    struct errbuf *eb)
{
	struct passwd *pw = getpwuid(getuid());

	memset(c, 0, sizeof(*c));
	c->o = o;
	c->p = p;
	c->eb = eb;
	c->host = p->host_arg;
	c->home = sshopts_home();
	snprintf(c->luser, sizeof(c->luser), "%s", pw != NULL ? pw->pw_name : "root");
	snprintf(c->uid, sizeof(c->uid), "%lu", (unsigned long)getuid());
	if (gethostname(c->thishost, sizeof(c->thishost)) != 0)
		snprintf(c->thishost, sizeof(c->thishost), "localhost");
	c->thishost[sizeof(c->thishost) - 1] = '\0';
	snprintf(c->shorthost, sizeof(c->shorthost), "%.*s",
	    (int)strcspn(c->thishost, "."), c->thishost);
}

int
sshconfig_resolve(struct sshopts *o, const struct sshconfig_params *p, struct errbuf *eb)
{
	struct cfile *f, *next;
	struct ctx c;
	int rc;

	ctx_init(&c, o, p, eb);
	rc = read_all(&c);
	if (rc == 0)
		rc = resolve_host(&c);
	if (rc == 0 && c.want_final) {
		err_debug(1, "re-parsing configuration (Match final)");
		c.final = 1;
		c.host = o->hostname;
		rc = read_all(&c);
	}
	for (f = c.cache; f != NULL; f = next) {
		next = f->next;
		free(f->path);
		free(f->data);
		free(f);
	}
	if (rc == 0)
		rc = sshopts_finish(o, eb);
	return rc == 0 ? expand_tokens(&c) : -1;
}
