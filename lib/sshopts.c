#include "config.h"

#include <sys/socket.h>

#include <ctype.h>
#include <netdb.h>
#include <netinet/in.h>
#include <pwd.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "sshalgspec.h"
#include "sshoptlist.h"
#include "sshopts.h"
#include "sshtok.h"
#include "timeutil.h"

enum kind {
	K_STR,		/* char *, one argument */
	K_CMD,		/* char *, the rest of the line (ProxyCommand, RemoteCommand) */
	K_JUMP,		/* ProxyJump */
	K_AGENT,	/* IdentityAgent: a path or an environment form */
	K_FLAG,		/* int: yes/no/true/false */
	K_MULTI,	/* int from a name table */
	K_SHK,		/* enum shk_mode */
	K_TIME,		/* long seconds; "none" leaves it unset */
	K_INT,		/* long 0..INT_MAX */
	K_PORT,		/* int 1..65535 or a service name */
	K_LOGLEVEL,
	K_ALGS,		/* an algorithm list; aux = enum sshalgspec_kind */
	K_IDFILE,	/* IdentityFile: accumulates, duplicates dropped */
	K_HOSTFILES,	/* known hosts: a list from the first line */
	K_SENDENV,	/* accumulates; "-pattern" removes */
	K_SETENV	/* NAME=VALUE list from the first line */
};

struct multi {
	const char	*name;
	int		 val;
};

struct keyword {
	const char		*name;		/* lower case; the table is sorted */
	enum kind		 kind;
	size_t			 off;		/* field in struct sshopts */
	size_t			 aux;		/* list count field, or algorithm kind */
	const struct multi	*ms;		/* K_MULTI, K_FLAG */
};

static const struct multi ms_flag[] = { { "true", 1 }, { "false", 0 }, { "yes", 1 },
    { "no", 0 }, { NULL, 0 } };
static const struct multi ms_family[] = { { "inet", AF_INET }, { "inet6", AF_INET6 },
    { "any", AF_UNSPEC }, { NULL, 0 } };
static const struct multi ms_tty[] = { { "true", RTTY_YES }, { "yes", RTTY_YES },
    { "false", RTTY_NO }, { "no", RTTY_NO }, { "force", RTTY_FORCE }, { "auto", RTTY_AUTO },
    { NULL, 0 } };
static const struct multi ms_compression[] = { { "yes", 1 }, { "no", 0 }, { NULL, 0 } };
static const struct multi ms_pubkey[] = { { "true", OPT_YES }, { "false", OPT_NO },
    { "yes", OPT_YES }, { "no", OPT_NO }, { "unbound", PUBKEY_UNBOUND },
    { "host-bound", PUBKEY_HOST_BOUND }, { NULL, 0 } };

#define F(f)		offsetof(struct sshopts, f)
#define LIST(f)		F(f), F(n_##f)

