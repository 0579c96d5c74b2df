#include "config.h"

#include <sys/socket.h>

#include <ctype.h>
#include <pwd.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "sshopts.h"
#include "timeutil.h"

enum kind {
	K_STR,		/* char * */
	K_LIST,		/* char *[SSHOPTS_MAX_LIST] + count */
	K_PATHLIST,	/* like K_LIST, with ~ expanded; "none" clears */
	K_BOOL,		/* int, enum opt_bool */
	K_PORT,		/* int 1..65535 */
	K_SECONDS,	/* long seconds, "none" = 0 */
	K_COUNT,	/* long >= 0 */
	K_SHK,
	K_FAMILY,
	K_LOGLEVEL
};

struct keyword {
	const char	*name;
	enum kind	 kind;
	size_t		 off;		/* field in struct sshopts */
	size_t		 count_off;	/* list length field (lists only) */
};

#define F(f)	offsetof(struct sshopts, f)

static const struct keyword keywords[] = {
	{ "addressfamily",		K_FAMILY,	F(address_family), 0 },
	{ "batchmode",			K_BOOL,		F(batch_mode), 0 },
	{ "ciphers",			K_STR,		F(ciphers), 0 },
	{ "compression",		K_BOOL,		F(compression), 0 },
	{ "connecttimeout",		K_SECONDS,	F(connect_timeout), 0 },
	{ "connectionattempts",		K_COUNT,	F(connection_attempts), 0 },
	{ "globalknownhostsfile",	K_PATHLIST,	F(global_known_hosts), F(n_global_known_hosts) },
	{ "hashknownhosts",		K_BOOL,		F(hash_known_hosts), 0 },
	{ "hostkeyalgorithms",		K_STR,		F(hostkey_algorithms), 0 },
	{ "hostname",			K_STR,		F(hostname), 0 },
	{ "identitiesonly",		K_BOOL,		F(identities_only), 0 },
	{ "identityagent",		K_STR,		F(identity_agent), 0 },
	{ "identityfile",		K_PATHLIST,	F(identity_files), F(n_identity_files) },
	{ "kbdinteractiveauthentication", K_BOOL,	F(kbdint_auth), 0 },
	{ "kexalgorithms",		K_STR,		F(kex_algorithms), 0 },
	{ "loglevel",			K_LOGLEVEL,	F(log_level), 0 },
	{ "macs",			K_STR,		F(macs), 0 },
	{ "passwordauthentication",	K_BOOL,		F(password_auth), 0 },
	{ "port",			K_PORT,		F(port), 0 },
	{ "preferredauthentications",	K_STR,		F(preferred_auth), 0 },
	{ "pubkeyauthentication",	K_BOOL,		F(pubkey_auth), 0 },
	{ "serveralivecountmax",	K_COUNT,	F(server_alive_count_max), 0 },
	{ "serveraliveinterval",	K_SECONDS,	F(server_alive_interval), 0 },
	{ "stricthostkeychecking",	K_SHK,		F(strict), 0 },
	{ "user",			K_STR,		F(user), 0 },
	{ "userknownhostsfile",		K_PATHLIST,	F(user_known_hosts), F(n_user_known_hosts) },
};

#define FIELD(o, kw, type)	((type *)(void *)((char *)(o) + (kw)->off))

void
sshopts_init(struct sshopts *o)
{
	memset(o, 0, sizeof(*o));
	o->identities_only = OPT_UNSET;
	o->hash_known_hosts = OPT_UNSET;
	o->connect_timeout = -1;
	o->connection_attempts = -1;
	o->server_alive_interval = -1;
	o->server_alive_count_max = -1;
	o->address_family = -1;
	o->batch_mode = OPT_UNSET;
	o->password_auth = OPT_UNSET;
	o->pubkey_auth = OPT_UNSET;
	o->kbdint_auth = OPT_UNSET;
	o->compression = OPT_UNSET;
	o->log_level = -1;
}

