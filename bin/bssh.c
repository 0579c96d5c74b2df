/*
 * bssh: run one command on many hosts in parallel.
 *
 * The driver reads the command line (bssh's own, or pdsh's through
 * lib/pdshcli) and bssh-config(5) (lib/clusters), builds the node list
 * (lib/targets), asks for secrets once, and has lib/fanout run one
 * bssh-exec worker per node.  With a single destination and no -H or -C
 * it is ssh(1): it becomes bssh-exec.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "clusters.h"
#include "err.h"
#include "exitcode.h"
#include "fanout.h"
#include "output.h"
#include "pdshcli.h"
#include "selfpipe.h"
#include "sshalgs.h"
#include "spawn.h"
#include "sshauth.h"
#include "spill.h"
#include "sshopts.h"
#include "strv.h"
#include "targets.h"
#include "timeutil.h"
#include "tty.h"
#include "xalloc.h"

ERR_PROGRAM("bssh");

#define EXIT_OWN	255
#define MAX_ARGS	256

static const char usage_text[] =
    "bssh [options] -H hosts [--] command ...\n"
    "       bssh [options] -H hosts ping\n"
    "       bssh [options] [user@]host[:port] [command ...]\n"
    "       bssh -G [user@]host   bssh -Q query   pdsh [pdsh options] command\n"
    "       bssh [options] list\n"
    "options: -H hosts  -C cluster  --config file  -f/--filter pattern  -x/--exclude pattern\n"
    "  -l user  -p port\n"
    "  -i identity  -o Key=Value  -A  -4  -6  --password  --parallel N  --timeout S\n"
    "  --connect-timeout S  --server-alive-interval S  --server-alive-count-max N\n"
    "  --strict-host-key-checking yes|accept-new|no  --stream  -N  --output-dir DIR\n"
    "  --json  --require-all-success  --check-all-nodes  --any-failure  -k  -b\n"
    "  --stdin  -F ssh_config  -t  -T  -q  -v  -V";

struct args {
	char		**sources;	/* "H" or "C" + value, in command-line order */
	size_t		 nsources;
	size_t		 nhosts;	/* -H among them */
	char		**filters;
	size_t		 nfilters;
	char		**excludes;
	size_t		 nexcludes;
	size_t		 nclusters;	/* -C among them */
	const char	*first_cluster;
	const char	*config;	/* --config */
	int		 dashdash;	/* the operands followed "--" */
	int		 parallel_given;
	int		 has_identity;	/* -i or IdentityFile given */
	int		 has_ssh_config;	/* -F given */
	char		*fwd[MAX_ARGS];	/* options handed to every worker */
	size_t		 nfwd;
	long		 parallel;
	int64_t		 timeout_ms;
	int64_t		 connect_ms;
	enum out_mode	 mode;
	int		 noprefix;
	const char	*outdir;
	enum exit_strategy strategy;
	int		 failfast;
	int		 batch;
	int		 use_stdin;
	int		 want_password;
	int		 agent_only;
	int		 alive_given;
	int		 timeout_given;
	int		 alive_max_given;
	char		**rest;		/* positional words */
	int		 nrest;
};

struct driver {
	struct args		 a;
	const char		*worker;
	char			*command;	/* NULL for ping */
	int			 ping;
	int			 pdsh;		/* the pdsh personality */
	int			 stdin_fd;	/* spooled stdin, or -1 */
	struct sshauth_secrets	 sec;
	struct clusters		*conf;		/* bssh-config(5), or NULL */
	struct targets		*targets;
	char			**prefix;	/* worker argv: path, options */
	size_t			 nprefix;
};

static int sigfds[2] = { -1, -1 };

static void
on_signal(int sig)
{
	selfpipe_notify(sigfds[1], sig);
}

static void
setup_signals(void)
{
	static const int sigs[] = { SIGCHLD, SIGINT, SIGTERM, SIGHUP };
	struct errbuf eb;

	if (selfpipe_open(sigfds, &eb) != 0)
		err_die(EXIT_OWN, "%s", eb.msg);
	/* a prompt blocks these and ends when one is pending (lib/tty) */
	selfpipe_catch(sigs, sizeof(sigs) / sizeof(sigs[0]), on_signal);
	signal(SIGPIPE, SIG_IGN);
}