static const struct keyword keywords[] = {
	{ "addressfamily",		K_MULTI,	F(address_family), 0, ms_family },
	{ "batchmode",			K_FLAG,		F(batch_mode), 0, ms_flag },
	{ "challengeresponseauthentication", K_FLAG,	F(kbdint_auth), 0, ms_flag },
	{ "ciphers",			K_ALGS,		F(ciphers), SSHALGSPEC_CIPHERS, NULL },
	{ "compression",		K_MULTI,	F(compression), 0, ms_compression },
	{ "connectionattempts",		K_INT,		F(connection_attempts), 0, NULL },
	{ "connecttimeout",		K_TIME,		F(connect_timeout), 0, NULL },
	{ "dsaauthentication",		K_MULTI,	F(pubkey_auth), 0, ms_pubkey },
	{ "globalknownhostsfile",	K_HOSTFILES,	LIST(global_known_hosts), NULL },
	{ "hashknownhosts",		K_FLAG,		F(hash_known_hosts), 0, ms_flag },
	{ "hostkeyalgorithms",		K_ALGS,		F(hostkey_algorithms), SSHALGSPEC_HOSTKEYS,
	    NULL },
	{ "hostkeyalias",		K_STR,		F(host_key_alias), 0, NULL },
	{ "hostname",			K_STR,		F(hostname), 0, NULL },
	{ "identitiesonly",		K_FLAG,		F(identities_only), 0, ms_flag },
	{ "identityagent",		K_AGENT,	F(identity_agent), 0, NULL },
	{ "identityfile",		K_IDFILE,	LIST(identity_files), NULL },
	{ "identityfile2",		K_IDFILE,	LIST(identity_files), NULL },
	{ "ignoreunknown",		K_STR,		F(ignored_unknown), 0, NULL },
	{ "kbdinteractiveauthentication", K_FLAG,	F(kbdint_auth), 0, ms_flag },
	{ "kexalgorithms",		K_ALGS,		F(kex_algorithms), SSHALGSPEC_KEX, NULL },
	{ "loglevel",			K_LOGLEVEL,	F(log_level_ssh), 0, NULL },
	{ "macs",			K_ALGS,		F(macs), SSHALGSPEC_MACS, NULL },
	{ "numberofpasswordprompts",	K_INT,		F(number_of_password_prompts), 0, NULL },
	{ "passwordauthentication",	K_FLAG,		F(password_auth), 0, ms_flag },
	{ "port",			K_PORT,		F(port), 0, NULL },
	{ "preferredauthentications",	K_STR,		F(preferred_auth), 0, NULL },
	{ "proxycommand",		K_CMD,		F(proxy_command), 0, NULL },
	{ "proxyjump",			K_JUMP,		F(proxy_jump), 0, NULL },
	{ "pubkeyauthentication",	K_MULTI,	F(pubkey_auth), 0, ms_pubkey },
	{ "remotecommand",		K_CMD,		F(remote_command), 0, NULL },
	{ "requesttty",			K_MULTI,	F(request_tty), 0, ms_tty },
	{ "sendenv",			K_SENDENV,	LIST(send_env), NULL },
	{ "serveralivecountmax",	K_INT,		F(server_alive_count_max), 0, NULL },
	{ "serveraliveinterval",	K_TIME,		F(server_alive_interval), 0, NULL },
	{ "setenv",			K_SETENV,	LIST(set_env), NULL },
	{ "skeyauthentication",		K_FLAG,		F(kbdint_auth), 0, ms_flag },
	{ "stricthostkeychecking",	K_SHK,		F(strict), 0, NULL },
	{ "tisauthentication",		K_FLAG,		F(kbdint_auth), 0, ms_flag },
	{ "user",			K_STR,		F(user), 0, NULL },
	{ "userknownhostsfile",		K_HOSTFILES,	LIST(user_known_hosts), NULL },
};

/*
 * The other keywords of OpenSSH 9.2's ssh_config(5) (Debian's build, with
 * the GSSAPI key exchange patch), and the obsolete names it still accepts:
 * parsed, not used.  Sorted.
 */
