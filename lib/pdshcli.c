#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "hostlist.h"
#include "hostmatch.h"
#include "pdshcli.h"

#define STDIN_HOSTS_MAX	(4L * 1024 * 1024)

/* A growing NULL-terminated vector whose failures are remembered. */
struct vec {
	char	**v;
	size_t	  n;
	int	  oom;
};

static void
vpush(struct vec *vc, const char *s)
{
	char **nv;
	char *copy;

	if (vc->oom)
		return;
	nv = realloc(vc->v, (vc->n + 2) * sizeof(char *));
	copy = strdup(s);
	if (nv == NULL || copy == NULL) {
		free(copy);
		if (nv != NULL)
			vc->v = nv;
		vc->oom = 1;
		return;
	}
	vc->v = nv;
	vc->v[vc->n++] = copy;
	vc->v[vc->n] = NULL;
}

static void
vpush2(struct vec *vc, const char *opt, const char *val)
{
	vpush(vc, opt);
	vpush(vc, val);
}

static int
truthy(const char *s)
{
	return s != NULL && (strcmp(s, "1") == 0 || strcasecmp(s, "true") == 0);
}

int
pdshcli_wanted(int *argc, char **argv)
{
	const char *base = strrchr(argv[0], '/');
	int i, found = 0;

	base = base != NULL ? base + 1 : argv[0];
	for (i = 1; i < *argc; i++) {
		if (strcmp(argv[i], "--pdsh-compat") == 0) {
			memmove(argv + i, argv + i + 1, (size_t)(*argc - i) * sizeof(char *));
			(*argc)--;
			found = 1;
			break;
		}
	}
	return found || strcmp(base, "pdsh") == 0 || strncmp(base, "pdsh.", 5) == 0 ||
	    truthy(getenv("BSSH_PDSH_COMPAT"));
}