static void
fwd(struct args *a, const char *opt, const char *val)
{
	if (a->nfwd + 2 > MAX_ARGS)
		err_die(EXIT_OWN, "too many options");
	a->fwd[a->nfwd++] = xstrdup(opt);
	if (val != NULL)
		a->fwd[a->nfwd++] = xstrdup(val);
}

/* -H and -C in the order given: "Hweb[1-4]", "Clab". */
static void
add_source(struct args *a, char kind, const char *value)
{
	char *s = xasprintf("%c%s", kind, value);

	strv_push(&a->sources, &a->nsources, s);
	free(s);
	if (kind == 'H') {
		a->nhosts++;
	} else {
		if (a->nclusters++ == 0)
			a->first_cluster = a->sources[a->nsources - 1] + 1;
	}
}

static int64_t
seconds_arg(const char *name, const char *v, int64_t min_ms)
{
	struct errbuf eb;
	int64_t ms;

	if (time_parse_seconds(v, 86400L * 365, &ms, &eb) != 0)
		err_die(EXIT_OWN, "%s %s", name, eb.msg);
	if (ms != 0 && ms < min_ms)
		ms = min_ms;
	return ms;
}

enum {
	O_PARALLEL = 256, O_TIMEOUT, O_CONNECT_TIMEOUT, O_ALIVE, O_ALIVE_MAX, O_SHK,
	O_STREAM, O_OUTDIR, O_JSON, O_ALL_SUCCESS, O_CHECK_ALL, O_ANY_FAILURE, O_STDIN,
	O_PASSWORD, O_HELP, O_CONFIG
};

static const struct option longopts[] = {
	{ "hosts",			required_argument, NULL, 'H' },
	{ "cluster",			required_argument, NULL, 'C' },
	{ "config",			required_argument, NULL, O_CONFIG },
	{ "filter",			required_argument, NULL, 'f' },
	{ "exclude",			required_argument, NULL, 'x' },
	{ "user",			required_argument, NULL, 'l' },
	{ "login",			required_argument, NULL, 'l' },
	{ "port",			required_argument, NULL, 'p' },
	{ "identity",			required_argument, NULL, 'i' },
	{ "option",			required_argument, NULL, 'o' },
	{ "use-agent",			no_argument,	   NULL, 'A' },
	{ "ipv4",			no_argument,	   NULL, '4' },
	{ "ipv6",			no_argument,	   NULL, '6' },
	{ "password",			no_argument,	   NULL, O_PASSWORD },
	{ "parallel",			required_argument, NULL, O_PARALLEL },
	{ "timeout",			required_argument, NULL, O_TIMEOUT },
	{ "connect-timeout",		required_argument, NULL, O_CONNECT_TIMEOUT },
	{ "server-alive-interval",	required_argument, NULL, O_ALIVE },
	{ "server-alive-count-max",	required_argument, NULL, O_ALIVE_MAX },
	{ "strict-host-key-checking",	required_argument, NULL, O_SHK },
	{ "stream",			no_argument,	   NULL, O_STREAM },
	{ "no-prefix",			no_argument,	   NULL, 'N' },
	{ "output-dir",			required_argument, NULL, O_OUTDIR },
	{ "json",			no_argument,	   NULL, O_JSON },
	{ "require-all-success",	no_argument,	   NULL, O_ALL_SUCCESS },
	{ "check-all-nodes",		no_argument,	   NULL, O_CHECK_ALL },
	{ "any-failure",		no_argument,	   NULL, O_ANY_FAILURE },
	{ "fail-fast",			no_argument,	   NULL, 'k' },
	{ "batch",			no_argument,	   NULL, 'b' },
	{ "stdin",			no_argument,	   NULL, O_STDIN },
	{ "quiet",			no_argument,	   NULL, 'q' },
	{ "verbose",			no_argument,	   NULL, 'v' },
	{ "version",			no_argument,	   NULL, 'V' },
	{ "help",			no_argument,	   NULL, O_HELP },
	{ NULL, 0, NULL, 0 }
};