static const char *const ignored[] = {
	"addkeystoagent", "afstokenpassing", "bindaddress", "bindinterface",
	"canonicaldomains", "canonicalizefallbacklocal", "canonicalizehostname",
	"canonicalizemaxdots", "canonicalizepermittedcnames", "casignaturealgorithms",
	"certificatefile", "checkhostip", "cipher", "clearallforwardings",
	"compressionlevel", "controlmaster", "controlpath", "controlpersist",
	"dynamicforward", "enableescapecommandline", "enablesshkeysign", "escapechar",
	"exitonforwardfailure", "fallbacktorsh", "fingerprinthash",
	"forkafterauthentication", "forwardagent", "forwardx11", "forwardx11timeout",
	"forwardx11trusted", "gatewayports", "globalknownhostsfile2",
	"gssapiauthentication", "gssapiclientidentity", "gssapidelegatecredentials",
	"gssapikexalgorithms", "gssapikeyexchange", "gssapirenewalforcesrekey",
	"gssapiserveridentity", "gssapitrustdns", "hostbasedacceptedalgorithms",
	"hostbasedauthentication", "hostbasedkeytypes", "ipqos", "kbdinteractivedevices",
	"keepalive", "kerberosauthentication", "kerberostgtpassing", "knownhostscommand",
	"localcommand", "localforward", "logverbose", "nohostauthenticationforlocalhost",
	"permitlocalcommand", "permitremoteopen", "pkcs11provider", "protocol",
	"proxyusefdpass", "pubkeyacceptedalgorithms", "pubkeyacceptedkeytypes",
	"rekeylimit", "remoteforward", "requiredrsasize", "revokedhostkeys",
	"rhostsauthentication", "rhostsrsaauthentication", "rsaauthentication",
	"securitykeyprovider", "sessiontype", "smartcarddevice", "stdinnull",
	"streamlocalbindmask", "streamlocalbindunlink", "syslogfacility", "tcpkeepalive",
	"tunnel", "tunneldevice", "updatehostkeys", "useprivilegedport", "userknownhostsfile2",
	"useroaming", "usersh", "verifyhostkeydns", "visualhostkey", "xauthlocation",
};

#define NKEYWORDS	(sizeof(keywords) / sizeof(keywords[0]))
#define NIGNORED	(sizeof(ignored) / sizeof(ignored[0]))
#define FIELD(o, kw, type)	((type *)(void *)((char *)(o) + (kw)->off))
#define COUNT(o, kw)		((size_t *)(void *)((char *)(o) + (kw)->aux))

static int
kw_cmp(const void *key, const void *elt)
{
	return strcmp(key, ((const struct keyword *)elt)->name);
}

static int
str_cmp(const void *key, const void *elt)
{
	return strcmp(key, *(const char *const *)elt);
}

void
sshopts_init(struct sshopts *o)
{
	memset(o, 0, sizeof(*o));
	o->identities_only = o->hash_known_hosts = o->batch_mode = OPT_UNSET;
	o->password_auth = o->pubkey_auth = o->kbdint_auth = o->compression = OPT_UNSET;
	o->connect_timeout = o->connection_attempts = -1;
	o->server_alive_interval = o->server_alive_count_max = -1;
	o->number_of_password_prompts = -1;
	o->address_family = o->log_level = o->log_level_ssh = o->request_tty = -1;
}

static void
free_list(char **v, size_t n)
{
	size_t i;

	for (i = 0; v != NULL && i < n; i++)
		free(v[i]);
	free(v);
}

void
sshopts_free(struct sshopts *o)
{
	char **strs[] = { &o->hostname, &o->user, &o->identity_agent, &o->preferred_auth,
	    &o->kex_algorithms, &o->ciphers, &o->macs, &o->hostkey_algorithms,
	    &o->host_key_alias, &o->proxy_command, &o->proxy_jump, &o->remote_command,
	    &o->ignored_unknown };
	size_t i;

	for (i = 0; i < sizeof(strs) / sizeof(strs[0]); i++)
		free(*strs[i]);
	free_list(o->identity_files, o->n_identity_files);
	free_list(o->identity_raw, o->n_identity_files);
	free_list(o->user_known_hosts, o->n_user_known_hosts);
	free_list(o->global_known_hosts, o->n_global_known_hosts);
	free_list(o->send_env, o->n_send_env);
	free_list(o->set_env, o->n_set_env);
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
set_str(char **field, const char *v, int active, struct errbuf *eb)
{
	if (active && *field == NULL && (*field = strdup(v)) == NULL)
		return err_set(eb, "out of memory");
	return 0;
}

static int
parse_multi(const struct multi *ms, const char *v, int *out)
{
	for (; ms->name != NULL; ms++) {
		if (strcasecmp(v, ms->name) == 0) {
			*out = ms->val;
			return 0;
		}
	}
	return -1;
}

static int
parse_level(const char *v, int *lvl)
{
	static const char *const names[] = { "QUIET", "FATAL", "ERROR", "INFO", "VERBOSE",
	    "DEBUG", "DEBUG1", "DEBUG2", "DEBUG3" };
	static const int num[] = { 0, 1, 2, 3, 4, 5, 5, 6, 7 };
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (strcasecmp(v, names[i]) == 0) {
			*lvl = num[i];
			return 0;
		}
	}
	return -1;
}