/* Values lose surrounding blanks: ClusterShell passes "-f 32" as one word. */
static const char *
trimmed(char *s)
{
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

static int
number(const char *opt, const char *v, long *out, struct errbuf *eb)
{
	char *end;
	long n;

	errno = 0;
	n = strtol(v, &end, 10);
	if (*v == '\0' || *end != '\0' || errno != 0 || n < 0 || n > 1000000)
		return err_set(eb, "%s: invalid argument \"%s\"", opt, v);
	*out = n;
	return 0;
}

/* Append s to the comma list *list (as pdsh does for repeated -w/-x). */
static int
append_list(char **list, const char *s)
{
	char *n;

	if (*list == NULL)
		n = strdup(s);
	else if (asprintf(&n, "%s,%s", *list, s) < 0)
		n = NULL;
	if (n == NULL)
		return -1;
	free(*list);
	*list = n;
	return 0;
}

/* "-w -": hosts from stdin, one per line. */
static int
hosts_from_stdin(char **list, struct errbuf *eb)
{
	char line[4096];
	long total = 0;

	while (fgets(line, sizeof(line), stdin) != NULL) {
		const char *h = trimmed(line);

		total += (long)strlen(line);
		if (total > STDIN_HOSTS_MAX)
			return err_set(eb, "-w -: more than %ld bytes of hosts", STDIN_HOSTS_MAX);
		if (*h != '\0' && *h != '#' && append_list(list, h) != 0)
			return err_set(eb, "-w -: out of memory");
	}
	return 0;
}

static int
parse_value(struct pdshcli *pc, int c, const char *v, struct errbuf *eb)
{
	switch (c) {
	case 'w':
		if (strcmp(v, "-") == 0)
			return hosts_from_stdin(&pc->hosts, eb);
		return append_list(&pc->hosts, v) == 0 ? 0 : err_set(eb, "out of memory");
	case 'x':
		return append_list(&pc->excludes, v) == 0 ? 0 : err_set(eb, "out of memory");
	case 'l':
		free(pc->user);
		return (pc->user = strdup(v)) != NULL ? 0 : err_set(eb, "out of memory");
	case 'f':
		if (number("-f", v, &pc->fanout, eb) != 0)
			return -1;
		return pc->fanout > 0 ? 0 : err_set(eb, "-f: fanout must be > 0");
	case 't':
		return number("-t", v, &pc->connect_timeout, eb);
	case 'u':
		return number("-u", v, &pc->command_timeout, eb);
	case 'R':
		if (strcmp(v, "ssh") != 0)
			return err_set(eb, "rcmd module \"%s\" is not available (only ssh)", v);
		return 0;
	}
	return err_set(eb, "internal error");
}

static int
parse_opt(struct pdshcli *pc, int c, char *arg, struct errbuf *eb)
{
	switch (c) {
	case 'S': pc->any_failure = 1; return 0;
	case 'b': pc->batch = 1; return 0;
	case 'N': pc->noprefix = 1; return 0;
	case 'k': pc->failfast = 1; return 0;
	case 'd': return 0;
	case 'q': pc->action = PDSH_QUERY; return 0;
	case 'V': pc->action = PDSH_VERSION; return 0;
	case 'h': pc->action = PDSH_HELP; return 0;
	case 'g': case 'X': case 'a': case 'A': case 'F': case 'M':
		return err_set(eb, "-%c: genders and misc modules are not available", c);
	case ':':
		return err_set(eb, "option requires an argument -- '%c'", optopt);
	case '?':
		return err_set(eb, "invalid option -- '%c'", optopt ? optopt : '?');
	}
	return parse_value(pc, c, trimmed(arg), eb);
}

static void
defaults_from_env(struct pdshcli *pc)
{
	const char *v;
	long n;
	struct errbuf eb;

	pc->fanout = 32;
	pc->connect_timeout = 10;
	pc->command_timeout = 0;
	if ((v = getenv("FANOUT")) != NULL && number("FANOUT", v, &n, &eb) == 0 && n > 0)
		pc->fanout = n;
	if ((v = getenv("PDSH_CONNECT_TIMEOUT")) != NULL && number("t", v, &n, &eb) == 0)
		pc->connect_timeout = n;
	if ((v = getenv("PDSH_COMMAND_TIMEOUT")) != NULL && number("u", v, &n, &eb) == 0)
		pc->command_timeout = n;
}

/* Split an environment value into words ('' and "" quote, no escapes). */
static int
split_words(const char *s, struct vec *out)
{
	char word[4096];
	size_t n;
	char q;

	while (*s != '\0') {
		while (isspace((unsigned char)*s))
			s++;
		if (*s == '\0')
			break;
		for (n = 0, q = 0; *s != '\0' && (q != 0 || !isspace((unsigned char)*s)); s++) {
			if (q == 0 && (*s == '\'' || *s == '"'))
				q = *s;
			else if (q != 0 && *s == q)
				q = 0;
			else if (n + 1 < sizeof(word))
				word[n++] = *s;
		}
		word[n] = '\0';
		vpush(out, word);
	}
	return out->oom ? -1 : 0;
}

/* The ssh options pdsh users put in PDSH_SSH_ARGS(_APPEND). */
static int
ssh_word(char **w, size_t n, size_t *i, struct vec *out, const char *var, struct errbuf *eb)
{
	static const char with_value[] = "iploFcJ";
	static const char flags[] = "46qtTv";
	static const char dropped[] = "2axnACkK";
	const char *word = w[*i];
	char opt[3] = { '-', word[1], '\0' };

	if (strchr(word, '%') != NULL || word[0] != '-' || word[1] == '\0')
		return 0;		/* pdsh's own tokens (-l%u %h): ours are native */
	if (strchr(with_value, word[1]) != NULL) {
		const char *v = word[2] != '\0' ? word + 2 : (*i + 1 < n ? w[++*i] : NULL);

		if (v == NULL)
			return err_set(eb, "%s: %s needs a value", var, opt);
		if (strchr(v, '%') != NULL)
			return 0;
		if (word[1] == 'c') {		/* ssh -c: the cipher list */
			char *o = NULL;

			if (asprintf(&o, "Ciphers=%s", v) < 0)
				return err_set(eb, "%s: out of memory", var);
			vpush2(out, "-o", o);
			free(o);
		} else {
			vpush2(out, opt, v);
		}
		return 0;
	}
	if (strchr(flags, word[1]) != NULL && word[2] == '\0') {
		vpush(out, opt);
		return 0;
	}
	if (strchr(dropped, word[1]) != NULL && word[2] == '\0')
		return 0;
	return err_set(eb, "%s: ssh option %s is not supported", var, word);
}

static int
ssh_env(const char *var, struct vec *out, struct errbuf *eb)
{
	const char *v = getenv(var);
	struct vec words = { NULL, 0, 0 };
	size_t i;
	int rc = 0;

	if (v == NULL || *v == '\0')
		return 0;
	if (split_words(v, &words) != 0)
		rc = err_set(eb, "%s: out of memory", var);
	for (i = 0; rc == 0 && i < words.n; i++)
		rc = ssh_word(words.v, words.n, &i, out, var, eb);
	for (i = 0; i < words.n; i++)
		free(words.v[i]);
	free(words.v);
	return rc;
}

static void
push_number(struct vec *vc, const char *opt, long n)
{
	char num[32];

	snprintf(num, sizeof(num), "%ld", n);
	vpush2(vc, opt, num);
}

/* bssh's own command line for what pdsh was asked. */
static int
build_argv(struct pdshcli *pc, char **cmd, int ncmd, struct errbuf *eb)
{
	struct vec vc = { NULL, 0, 0 };
	int i;

	vpush(&vc, "bssh");
	vpush2(&vc, "-H", pc->hosts);
	if (pc->excludes != NULL)
		vpush2(&vc, "-x", pc->excludes);
	push_number(&vc, "--parallel", pc->fanout);
	if (pc->user != NULL)
		vpush2(&vc, "-l", pc->user);
	push_number(&vc, "--connect-timeout", pc->connect_timeout > 0 ? pc->connect_timeout : 10);
	push_number(&vc, "--timeout", pc->command_timeout);
	if (pc->noprefix)
		vpush(&vc, "-N");
	if (pc->batch)
		vpush(&vc, "-b");
	if (pc->failfast)
		vpush(&vc, "-k");
	if (pc->any_failure)
		vpush(&vc, "--any-failure");
	if (ssh_env("PDSH_SSH_ARGS", &vc, eb) != 0 ||
	    ssh_env("PDSH_SSH_ARGS_APPEND", &vc, eb) != 0)
		goto fail;
	vpush(&vc, "--");
	for (i = 0; i < ncmd; i++)
		vpush(&vc, cmd[i]);
	if (vc.oom) {
		err_set(eb, "out of memory");
		goto fail;
	}
	pc->argv = vc.v;
	pc->argc = vc.n;
	return 0;
fail:
	while (vc.n > 0)
		free(vc.v[--vc.n]);
	free(vc.v);
	return -1;
}

/* A bad -w or -x is pdsh's error (exit 1), found before anything runs. */
static int
check_hosts(const struct pdshcli *pc, struct errbuf *eb)
{
	struct hostlist *hl = hostlist_new();
	struct errbuf why;
	int rc = 0;

	if (hl == NULL)
		return err_set(eb, "out of memory");
	if (hostlist_push(hl, pc->hosts, &why) != 0)
		rc = err_set(eb, "-w: %s", why.msg);
	else if (pc->excludes != NULL && hostmatch_exclude(hl, pc->excludes, &why) != 0)
		rc = err_set(eb, "-x: %s", why.msg);
	else if (hostlist_count(hl) == 0)
		rc = err_set(eb, "no remote hosts specified");
	hostlist_free(hl);
	return rc;
}

static char *
join(char **w, int n)
{
	size_t len = 1;
	char *s;
	int i;

	for (i = 0; i < n; i++)
		len += strlen(w[i]) + 1;
	if ((s = malloc(len)) == NULL)
		return NULL;
	s[0] = '\0';
	for (i = 0; i < n; i++) {
		if (i > 0)
			strcat(s, " ");
		strcat(s, w[i]);
	}
	return s;
}

int
pdshcli_parse(struct pdshcli *pc, int argc, char **argv, struct errbuf *eb)
{
	const char *wcoll = getenv("WCOLL");
	int c;

	memset(pc, 0, sizeof(*pc));
	defaults_from_env(pc);
	optind = 0;
	opterr = 0;
	while ((c = getopt(argc, argv, "+:SbNkdqVhl:t:u:f:w:x:R:M:g:X:F:aA")) != -1) {
		if (parse_opt(pc, c, optarg, eb) != 0)
			return -1;
	}
	if (pc->action == PDSH_VERSION || pc->action == PDSH_HELP)
		return 0;
	if (pc->hosts == NULL && wcoll != NULL && *wcoll != '\0' &&
	    asprintf(&pc->hosts, "^%s", wcoll) < 0)
		return err_set(eb, "out of memory");
	if (pc->hosts == NULL)
		return err_set(eb, "no remote hosts specified");
	if (optind < argc && (pc->command = join(argv + optind, argc - optind)) == NULL)
		return err_set(eb, "out of memory");
	if (check_hosts(pc, eb) != 0)
		return -1;
	if (pc->action == PDSH_QUERY)
		return 0;
	if (pc->command == NULL)
		return err_set(eb, "no command given (interactive pdsh is not supported)");
	return build_argv(pc, argv + optind, argc - optind, eb);
}

void
pdshcli_free(struct pdshcli *pc)
{
	size_t i;

	for (i = 0; i < pc->argc; i++)
		free(pc->argv[i]);
	free(pc->argv);
	free(pc->hosts);
	free(pc->excludes);
	free(pc->user);
	free(pc->command);
	memset(pc, 0, sizeof(*pc));
}

static void
print_query(const struct pdshcli *pc, const char *self, const char *targets)
{
	struct passwd *pw = getpwuid(getuid());
	const char *me = pw != NULL ? pw->pw_name : "?";

	printf("-- DSH-specific options --\n"
	    "Separate stderr/stdout\tYes\n"
	    "Path prepended to cmd\tnone\n"
	    "Appended to cmd         none\n"
	    "Command:\t\t%s\n"
	    "Full program pathname\t%s\n"
	    "Remote program path\t%s\n\n",
	    pc->command != NULL ? pc->command : "none", self, self);
	printf("-- Generic options --\n"
	    "Local username\t\t%s\n"
	    "Local uid     \t\t%u\n"
	    "Remote username\t\t%s\n"
	    "Rcmd type\t\tssh\n"
	    "one ^C will kill pdsh   %s\n"
	    "Connect timeout (secs)\t%ld\n"
	    "Command timeout (secs)\t%ld\n"
	    "Fanout\t\t\t%ld\n"
	    "Display hostname labels\t%s\n"
	    "Debugging       \tNo\n\n",
	    me, (unsigned)getuid(), pc->user != NULL ? pc->user : me,
	    pc->batch ? "Yes" : "No", pc->connect_timeout, pc->command_timeout,
	    pc->fanout, pc->noprefix ? "No" : "Yes");
	printf("-- Target nodes --\n%s\n", targets);
}

/* The targets as pdsh -q shows them: -w minus -x, folded into ranges. */
static char *
targets(const struct pdshcli *pc, struct errbuf *eb)
{
	struct hostlist *hl = hostlist_new();
	char *s = NULL;

	if (hl == NULL) {
		err_set(eb, "out of memory");
		return NULL;
	}
	if (hostlist_push(hl, pc->hosts, eb) == 0 &&
	    (pc->excludes == NULL || hostmatch_exclude(hl, pc->excludes, eb) == 0) &&
	    (s = hostmatch_compress(hl)) == NULL)
		err_set(eb, "out of memory");
	hostlist_free(hl);
	return s;
}

int
pdshcli_answer(const struct pdshcli *pc, const char *version, struct errbuf *eb)
{
	char self[4096], *t;
	ssize_t n;

	if (pc->action == PDSH_VERSION) {
		printf("pdsh-bssh-%s (+static-modules)\nrcmd modules: ssh (default: ssh)\n",
		    version);
		return 0;
	}
	if (pc->action == PDSH_HELP) {
		printf("Usage: pdsh [-options] command ...\n"
		    "bssh's pdsh personality: -w -x -f -l -t -u -N -b -k -S -q -R ssh -V -h\n");
		return 0;
	}
	if ((t = targets(pc, eb)) == NULL)
		return -1;
	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	self[n > 0 ? n : 0] = '\0';
	print_query(pc, self, t);
	free(t);
	return 0;
}