static void
set_strategy(struct args *a, enum exit_strategy s)
{
	if (a->strategy != EXIT_MAIN_RANK && a->strategy != s)
		err_die(EXIT_OWN, "--require-all-success, --check-all-nodes and --any-failure "
		    "exclude each other");
	a->strategy = s;
}

static void
parse_value_opt(struct args *a, int c, const char *arg)
{
	struct errbuf eb;
	enum shk_mode m;
	long v;

	switch (c) {
	case O_PARALLEL:
		if (time_parse_int(arg, 1, 100000, &a->parallel, &eb) != 0)
			err_die(EXIT_OWN, "--parallel %s", eb.msg);
		a->parallel_given = 1;
		break;
	case O_TIMEOUT:
		a->timeout_ms = seconds_arg("--timeout", arg, 0);
		a->timeout_given = 1;
		break;
	case O_CONNECT_TIMEOUT: a->connect_ms = seconds_arg("--connect-timeout", arg, 1000); break;
	case O_ALIVE:
		(void)seconds_arg("--server-alive-interval", arg, 0);
		fwd(a, "--server-alive-interval", arg);
		a->alive_given = 1;
		break;
	case O_ALIVE_MAX:
		if (time_parse_int(arg, 0, 1000000, &v, &eb) != 0)
			err_die(EXIT_OWN, "--server-alive-count-max %s", eb.msg);
		fwd(a, "--server-alive-count-max", arg);
		a->alive_max_given = 1;
		break;
	case O_SHK:
		if (sshopts_parse_shk(arg, &m, &eb) != 0)
			err_die(EXIT_OWN, "--strict-host-key-checking %s", eb.msg);
		fwd(a, "--strict-host-key-checking", sshopts_shk_name(m));
		break;
	case O_OUTDIR: a->outdir = arg; a->mode = OUT_FILES; break;
	}
}

static void
parse_one(struct args *a, int c, const char *arg)
{
	switch (c) {
	case 'H': add_source(a, 'H', arg); break;
	case 'C': add_source(a, 'C', arg); break;
	case O_CONFIG: a->config = arg; break;
	case 'f': strv_push(&a->filters, &a->nfilters, arg); break;
	case 'x': strv_push(&a->excludes, &a->nexcludes, arg); break;
	case 'l': fwd(a, "-l", arg); break;
	case 'p': fwd(a, "-p", arg); break;
	case 'i': fwd(a, "-i", arg); a->has_identity = 1; break;
	case 'o': fwd(a, "-o", arg); break;
	case 'F': fwd(a, "-F", arg); a->has_ssh_config = 1; break;
	case 'G': fwd(a, "-G", NULL); break;
	case 'Q':
		if (sshalgs_query(arg, stdout) != 0)
			err_die(EXIT_OWN, "-Q %s: unknown query (try -Q help)", arg);
		exit(0);
	case 'A': a->agent_only = 1; fwd(a, "-A", NULL); break;
	case '4': fwd(a, "-4", NULL); break;
	case '6': fwd(a, "-6", NULL); break;
	case 't': fwd(a, "-t", NULL); break;
	case 'T': fwd(a, "-T", NULL); break;
	case 'N': a->noprefix = 1; break;
	case 'k': a->failfast = 1; break;
	case 'b': a->batch = 1; break;
	case 'q': err_state.quiet = 1; fwd(a, "-q", NULL); break;
	case 'v': err_state.verbosity++; fwd(a, "-v", NULL); break;
	case 'V': printf("bssh %s\n", PACKAGE_VERSION); exit(0);
	case O_PASSWORD: a->want_password = 1; break;
	case O_STREAM: if (a->mode != OUT_FILES && a->mode != OUT_JSON) a->mode = OUT_STREAM; break;
	case O_JSON: if (a->mode != OUT_FILES) a->mode = OUT_JSON; break;
	case O_ALL_SUCCESS: set_strategy(a, EXIT_ALL_SUCCESS); break;
	case O_CHECK_ALL: set_strategy(a, EXIT_CHECK_ALL); break;
	case O_ANY_FAILURE: set_strategy(a, EXIT_ANY_FAILURE); break;
	case O_STDIN: a->use_stdin = 1; break;
	case O_HELP: printf("usage: %s\n", usage_text); exit(0);
	default: parse_value_opt(a, c, arg); break;
	}
}