/* ConnectTimeout and friends: convtime(), or decimal seconds rounded up. */
static int
parse_time(const char *v, long *out, struct errbuf *eb)
{
	struct errbuf tb;
	int64_t ms;

	if (strcmp(v, "none") == 0)
		*out = -1;
	else if ((*out = sshtok_convtime(v)) < 0) {
		if (time_parse_seconds(v, 86400L * 365, &ms, &tb) != 0)
			return err_set(eb, "invalid time value");
		*out = (long)((ms + 999) / 1000);
	}
	return 0;
}

static int
parse_port(const char *v, int *out, struct errbuf *eb)
{
	struct servent *se;
	long n;

	if (isdigit((unsigned char)*v)) {
		if (time_parse_int(v, 1, 65535, &n, eb) != 0)
			return -1;
		*out = (int)n;
		return 0;
	}
	if ((se = getservbyname(v, "tcp")) == NULL)
		return err_set(eb, "bad port");
	*out = ntohs((unsigned short)se->s_port);
	return 0;
}

/* IdentityAgent: ${VAR} must expand, a legacy $VAR must be a name. */
static int
check_agent(const char *v, struct errbuf *eb)
{
	char *x = sshtok_expand(v, NULL, 0, SSHTOK_DOLLAR, eb);

	if (x == NULL)
		return -1;
	free(x);
	if (v[0] == '$' && v[1] != '{' && !sshtok_env_name(v + 1))
		return err_set(eb, "invalid environment name");
	return 0;
}

/* One-argument keywords. */
static int
apply_one(struct sshopts *o, const struct keyword *kw, const char *v, int active,
    struct errbuf *eb)
{
	int iv = 0;
	long lv = 0;
	enum shk_mode m;

	switch (kw->kind) {
	case K_STR:
		return set_str(FIELD(o, kw, char *), v, active, eb);
	case K_AGENT:
		return check_agent(v, eb) != 0 ? -1 : set_str(FIELD(o, kw, char *), v, active, eb);
	case K_ALGS:
		if (!sshalgspec_valid((enum sshalgspec_kind)kw->aux, v))
			return err_set(eb, "bad algorithm list");
		return set_str(FIELD(o, kw, char *), v, active, eb);
	case K_FLAG:
	case K_MULTI:
		if (parse_multi(kw->ms, v, &iv) != 0)
			return err_set(eb, kw->kind == K_FLAG ? "not yes or no" : "unsupported value");
		break;
	case K_SHK:
		if (sshopts_parse_shk(v, &m, eb) != 0)
			return -1;
		if (active && o->strict == SHK_UNSET)
			o->strict = m;
		return 0;
	case K_TIME:
	case K_INT:
		if ((kw->kind == K_TIME ? parse_time(v, &lv, eb) :
		    time_parse_int(v, 0, 2147483647L, &lv, eb)) != 0)
			return -1;
		if (active && *FIELD(o, kw, long) == -1)
			*FIELD(o, kw, long) = lv;
		return 0;
	case K_PORT:
		if (parse_port(v, &iv, eb) != 0)
			return -1;
		if (active && o->port == 0)
			o->port = iv;
		return 0;
	case K_LOGLEVEL:
		if (parse_level(v, &iv) != 0)
			return err_set(eb, "unsupported log level");
		if (active && o->log_level_ssh == -1) {
			o->log_level_ssh = iv;
			o->log_level = iv <= 3 ? 0 : iv <= 5 ? 1 : iv - 4;
		}
		return 0;
	default:
		return err_set(eb, "internal error");
	}
	if (active && *FIELD(o, kw, int) == -1)
		*FIELD(o, kw, int) = iv;
	return 0;
}

