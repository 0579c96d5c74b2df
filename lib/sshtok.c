#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <netdb.h>
#include <netinet/in.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sshtok.h"

#define WS		SSHTOK_WHITESPACE
#define SUBPAT_MAX	1024		/* OpenSSH's match_pattern_list() buffer */
#define EXPAND_MAX	(256 * 1024)	/* bytes of an expanded string */

char *
sshtok_strdelim(char **s)
{
	char *old, *p;
	int wspace = 0;

	if (*s == NULL)
		return NULL;
	old = *s;
	if ((p = strpbrk(old, WS "\"=")) == NULL) {
		*s = NULL;
		return old;
	}
	if (*p == '"') {
		memmove(p, p + 1, strlen(p));	/* the NUL too */
		if ((p = strchr(p, '"')) == NULL) {
			*s = NULL;
			return NULL;		/* no closing quote */
		}
		*p = '\0';
		*s = p + strspn(p + 1, WS) + 1;
		return old;
	}
	if (*p == '=')
		wspace = 1;	/* only one '=' may be skipped */
	*p = '\0';
	p += strspn(p + 1, WS) + 1;
	if (*p == '=' && !wspace)
		p += strspn(p + 1, WS) + 1;
	*s = p;
	return old;
}

void
sshtok_argv_free(struct sshtok_argv *a)
{
	free(a->v);
	free(a->buf);
	a->v = NULL;
	a->buf = NULL;
	a->n = 0;
}

static int
push_arg(struct sshtok_argv *a, char *arg, int *cap)
{
	char **nv;

	if (a->n + 2 > *cap) {
		if (*cap >= SSHTOK_MAX_ARGS)
			return -1;
		*cap = *cap * 2;
		if ((nv = realloc(a->v, (size_t)*cap * sizeof(*nv))) == NULL)
			return -2;
		a->v = nv;
	}
	a->v[a->n++] = arg;
	a->v[a->n] = NULL;
	return 0;
}

/* Copy one token starting at s[*ip] into out; 1 if a quote is left open. */
static int
copy_token(const char *s, size_t *ip, char *out, size_t *jp)
{
	size_t i = *ip, j = *jp;
	int quote = 0;

	for (; s[i] != '\0'; i++) {
		if (s[i] == '\\' && (s[i + 1] == '\'' || s[i + 1] == '"' ||
		    s[i + 1] == '\\' || (quote == 0 && s[i + 1] == ' ')))
			out[j++] = s[++i];
		else if (quote == 0 && (s[i] == ' ' || s[i] == '\t'))
			break;
		else if (quote == 0 && (s[i] == '"' || s[i] == '\''))
			quote = s[i];
		else if (quote != 0 && s[i] == quote)
			quote = 0;
		else
			out[j++] = s[i];
	}
	out[j++] = '\0';
	*ip = i;
	*jp = j;
	return s[i] == '\0' && quote != 0;
}

int
sshtok_argv_split(const char *s, struct sshtok_argv *a)
{
	size_t len = strlen(s), i, j = 0;
	int cap = 8, rc;

	a->n = 0;
	a->buf = malloc(2 * len + 2);
	a->v = malloc((size_t)cap * sizeof(*a->v));
	if (a->buf == NULL || a->v == NULL)
		return -2;
	a->v[0] = NULL;
	for (i = 0; s[i] != '\0'; i++) {
		if (s[i] == ' ' || s[i] == '\t')
			continue;
		if (s[i] == '#')
			break;
		if ((rc = push_arg(a, a->buf + j, &cap)) != 0)
			return rc;
		if (copy_token(s, &i, a->buf, &j))
			return -1;
		if (s[i] == '\0')
			break;
	}
	return 0;
}

int
sshtok_match(const char *s, const char *p)
{
	const char *star = NULL, *resume = NULL;

	while (*s != '\0') {
		if (*p == '*') {
			star = p++;
			resume = s;
		} else if (*p != '\0' && (*p == '?' || *p == *s)) {
			p++;
			s++;
		} else if (star != NULL) {
			p = star + 1;
			s = ++resume;
		} else {
			return 0;
		}
	}
	while (*p == '*')
		p++;
	return *p == '\0';
}

int
sshtok_match_list(const char *s, const char *list, int dolower)
{
	char sub[SUBPAT_MAX];
	size_t i = 0, k, len = strlen(list);
	int negated, positive = 0;

	while (i < len) {
		negated = list[i] == '!';
		if (negated)
			i++;
		for (k = 0; i < len && k < sizeof(sub) - 1 && list[i] != ','; k++, i++)
			sub[k] = dolower ? (char)tolower((unsigned char)list[i]) : list[i];
		if (k >= sizeof(sub) - 1)
			return 0;	/* too long: no match, as OpenSSH */
		if (i < len && list[i] == ',')
			i++;
		sub[k] = '\0';
		if (sshtok_match(s, sub)) {
			if (negated)
				return -1;
			positive = 1;
		}
	}
	return positive;
}