static void
parse_args(struct args *a, int argc, char **argv)
{
	int c;

	memset(a, 0, sizeof(*a));
	a->parallel = 10;
	a->timeout_ms = 300 * 1000;
	a->connect_ms = 30 * 1000;
	optind = 0;	/* a fresh scan: the pdsh personality scanned before */
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:H:C:f:x:l:p:i:o:F:GQ:A46tTNkbqvV", longopts, NULL)) != -1) {
		if (c == '?')
			err_die(EXIT_OWN, "%s: unknown option (try --help)", argv[optind - 1]);
		if (c == ':')
			err_die(EXIT_OWN, "%s: missing argument", argv[optind - 1]);
		parse_one(a, c, optarg);
	}
	a->dashdash = optind > 1 && strcmp(argv[optind - 1], "--") == 0;
	a->rest = argv + optind;
	a->nrest = argc - optind;
}

static void
push_seconds(char ***v, size_t *n, const char *opt, int64_t ms)
{
	char num[32];

	snprintf(num, sizeof(num), "%.3f", (double)ms / 1000.0);
	strv_push(v, n, opt);
	strv_push(v, n, num);
}

/* SSH personality: one destination, no -H: become bssh-exec. */
static void
exec_ssh_mode(const struct args *a, const char *worker)
{
	char **argv = NULL;
	size_t n = 0, i;
	int k;

	strv_push(&argv, &n, worker);
	for (i = 0; i < a->nfwd; i++)
		strv_push(&argv, &n, a->fwd[i]);
	push_seconds(&argv, &n, "--connect-timeout", a->connect_ms);
	if (a->want_password)
		strv_push(&argv, &n, "--password");
	if (a->timeout_given && a->timeout_ms > 0)
		push_seconds(&argv, &n, "--timeout", a->timeout_ms);
	strv_push(&argv, &n, "--");
	for (k = 0; k < a->nrest; k++)
		strv_push(&argv, &n, a->rest[k]);
	execv(worker, argv);
	err_die_sys(EXIT_OWN, "exec %s", worker);
}

/* bssh-config(5): read once, its warnings said, its source named at -v. */
static struct clusters *
load_config(const struct args *a)
{
	struct clusters *c;
	struct errbuf eb;
	size_t i;

	if ((c = clusters_load(a->config, &eb)) == NULL)
		err_die(EXIT_OWN, "%s", eb.msg);
	for (i = 0; i < clusters_nwarnings(c); i++)
		err_warn("%s", clusters_warning(c, i));
	err_debug(1, "configuration: %s", clusters_source(c) != NULL ?
	    clusters_source(c) : "none found");
	return c;
}

/* The nodes: -H and -C in order, then -f (any of them) and every -x. */
static struct targets *
build_targets(const struct args *a, struct clusters *conf)
{
	const struct clusters_cluster *cc;
	struct targets *t = targets_new();
	struct errbuf eb;
	char *any;
	size_t i;

	if (t == NULL)
		err_die(EXIT_OWN, "out of memory");
	for (i = 0; i < a->nsources; i++) {
		const char *v = a->sources[i] + 1;

		if (a->sources[i][0] == 'H' && targets_add_hosts(t, v, &eb) != 0)
			err_die(EXIT_OWN, "-H %s", eb.msg);
		if (a->sources[i][0] == 'C' && ((cc = clusters_get(conf, v, &eb)) == NULL ||
		    targets_add_cluster(t, cc, &eb) != 0))
			err_die(EXIT_OWN, "%s", eb.msg);
	}
	if (a->nfilters > 0) {
		any = strv_join_with(a->filters, a->nfilters, ',');
		if (targets_filter(t, any, &eb) != 0)
			err_die(EXIT_OWN, "--filter %s", eb.msg);
		if (targets_count(t) == 0)
			err_die(EXIT_OWN, "no host matches the filter");
		free(any);
	}
	for (i = 0; i < a->nexcludes; i++) {
		if (targets_exclude(t, a->excludes[i], &eb) != 0)
			err_die(EXIT_OWN, "--exclude %s", eb.msg);
	}
	if (targets_count(t) == 0)
		err_die(EXIT_OWN, "no hosts left to run on");
	return t;
}