/* ProxyJump: checked always; set (and ProxyCommand blocked) when first. */
static int
apply_jump(struct sshopts *o, const char *v, int active, struct errbuf *eb)
{
	char *fmt = NULL;

	if (sshtok_jump(v, &fmt, eb) != 0)
		return -1;
	if (active && o->proxy_command == NULL && o->proxy_jump == NULL) {
		o->proxy_jump = fmt;
		fmt = NULL;
		if (strcmp(o->proxy_jump, "none") != 0 &&
		    (o->proxy_command = strdup("none")) == NULL)
			return err_set(eb, "out of memory");
	}
	free(fmt);
	return 0;
}

static int
apply_kw(struct sshopts *o, const struct keyword *kw, const char *rest, char **argv,
    int argc, int flags, struct errbuf *eb)
{
	int active = flags & SSHOPTS_ACTIVE;

	switch (kw->kind) {
	case K_CMD:
		return set_str(FIELD(o, kw, char *), rest + strspn(rest, SSHTOK_WHITESPACE "="),
		    active, eb);
	case K_JUMP:
		return apply_jump(o, rest + strspn(rest, SSHTOK_WHITESPACE "="), active, eb);
	case K_HOSTFILES:
		return sshoptlist_hostfiles(FIELD(o, kw, char **), COUNT(o, kw), argv, argc, active,
		    (flags & SSHOPTS_CMDLINE) != 0, eb);
	case K_SENDENV:
		return sshoptlist_sendenv(o, argv, argc, active, eb);
	case K_SETENV:
		return sshoptlist_setenv(o, argv, argc, active, eb);
	default:
		break;
	}
	if (argc > 1)
		return err_set(eb, "extra arguments at end of line");
	if (*argv[0] == '\0')
		return err_set(eb, "missing argument");
	if (kw->kind == K_IDFILE)
		return active ? sshoptlist_identity(o, argv[0], eb) : 0;
	return apply_one(o, kw, argv[0], active, eb);
}

int
sshopts_apply(struct sshopts *o, const char *kwname, const char *rest, char **argv,
    int argc, int flags, enum sshopts_use *use, struct errbuf *eb)
{
	const struct keyword *kw = NULL;
	char lower[64];
	struct errbuf vb;

	*use = SSHOPTS_USED;
	if (strlen(kwname) < sizeof(lower)) {
		snprintf(lower, sizeof(lower), "%s", kwname);
		sshtok_lower(lower);
		kw = bsearch(lower, keywords, NKEYWORDS, sizeof(keywords[0]), kw_cmp);
	}
	if (kw == NULL) {
		if (strlen(kwname) < sizeof(lower) &&
		    bsearch(lower, ignored, NIGNORED, sizeof(ignored[0]), str_cmp) != NULL)
			*use = SSHOPTS_IGNORED;
		else if (strlen(kwname) < sizeof(lower) && o->ignored_unknown != NULL &&
		    sshtok_match_list(lower, o->ignored_unknown, 1) == 1)
			*use = SSHOPTS_UNKNOWN_OK;
		else
			return err_set(eb, "%s: unsupported option", kwname);
		return 0;
	}
	if (argc < 1)
		return err_set(eb, "%s: missing argument", kwname);
	if (apply_kw(o, kw, rest, argv, argc, flags, &vb) != 0)
		return err_set(eb, "%s %s: %s", kwname, argc == 1 ? argv[0] : rest, vb.msg);
	return 0;
}

int
sshopts_set(struct sshopts *o, const char *keyword, const char *value, struct errbuf *eb)
{
	char *argv[2] = { (char *)value, NULL };
	enum sshopts_use use;

	return sshopts_apply(o, keyword, value, argv, 1, SSHOPTS_ACTIVE | SSHOPTS_CMDLINE, &use,
	    eb);
}