char *
sshtok_lower(char *s)
{
	char *p;

	for (p = s; *p != '\0'; p++)
		*p = (char)tolower((unsigned char)*p);
	return s;
}

int
sshtok_match_host(const char *host, const char *list)
{
	char *copy = strdup(host);
	int r;

	if (copy == NULL)
		return 0;
	r = sshtok_match_list(sshtok_lower(copy), list, 1);
	free(copy);
	return r;
}

static long
unit_of(char c)
{
	switch (c) {
	case '\0': case 's': case 'S': return 1;
	case 'm': case 'M': return 60;
	case 'h': case 'H': return 3600;
	case 'd': case 'D': return 86400;
	case 'w': case 'W': return 7 * 86400;
	default: return -1;
	}
}

long
sshtok_convtime(const char *s)
{
	long total = 0, secs, mult;
	char *end;

	if (s == NULL || *s == '\0')
		return -1;
	while (*s != '\0') {
		errno = 0;
		secs = strtol(s, &end, 10);
		if (end == s || errno == ERANGE || secs < 0 || secs > INT_MAX)
			return -1;
		if ((mult = unit_of(*end)) < 0)
			return -1;
		if (*end != '\0')
			end++;
		if (secs > INT_MAX / mult || total > INT_MAX - secs * mult)
			return -1;
		total += secs * mult;
		s = end;
	}
	return total;
}

int
sshtok_env_name(const char *s)
{
	if (!isalpha((unsigned char)*s) && *s != '_')
		return 0;
	for (s++; *s != '\0'; s++) {
		if (!isalnum((unsigned char)*s) && *s != '_')
			return 0;
	}
	return 1;
}

/* A growing output string for sshtok_expand(). */
struct out {
	char	*b;
	size_t	 len, cap;
};

static int
out_put(struct out *o, const char *s, size_t n)
{
	char *nb;

	if (o->len + n + 1 > EXPAND_MAX)
		return -1;
	if (o->len + n + 1 > o->cap) {
		size_t cap = (o->len + n + 1) * 2;

		if ((nb = realloc(o->b, cap)) == NULL)
			return -1;
		o->b = nb;
		o->cap = cap;
	}
	memcpy(o->b + o->len, s, n);
	o->len += n;
	o->b[o->len] = '\0';
	return 0;
}

/* ${NAME} at *sp (just after "${"); advances *sp past '}'. */
static int
expand_env(struct out *o, const char **sp, struct errbuf *eb)
{
	const char *s = *sp, *end = strchr(s, '}');
	char name[256];
	const char *val;
	size_t len;

	if (end == NULL)
		return err_set(eb, "environment variable \"%.40s\" missing closing '}'", s);
	if ((len = (size_t)(end - s)) == 0)
		return err_set(eb, "zero-length environment variable");
	if (len >= sizeof(name))
		return err_set(eb, "environment variable name too long");
	memcpy(name, s, len);
	name[len] = '\0';
	if ((val = getenv(name)) == NULL)
		return err_set(eb, "env var ${%s} has no value", name);
	*sp = end + 1;
	return out_put(o, val, strlen(val)) == 0 ? 0 : err_set(eb, "expansion too long");
}

static int
expand_key(struct out *o, char c, const struct sshtok_key *keys, size_t nkeys,
    struct errbuf *eb)
{
	size_t i;

	if (c == '%')
		return out_put(o, "%", 1) == 0 ? 0 : err_set(eb, "expansion too long");
	if (c == '\0')
		return err_set(eb, "invalid format (lone %%)");
	for (i = 0; i < nkeys; i++) {
		if (keys[i].key == c) {
			if (out_put(o, keys[i].val, strlen(keys[i].val)) != 0)
				return err_set(eb, "expansion too long");
			return 0;
		}
	}
	return err_set(eb, "unknown key %%%c", c);
}

char *
sshtok_expand(const char *s, const struct sshtok_key *keys, size_t nkeys, int flags,
    struct errbuf *eb)
{
	struct out o = { NULL, 0, 0 };
	int rc = out_put(&o, "", 0) == 0 ? 0 : err_set(eb, "out of memory");

	while (rc == 0 && *s != '\0') {
		if ((flags & SSHTOK_DOLLAR) && s[0] == '$' && s[1] == '{') {
			s += 2;
			rc = expand_env(&o, &s, eb);
		} else if ((flags & SSHTOK_PERCENT) && s[0] == '%') {
			rc = expand_key(&o, s[1], keys, nkeys, eb);
			s += 2;
		} else {
			if (out_put(&o, s, 1) != 0)
				rc = err_set(eb, "expansion too long");
			s++;
		}
	}
	if (rc != 0) {
		free(o.b);
		return NULL;
	}
	return o.b;
}