/* CLI > first cluster > defaults > built-in, for the run's own settings. */
static void
apply_settings(struct driver *d)
{
	const struct clusters_cluster *cc = d->a.first_cluster != NULL ?
	    clusters_get(d->conf, d->a.first_cluster, NULL) : NULL;
	const struct clusters_settings *st = cc != NULL ? &cc->settings :
	    clusters_defaults(d->conf);
	struct args *a = &d->a;
	char num[32];

	if (!a->parallel_given && (st->set & CLUSTERS_SET_PARALLEL))
		a->parallel = st->parallel;
	if (!a->timeout_given && (st->set & CLUSTERS_SET_TIMEOUT))
		a->timeout_ms = st->timeout_ms;
	if (!a->alive_given && (st->set & CLUSTERS_SET_ALIVE)) {
		snprintf(num, sizeof(num), "%.3f", (double)st->alive_ms / 1000.0);
		fwd(a, "--server-alive-interval", num);
		a->alive_given = 1;
	}
	if (!a->alive_max_given && (st->set & CLUSTERS_SET_ALIVE_COUNT)) {
		snprintf(num, sizeof(num), "%ld", st->alive_count);
		fwd(a, "--server-alive-count-max", num);
		a->alive_max_given = 1;
	}
}

/*
 * With neither -H nor -C, the operands name a destination (the SSH
 * personality), unless they are `list', `ping', follow an explicit "--",
 * or, in a Backend.AI session, do not look like a host: then the default
 * cluster runs them.  Returns 1 for the default cluster.
 */
static int
wants_default_cluster(const struct args *a)
{
	const char *w = a->nrest > 0 ? a->rest[0] : "";

	if (a->dashdash || (a->nrest == 1 && strcmp(w, "ping") == 0))
		return 1;
	if (getenv("BACKENDAI_CLUSTER_HOSTS") == NULL || getenv("BACKENDAI_CLUSTER_HOST") == NULL)
		return 0;
	return strchr(w, '.') == NULL && strchr(w, '@') == NULL && strchr(w, ':') == NULL &&
	    w[0] != '[' && strcmp(w, "localhost") != 0;
}

/* `bssh list': every cluster, its node count and where it is defined. */
static int
list_clusters(struct clusters *conf)
{
	const struct clusters_cluster *cc;
	const char *def = clusters_default(conf);
	size_t i, n = clusters_count(conf);

	if (n == 0) {
		printf("no clusters configured (%s)\n", clusters_source(conf) != NULL ?
		    clusters_source(conf) : "no configuration file found");
		return 0;
	}
	printf("%-20s %8s  %s\n", "CLUSTER", "NODES", "SOURCE");
	for (i = 0; i < n; i++) {
		cc = clusters_nth(conf, i);
		printf("%-20s %8zu  %s", cc->name, cc->nnodes, cc->source);
		if (cc->line > 0)
			printf(":%lu", cc->line);
		printf("%s\n", def != NULL && strcmp(def, cc->name) == 0 ? "  (default)" : "");
	}
	return 0;
}

/*
 * Ask for every secret once, before any worker starts.  The workers' -i
 * and -o options are read into our own option set first, so the keys
 * asked about are exactly the ones the workers will try.
 */