/* The -o argument as a line: keyword, then its arguments. */
static int
set_line(struct sshopts *o, char *line, const char *arg, struct errbuf *eb)
{
	struct sshtok_argv av = { NULL, 0, NULL };
	enum sshopts_use use;
	char *s = line, *kw;
	int rc;

	line[strcspn(line, "\r\n")] = '\0';
	if ((kw = sshtok_strdelim(&s)) != NULL && *kw == '\0')
		kw = sshtok_strdelim(&s);
	if (kw == NULL || *kw == '\0' || s == NULL || *(s += strspn(s, SSHTOK_WHITESPACE)) == '\0')
		return err_set(eb, "\"%s\": not Key=Value", arg);
	if (strcasecmp(kw, "host") == 0 || strcasecmp(kw, "match") == 0 ||
	    strcasecmp(kw, "include") == 0)
		return err_set(eb, "%s: not allowed on the command line", kw);
	if ((rc = sshtok_argv_split(s, &av)) != 0)
		err_set(eb, "%s: %s", kw, rc == -1 ? "invalid quotes" : "out of memory");
	else
		rc = sshopts_apply(o, kw, s, av.v, av.n, SSHOPTS_ACTIVE | SSHOPTS_CMDLINE, &use, eb);
	sshtok_argv_free(&av);
	return rc == 0 ? 0 : -1;
}

int
sshopts_set_arg(struct sshopts *o, const char *arg, struct errbuf *eb)
{
	char *line = strdup(arg);
	int rc;

	if (line == NULL)
		return err_set(eb, "out of memory");
	rc = set_line(o, line, arg, eb);
	free(line);
	return rc;
}

static int
add_default(char ***v, size_t *n, const char *rel)
{
	char *path;
	int rc;

	if (asprintf(&path, "%s/%s", sshopts_home(), rel) < 0)
		return -1;
	rc = sshoptlist_push(v, n, path, NULL);
	free(path);
	return rc;
}

static int
default_files(struct sshopts *o)
{
	static const char *const ids[] = { "~/.ssh/id_ed25519", "~/.ssh/id_ecdsa",
	    "~/.ssh/id_rsa" };
	struct errbuf eb;
	size_t i;

	if (o->n_identity_files == 1 && strcasecmp(o->identity_raw[0], "none") == 0) {
		free(o->identity_files[0]);
		free(o->identity_raw[0]);
		o->n_identity_files = 0;
	} else if (!(o->identities_only == OPT_YES && o->n_identity_files > 0)) {
		for (i = 0; i < 3 && o->n_identity_files < SSHOPTS_MAX_LIST; i++) {
			if (sshoptlist_identity(o, ids[i], &eb) != 0)
				return -1;
		}
	}
	if (o->n_user_known_hosts == 0 &&
	    (add_default(&o->user_known_hosts, &o->n_user_known_hosts, ".ssh/known_hosts") != 0 ||
	    add_default(&o->user_known_hosts, &o->n_user_known_hosts, ".ssh/known_hosts2") != 0))
		return -1;
	if (o->n_global_known_hosts == 0 &&
	    (sshoptlist_push(&o->global_known_hosts, &o->n_global_known_hosts,
	    "/etc/ssh/ssh_known_hosts", NULL) != 0 ||
	    sshoptlist_push(&o->global_known_hosts, &o->n_global_known_hosts,
	    "/etc/ssh/ssh_known_hosts2", NULL) != 0))
		return -1;
	return 0;
}

/* ~ in UserKnownHostsFile, as ssh expands it before anything else. */
static int
expand_user_files(struct sshopts *o, struct errbuf *eb)
{
	size_t i;
	char *p;

	for (i = 0; i < o->n_user_known_hosts; i++) {
		if ((p = sshtok_tilde(o->user_known_hosts[i], sshopts_home(), eb)) == NULL)
			return -1;
		free(o->user_known_hosts[i]);
		o->user_known_hosts[i] = p;
	}
	return 0;
}