static void
free_list(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i]);
}

void
sshopts_free(struct sshopts *o)
{
	size_t i;

	for (i = 0; i < sizeof(keywords) / sizeof(keywords[0]); i++) {
		const struct keyword *kw = &keywords[i];

		if (kw->kind == K_STR)
			free(*FIELD(o, kw, char *));
		else if (kw->kind == K_LIST || kw->kind == K_PATHLIST)
			free_list(FIELD(o, kw, char *), *(size_t *)(void *)((char *)o + kw->count_off));
	}
	sshopts_init(o);
}

const char *
sshopts_home(void)
{
	const char *h = getenv("HOME");
	struct passwd *pw;

	if (h != NULL && *h == '/')
		return h;
	pw = getpwuid(getuid());
	return pw != NULL && pw->pw_dir != NULL ? pw->pw_dir : "/";
}

const char *
sshopts_shk_name(enum shk_mode m)
{
	switch (m) {
	case SHK_YES:
		return "yes";
	case SHK_NO:
		return "no";
	case SHK_ACCEPT_NEW:
		return "accept-new";
	default:
		return "unset";
	}
}

int
sshopts_parse_shk(const char *s, enum shk_mode *m, struct errbuf *eb)
{
	if (strcasecmp(s, "yes") == 0 || strcasecmp(s, "true") == 0)
		*m = SHK_YES;
	else if (strcasecmp(s, "no") == 0 || strcasecmp(s, "off") == 0 ||
	    strcasecmp(s, "false") == 0)
		*m = SHK_NO;
	else if (strcasecmp(s, "accept-new") == 0 || strcasecmp(s, "ask") == 0 ||
	    strcasecmp(s, "tofu") == 0)
		*m = SHK_ACCEPT_NEW;	/* no one to ask across a cluster */
	else
		return err_set(eb, "\"%s\": not yes, accept-new or no", s);
	return 0;
}

static int
parse_bool(const char *v, int *out, struct errbuf *eb)
{
	if (strcasecmp(v, "yes") == 0 || strcasecmp(v, "true") == 0)
		*out = OPT_YES;
	else if (strcasecmp(v, "no") == 0 || strcasecmp(v, "false") == 0)
		*out = OPT_NO;
	else
		return err_set(eb, "\"%s\": not yes or no", v);
	return 0;
}

static int
parse_family(const char *v, int *out, struct errbuf *eb)
{
	if (strcasecmp(v, "any") == 0)
		*out = AF_UNSPEC;
	else if (strcasecmp(v, "inet") == 0)
		*out = AF_INET;
	else if (strcasecmp(v, "inet6") == 0)
		*out = AF_INET6;
	else
		return err_set(eb, "\"%s\": not any, inet or inet6", v);
	return 0;
}

static int
parse_loglevel(const char *v, int *out, struct errbuf *eb)
{
	static const char *const names[] = { "quiet", "fatal", "error", "info",
	    "verbose", "debug", "debug1", "debug2", "debug3" };
	static const int levels[] = { 0, 0, 0, 0, 1, 1, 1, 2, 3 };
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (strcasecmp(v, names[i]) == 0) {
			*out = levels[i];
			return 0;
		}
	}
	return err_set(eb, "\"%s\": not a log level", v);
}

/* "~/x" -> "$HOME/x"; other values are copied. */
static char *
expand_tilde(const char *v)
{
	char *out;

	if (v[0] == '~' && (v[1] == '/' || v[1] == '\0')) {
		if (asprintf(&out, "%s%s", sshopts_home(), v + 1) < 0)
			return NULL;
		return out;
	}
	return strdup(v);
}