static void
collect_secrets(struct driver *d)
{
	struct sshopts o;
	struct errbuf eb;
	size_t i, nexplicit;
	int flags = SA_ASK_PASSPHRASES | SA_SHARED_PASSWORD | (d->a.agent_only ? SA_AGENT_ONLY : 0);

	sshopts_init(&o);
	for (i = 0; i + 1 < d->a.nfwd; i++) {
		if (strcmp(d->a.fwd[i], "-i") == 0)
			(void)sshopts_set(&o, "IdentityFile", d->a.fwd[++i], &eb);
		else if (strcmp(d->a.fwd[i], "-o") == 0 && sshopts_set_arg(&o, d->a.fwd[++i], &eb) != 0)
			err_die(EXIT_OWN, "-o %s", eb.msg);
	}
	nexplicit = o.n_identity_files;
	if (sshopts_finish(&o, &eb) != 0 ||
	    sshauth_collect(&d->sec, &o, nexplicit, d->a.want_password, 0, flags, &eb) != 0)
		err_die(EXIT_OWN, "%s", eb.msg);
	sshopts_free(&o);
}

/*
 * The argv every worker shares; the node's own options follow.  The
 * worker keeps the first value of each option, so the order is: what must
 * hold (BatchMode), then the user's options, then our defaults.
 */
static char **
worker_prefix(struct driver *d, size_t *np)
{
	const struct args *a = &d->a;
	char **v = NULL;
	size_t n = 0, i;

	strv_push(&v, &n, d->worker);
	strv_push(&v, &n, "--status-fd");
	strv_push(&v, &n, "3");
	if (d->sec.have_password || d->sec.npp > 0) {
		strv_push(&v, &n, "--secrets-fd");
		strv_push(&v, &n, "4");
	}
	strv_push(&v, &n, "-o");
	strv_push(&v, &n, "BatchMode=yes");
	for (i = 0; i < a->nfwd; i++)
		strv_push(&v, &n, a->fwd[i]);
	push_seconds(&v, &n, "--connect-timeout", a->connect_ms);
	if (a->timeout_ms > 0 && !d->ping)
		push_seconds(&v, &n, "--timeout", a->timeout_ms);
	if (!a->alive_given) {
		strv_push(&v, &n, "--server-alive-interval");
		strv_push(&v, &n, "30");
	}
	if (!a->alive_max_given) {
		strv_push(&v, &n, "--server-alive-count-max");
		strv_push(&v, &n, "3");
	}
	if (d->ping)
		strv_push(&v, &n, "--ping");
	*np = n;
	return v;
}

/* ---------------------------------------------------------------- callbacks */

/* The run itself: lib/fanout. */
static int
run(struct driver *d)
{
	struct fanout_params p;
	size_t cap = spawn_fd_budget(8);	/* fds per running worker */
	struct errbuf eb;
	int code;

	memset(&p, 0, sizeof(p));
	d->prefix = worker_prefix(d, &d->nprefix);
	p.targets = d->targets;
	p.conf = d->conf;
	p.prefix = d->prefix;
	p.nprefix = d->nprefix;
	p.command = d->command;
	p.cli_identity = d->a.has_identity;
	p.cli_ssh_config = d->a.has_ssh_config;
	p.parallel = (size_t)d->a.parallel;
	if (p.parallel > cap) {
		err_warn("--parallel %zu: limited to %zu by the open file limit", p.parallel, cap);
		p.parallel = cap;
	}
	p.timeout_ms = d->a.timeout_ms;
	p.connect_ms = d->a.connect_ms;
	p.mode = d->a.mode;
	p.out_flags = (d->a.noprefix ? OUT_NOPREFIX : 0) |
	    (tty_want_color(STDOUT_FILENO) ? OUT_COLOR : 0) |
	    (tty_want_color(STDERR_FILENO) ? OUT_COLOR_ERR : 0);
	p.outdir = d->a.outdir;
	p.strategy = d->a.strategy;
	p.failfast = d->a.failfast;
	p.batch = d->a.batch;
	p.ping = d->ping;
	p.pdsh = d->pdsh;
	p.stdin_fd = d->stdin_fd;
	p.sec = &d->sec;
	p.sigfd = sigfds[0];
	code = fanout_run(&p, &eb);
	sshauth_wipe(&d->sec);
	if (code < 0)
		err_die(EXIT_OWN, "%s", eb.msg);
	return code;
}

