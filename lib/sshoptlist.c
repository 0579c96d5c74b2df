#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sshoptlist.h"
#include "sshtok.h"

int
sshoptlist_push(char ***v, size_t *n, const char *s, struct errbuf *eb)
{
	char **nv, *copy;

	if (*n >= SSHOPTS_MAX_LIST)
		return err_set(eb, "more than %d entries", SSHOPTS_MAX_LIST);
	if ((copy = strdup(s)) == NULL || (nv = realloc(*v, (*n + 1) * sizeof(*nv))) == NULL) {
		free(copy);
		return err_set(eb, "out of memory");
	}
	nv[(*n)++] = copy;
	*v = nv;
	return 0;
}

static int
in_list(char **v, size_t n, const char *s)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (strcmp(v[i], s) == 0)
			return 1;
	}
	return 0;
}

int
sshoptlist_identity(struct sshopts *o, const char *raw, struct errbuf *eb)
{
	size_t n = o->n_identity_files;
	char *path;

	if (in_list(o->identity_raw, n, raw))
		return 0;	/* a duplicate, as OpenSSH drops it */
	if ((path = sshtok_tilde(raw, sshopts_home(), eb)) == NULL)
		return -1;
	if (sshoptlist_push(&o->identity_files, &n, path, eb) != 0 ||
	    sshoptlist_push(&o->identity_raw, &o->n_identity_files, raw, eb) != 0) {
		free(path);
		return -1;
	}
	free(path);
	return 0;
}

/* UserKnownHostsFile, GlobalKnownHostsFile: the first line gives the list. */
int
sshoptlist_hostfiles(char ***list, size_t *n, char **argv, int argc, int active,
    int add, struct errbuf *eb)
{
	int i, empty = *n == 0 || add;

	for (i = 0; i < argc; i++) {
		if (*argv[i] == '\0')
			return err_set(eb, "empty argument");
		if (strcasecmp(argv[i], "none") == 0 && argc > 1)
			return err_set(eb, "\"none\" argument must appear alone");
		if (active && empty && sshoptlist_push(list, n, argv[i], eb) != 0)
			return -1;
	}
	return 0;
}

static void
remove_env(struct sshopts *o, const char *pattern)
{
	size_t i = 0;

	while (i < o->n_send_env) {
		if (!sshtok_match(o->send_env[i], pattern)) {
			i++;
			continue;
		}
		free(o->send_env[i]);
		memmove(o->send_env + i, o->send_env + i + 1,
		    (o->n_send_env - i - 1) * sizeof(char *));
		o->n_send_env--;
	}
}

int
sshoptlist_sendenv(struct sshopts *o, char **argv, int argc, int active, struct errbuf *eb)
{
	int i;

	for (i = 0; i < argc; i++) {
		if (*argv[i] == '\0' || strchr(argv[i], '=') != NULL)
			return err_set(eb, "invalid environment name");
		if (!active)
			continue;
		if (*argv[i] == '-')
			remove_env(o, argv[i] + 1);
		else if (sshoptlist_push(&o->send_env, &o->n_send_env, argv[i], eb) != 0)
			return -1;
	}
	return 0;
}

static int
setenv_known(const struct sshopts *o, const char *nv)
{
	size_t i, len = strcspn(nv, "=");

	for (i = 0; i < o->n_set_env; i++) {
		if (strncmp(o->set_env[i], nv, len) == 0 && o->set_env[i][len] == '=')
			return 1;
	}
	return 0;
}

int
sshoptlist_setenv(struct sshopts *o, char **argv, int argc, int active, struct errbuf *eb)
{
	int i, had = o->n_set_env != 0;

	for (i = 0; i < argc; i++) {
		if (strchr(argv[i], '=') == NULL)
			return err_set(eb, "invalid SetEnv");
		if (!active || had || setenv_known(o, argv[i]))
			continue;
		if (sshoptlist_push(&o->set_env, &o->n_set_env, argv[i], eb) != 0)
			return -1;
	}
	return 0;
}