static int
set_list(struct sshopts *o, const struct keyword *kw, const char *v, struct errbuf *eb)
{
	char **list = FIELD(o, kw, char *);
	size_t *n = (size_t *)(void *)((char *)o + kw->count_off);
	char *copy;

	if (*n >= SSHOPTS_MAX_LIST)
		return err_set(eb, "%s: more than %d values", kw->name, SSHOPTS_MAX_LIST);
	copy = kw->kind == K_PATHLIST ? expand_tilde(v) : strdup(v);
	if (copy == NULL)
		return err_set(eb, "%s: out of memory", kw->name);
	list[(*n)++] = copy;
	return 0;
}

static int
is_set(const struct sshopts *o, const struct keyword *kw)
{
	switch (kw->kind) {
	case K_STR:
		return *FIELD(o, kw, char *) != NULL;
	case K_LIST:
	case K_PATHLIST:
		return 0;	/* lists accumulate */
	case K_PORT:
		return *FIELD(o, kw, int) != 0;
	case K_SECONDS:
	case K_COUNT:
		return *FIELD(o, kw, long) >= 0;
	case K_SHK:
		return *FIELD(o, kw, enum shk_mode) != SHK_UNSET;
	default:
		return *FIELD(o, kw, int) != -1;
	}
}

static int
set_value(struct sshopts *o, const struct keyword *kw, const char *v, struct errbuf *eb)
{
	int64_t ms;
	long n;

	switch (kw->kind) {
	case K_STR:
		if ((*FIELD(o, kw, char *) = strdup(v)) == NULL)
			return err_set(eb, "out of memory");
		return 0;
	case K_LIST:
	case K_PATHLIST:
		return set_list(o, kw, v, eb);
	case K_BOOL:
		return parse_bool(v, FIELD(o, kw, int), eb);
	case K_PORT:
		if (time_parse_int(v, 1, 65535, &n, eb) != 0)
			return -1;
		*FIELD(o, kw, int) = (int)n;
		return 0;
	case K_SECONDS:
		if (strcasecmp(v, "none") == 0)
			ms = 0;
		else if (time_parse_seconds(v, 86400 * 365, &ms, eb) != 0)
			return -1;
		*FIELD(o, kw, long) = (long)((ms + 999) / 1000);
		return 0;
	case K_COUNT:
		return time_parse_int(v, 0, 1000000, FIELD(o, kw, long), eb);
	case K_SHK:
		return sshopts_parse_shk(v, FIELD(o, kw, enum shk_mode), eb);
	case K_FAMILY:
		return parse_family(v, FIELD(o, kw, int), eb);
	case K_LOGLEVEL:
		return parse_loglevel(v, FIELD(o, kw, int), eb);
	}
	return err_set(eb, "internal error");
}

int
sshopts_set(struct sshopts *o, const char *keyword, const char *value, struct errbuf *eb)
{
	struct errbuf vb;
	size_t i;

	for (i = 0; i < sizeof(keywords) / sizeof(keywords[0]); i++) {
		const struct keyword *kw = &keywords[i];

		if (strcasecmp(keyword, kw->name) != 0)
			continue;
		if (is_set(o, kw))
			return 0;	/* the first value obtained wins */
		if (set_value(o, kw, value, &vb) != 0)
			return err_set(eb, "%s %s: %s", keyword, value, vb.msg);
		return 0;
	}
	return err_set(eb, "%s: unsupported option", keyword);
}

int
sshopts_set_arg(struct sshopts *o, const char *arg, struct errbuf *eb)
{
	char key[64];
	const char *v;
	size_t klen = strcspn(arg, "= \t");

	if (klen == 0 || klen >= sizeof(key) || arg[klen] == '\0')
		return err_set(eb, "\"%s\": not Key=Value", arg);
	memcpy(key, arg, klen);
	key[klen] = '\0';
	v = arg + klen;
	while (*v == ' ' || *v == '\t')
		v++;
	if (*v == '=')
		v++;
	while (*v == ' ' || *v == '\t')
		v++;
	if (*v == '\0')
		return err_set(eb, "\"%s\": no value", arg);
	return sshopts_set(o, key, v, eb);
}