/*
 * The pdsh personality: pdsh's options become ours, output and messages
 * are pdsh's, errors exit 1 as pdsh's do, and without -S the status is 0.
 */
static void
pdsh_personality(struct driver *d, struct pdshcli *pc, int argc, char **argv)
{
	static char prog[300];
	char host[256] = "localhost", *dot;
	struct errbuf eb;

	(void)gethostname(host, sizeof(host) - 1);
	host[sizeof(host) - 1] = '\0';
	if ((dot = strchr(host, '.')) != NULL)
		*dot = '\0';
	snprintf(prog, sizeof(prog), "pdsh@%s", host);
	err_state.prog = prog;
	if (pdshcli_parse(pc, argc, argv, &eb) != 0)
		err_die(1, "%s", eb.msg);
	if (pc->action != PDSH_RUN) {
		if (pdshcli_answer(pc, PACKAGE_VERSION, &eb) != 0)
			err_die(1, "%s", eb.msg);
		exit(0);
	}
	parse_args(&d->a, (int)pc->argc, pc->argv);
	d->pdsh = 1;
	d->a.mode = d->a.outdir != NULL ? OUT_FILES : OUT_PDSH;
	if (d->a.strategy != EXIT_ANY_FAILURE)
		d->a.strategy = EXIT_ZERO;
}

/* Everything the driver allocated (so leak checkers see a clean exit). */
static void
driver_free(struct driver *d)
{
	size_t i;

	for (i = 0; i < d->a.nfwd; i++)
		free(d->a.fwd[i]);
	strv_free(d->a.sources);
	strv_free(d->a.filters);
	strv_free(d->a.excludes);
	strv_free(d->prefix);
	targets_free(d->targets);
	clusters_free(d->conf);
	free(d->command);
	if (d->stdin_fd >= 0)
		close(d->stdin_fd);
}

int
main(int argc, char **argv)
{
	struct pdshcli pc = { 0 };
	struct driver d;
	char worker[PATH_MAX];
	int code;

	if (spawn_sanitize_stdfds() != 0)
		return EXIT_OWN;
	memset(&d, 0, sizeof(d));
	d.stdin_fd = -1;
	if (pdshcli_wanted(&argc, argv))
		pdsh_personality(&d, &pc, argc, argv);
	else
		parse_args(&d.a, argc, argv);
	d.worker = spawn_find_helper("bssh-exec", BINDIR, worker, sizeof(worker));
	if (d.a.nhosts == 0 && d.a.nclusters == 0 && !d.pdsh) {
		if (d.a.nrest == 1 && strcmp(d.a.rest[0], "list") == 0 && !d.a.dashdash) {
			d.conf = load_config(&d.a);
			code = list_clusters(d.conf);
			driver_free(&d);
			return code;
		}
		if (!wants_default_cluster(&d.a)) {
			if (d.a.nrest == 0)
				err_usage(EXIT_OWN, usage_text);
			exec_ssh_mode(&d.a, d.worker);
		}
		d.conf = load_config(&d.a);
		if (clusters_default(d.conf) == NULL)
			err_die(EXIT_OWN, "no -H, no -C and no default cluster (bssh-config(5))");
		add_source(&d.a, 'C', clusters_default(d.conf));
	}
	if (d.a.nrest == 0)
		err_die(EXIT_OWN, "no command given (try: bssh -H hosts -- command)");
	d.ping = !d.pdsh && d.a.nrest == 1 && strcmp(d.a.rest[0], "ping") == 0;
	if (!d.ping)
		d.command = strv_join(d.a.rest, (size_t)d.a.nrest);
	if (d.conf == NULL && !d.pdsh)
		d.conf = load_config(&d.a);
	if (d.conf != NULL)
		apply_settings(&d);
	d.targets = build_targets(&d.a, d.conf);
	setup_signals();
	collect_secrets(&d);
	if (d.a.use_stdin && !d.ping && (d.stdin_fd = spill_spool(STDIN_FILENO)) < 0)
		err_die_sys(EXIT_OWN, "--stdin: spool");
	code = run(&d);
	driver_free(&d);
	pdshcli_free(&pc);
	return code;
}