/* "none" alone in a file list: no file. */
static void
drop_none(char **v, size_t *n)
{
	if (*n == 1 && strcasecmp(v[0], "none") == 0) {
		free(v[0]);
		*n = 0;
	}
}

/* "none" means unset for these. */
static void
clear_none(char **s)
{
	if (*s != NULL && strcasecmp(*s, "none") == 0) {
		free(*s);
		*s = NULL;
	}
}

static int
resolve_algs(struct sshopts *o, struct errbuf *eb)
{
	static const struct { size_t off; enum sshalgspec_kind k; const char *name; } a[] = {
		{ F(ciphers), SSHALGSPEC_CIPHERS, "Ciphers" },
		{ F(macs), SSHALGSPEC_MACS, "MACs" },
		{ F(kex_algorithms), SSHALGSPEC_KEX, "KexAlgorithms" },
		{ F(hostkey_algorithms), SSHALGSPEC_HOSTKEYS, "HostKeyAlgorithms" },
	};
	struct errbuf ab;
	size_t i;
	char **f, *r;

	for (i = 0; i < sizeof(a) / sizeof(a[0]); i++) {
		f = (char **)(void *)((char *)o + a[i].off);
		if (*f == NULL)
			continue;
		if ((r = sshalgspec_resolve(a[i].k, *f, &ab)) == NULL)
			return err_set(eb, "%s: %s", a[i].name, ab.msg);
		free(*f);
		*f = r;
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

int
sshopts_finish(struct sshopts *o, struct errbuf *eb)
{
	if (default_user(o) != 0 || default_files(o) != 0)
		return err_set(eb, "options: out of memory");
	drop_none(o->global_known_hosts, &o->n_global_known_hosts);
	drop_none(o->user_known_hosts, &o->n_user_known_hosts);
	if (expand_user_files(o, eb) != 0 || resolve_algs(o, eb) != 0)
		return -1;
	clear_none(&o->proxy_command);
	clear_none(&o->proxy_jump);
	clear_none(&o->remote_command);
	if (o->port == 0)
		o->port = 22;
	if (o->strict == SHK_UNSET)
		o->strict = SHK_ACCEPT_NEW;
#define DEF(field, v)	do { if (o->field < 0) o->field = (v); } while (0)
	DEF(identities_only, OPT_NO);
	DEF(hash_known_hosts, OPT_NO);
	DEF(server_alive_interval, 0);
	DEF(server_alive_count_max, 3);
	DEF(number_of_password_prompts, 3);
	DEF(address_family, AF_UNSPEC);
	DEF(batch_mode, OPT_NO);
	DEF(password_auth, OPT_YES);
	DEF(pubkey_auth, OPT_YES);
	DEF(kbdint_auth, OPT_YES);
	DEF(compression, OPT_NO);
	DEF(log_level, 0);
	DEF(log_level_ssh, 3);
	DEF(connection_attempts, 1);
	DEF(request_tty, RTTY_AUTO);
#undef DEF
	if (o->connection_attempts == 0)
		o->connection_attempts = 1;
	return 0;
}

int
sshopts_resolve_agent(struct sshopts *o)
{
	const char *name = NULL, *val;
	char *copy;

	if (o->identity_agent == NULL)
		return 0;
	if (strcmp(o->identity_agent, "SSH_AUTH_SOCK") == 0)
		name = "SSH_AUTH_SOCK";
	else if (o->identity_agent[0] == '$' && o->identity_agent[1] != '{')
		name = o->identity_agent + 1;
	if (name == NULL)
		return 0;
	val = getenv(name);
	if ((copy = strdup(val != NULL && *val != '\0' ? val : "none")) == NULL)
		return -1;
	free(o->identity_agent);
	o->identity_agent = copy;
	return 0;
}