static int
add_default_path(char **list, size_t *n, const char *rel)
{
	if (asprintf(&list[*n], "%s/%s", sshopts_home(), rel) < 0)
		return -1;
	(*n)++;
	return 0;
}

static int
default_files(struct sshopts *o, int no_identities)
{
	static const char *const ids[] = { ".ssh/id_ed25519", ".ssh/id_ecdsa", ".ssh/id_rsa" };
	size_t i;

	if (!no_identities && !(o->identities_only == OPT_YES && o->n_identity_files > 0)) {
		for (i = 0; i < 3 && o->n_identity_files < SSHOPTS_MAX_LIST; i++) {
			if (add_default_path(o->identity_files, &o->n_identity_files, ids[i]) != 0)
				return -1;
		}
	}
	if (o->n_user_known_hosts == 0) {
		if (add_default_path(o->user_known_hosts, &o->n_user_known_hosts,
		    ".ssh/known_hosts") != 0 ||
		    add_default_path(o->user_known_hosts, &o->n_user_known_hosts,
		    ".ssh/known_hosts2") != 0)
			return -1;
	}
	if (o->n_global_known_hosts == 0) {
		o->global_known_hosts[0] = strdup("/etc/ssh/ssh_known_hosts");
		o->global_known_hosts[1] = strdup("/etc/ssh/ssh_known_hosts2");
		o->n_global_known_hosts = 2;
		if (o->global_known_hosts[0] == NULL || o->global_known_hosts[1] == NULL)
			return -1;
	}
	return 0;
}

static int
default_user(struct sshopts *o)
{
	struct passwd *pw;

	if (o->user != NULL)
		return 0;
	pw = getpwuid(getuid());
	o->user = strdup(pw != NULL ? pw->pw_name : "root");
	return o->user == NULL ? -1 : 0;
}

/* "none" in a file list means "no file". */
static void
drop_none(char **list, size_t *n)
{
	if (*n == 1 && strcasecmp(list[0], "none") == 0) {
		free(list[0]);
		*n = 0;
	}
}

int
sshopts_finish(struct sshopts *o, struct errbuf *eb)
{
	int gk_none = o->n_global_known_hosts == 1 &&
	    strcasecmp(o->global_known_hosts[0], "none") == 0;
	int uk_none = o->n_user_known_hosts == 1 &&
	    strcasecmp(o->user_known_hosts[0], "none") == 0;
	int id_none = o->n_identity_files == 1 &&
	    strcasecmp(o->identity_files[0], "none") == 0;

	if (default_user(o) != 0 || default_files(o, id_none) != 0)
		return err_set(eb, "options: out of memory");
	if (gk_none)
		drop_none(o->global_known_hosts, &o->n_global_known_hosts);
	if (uk_none)
		drop_none(o->user_known_hosts, &o->n_user_known_hosts);
	if (id_none)
		drop_none(o->identity_files, &o->n_identity_files);
	if (o->port == 0)
		o->port = 22;
	if (o->strict == SHK_UNSET)
		o->strict = SHK_ACCEPT_NEW;
#define DEF(field, v)	do { if (o->field < 0) o->field = (v); } while (0)
	DEF(identities_only, OPT_NO);
	DEF(hash_known_hosts, OPT_NO);
	DEF(connect_timeout, 0);
	DEF(server_alive_interval, 0);
	DEF(server_alive_count_max, 3);
	DEF(address_family, AF_UNSPEC);
	DEF(batch_mode, OPT_NO);
	DEF(password_auth, OPT_YES);
	DEF(pubkey_auth, OPT_YES);
	DEF(kbdint_auth, OPT_YES);
	DEF(compression, OPT_NO);
	DEF(log_level, 0);
	DEF(connection_attempts, 1);
#undef DEF
	if (o->connection_attempts == 0)
		o->connection_attempts = 1;
	return 0;
}