char *
sshtok_tilde(const char *s, const char *home, struct errbuf *eb)
{
	const char *slash, *rest, *dir = home;
	char user[256], *out;
	struct passwd *pw;
	size_t ulen;

	if (*s != '~') {
		if ((out = strdup(s)) == NULL)
			err_set(eb, "out of memory");
		return out;
	}
	s++;
	slash = strchr(s, '/');
	if (slash != NULL && slash > s) {
		if ((ulen = (size_t)(slash - s)) >= sizeof(user)) {
			err_set(eb, "~user: name too long");
			return NULL;
		}
		memcpy(user, s, ulen);
		user[ulen] = '\0';
		if ((pw = getpwnam(user)) == NULL) {
			err_set(eb, "~%s: no such user", user);
			return NULL;
		}
		dir = pw->pw_dir;
	}
	rest = slash != NULL ? slash + 1 : s;
	if (asprintf(&out, "%s%s%s", dir, *dir != '\0' && dir[strlen(dir) - 1] == '/' ?
	    "" : "/", rest) < 0) {
		err_set(eb, "out of memory");
		return NULL;
	}
	return out;
}

int
sshtok_port(const char *s)
{
	struct servent *se;
	char *end;
	long v;

	if (*s >= '0' && *s <= '9') {
		v = strtol(s, &end, 10);
		return *end == '\0' && v >= 1 && v <= 65535 ? (int)v : -1;
	}
	se = getservbyname(s, "tcp");
	return se != NULL ? ntohs((unsigned short)se->s_port) : -1;
}

/* One jump hop: [ssh://][user@]host[:port] with host maybe "[v6]". */
static int
jump_hop(char *h, char **user, char **host, int *port)
{
	char *at, *end;

	*user = NULL;
	*port = -1;
	if (strncmp(h, "ssh://", 6) == 0)
		h += 6;
	if ((at = strrchr(h, '@')) != NULL) {
		if (at == h)
			return -1;
		*at = '\0';
		*user = h;
		h = at + 1;
	}
	if (*h == '[') {
		if ((end = strchr(h, ']')) == NULL || (end[1] != ':' && end[1] != '\0'))
			return -1;
		*end++ = '\0';
		h++;
	} else {
		end = h + strcspn(h, ":");
	}
	*host = h;
	if (*end == ':') {
		*end++ = '\0';
		if ((*port = sshtok_port(end)) < 0)
			return -1;
	}
	return **host == '\0' ? -1 : 0;
}

static int
jump_format(const char *extra, char *last, char **out)
{
	char *user, *host, port[16] = "";
	int p, brackets;

	if (jump_hop(last, &user, &host, &p) != 0)
		return -1;
	if (p > 0)
		snprintf(port, sizeof(port), ":%d", p);
	brackets = strchr(host, ':') != NULL || strspn(host, "0123456789.") == strlen(host);
	return asprintf(out, "%s%s%s%s%s%s%s%s", extra, *extra ? "," : "", user ? user : "",
	    user ? "@" : "", brackets ? "[" : "", host, brackets ? "]" : "", port) < 0 ? -2 : 0;
}

int
sshtok_jump(const char *s, char **out, struct errbuf *eb)
{
	char *copy = strdup(s), *hop, *last, *u, *h;
	size_t len;
	int p, rc = 0;

	*out = NULL;
	if (copy == NULL)
		return err_set(eb, "out of memory");
	copy[strcspn(copy, "#")] = '\0';
	for (len = strlen(copy); len > 0 && strchr(SSHTOK_WHITESPACE, copy[len - 1]); len--)
		copy[len - 1] = '\0';
	if (strcasecmp(copy, "none") == 0) {
		free(copy);
		return (*out = strdup("none")) != NULL ? 0 : err_set(eb, "out of memory");
	}
	if ((last = strrchr(copy, ',')) != NULL)
		*last++ = '\0';
	else
		last = copy;
	for (hop = copy; last != copy && hop != NULL && rc == 0; hop = strchr(hop, ',')) {
		char one[1024];

		hop += *hop == ',';
		snprintf(one, sizeof(one), "%.*s", (int)strcspn(hop, ","), hop);
		rc = jump_hop(one, &u, &h, &p);
	}
	if (rc == 0)
		rc = jump_format(last == copy ? "" : copy, last, out);
	free(copy);
	if (rc != 0)
		return err_set(eb, rc == -2 ? "out of memory" : "invalid ProxyJump");
	return 0;
}
