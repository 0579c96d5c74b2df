#include "config.h"

#include <sys/socket.h>

#include <stdio.h>

#include "sshalgspec.h"
#include "sshdump.h"

static const char *
yesno(int v)
{
	return v == OPT_YES ? "yes" : "no";
}

static const char *
family(int af)
{
	return af == AF_INET ? "inet" : af == AF_INET6 ? "inet6" : "any";
}

/* OpenSSH prints the first name of a multi-state value: yes is "true". */
static const char *
strict_name(enum shk_mode m)
{
	return m == SHK_YES ? "true" : m == SHK_NO ? "false" : "accept-new";
}

static const char *
pubkey_name(int v)
{
	static const char *const names[] = { "false", "true", "unbound", "host-bound" };

	return v >= 0 && v <= 3 ? names[v] : "true";
}

static const char *
tty_name(int v)
{
	static const char *const names[] = { "false", "true", "force", "auto" };

	return v >= 0 && v <= 3 ? names[v] : "auto";
}

static const char *
level_name(int v)
{
	static const char *const names[] = { "QUIET", "FATAL", "ERROR", "INFO", "VERBOSE",
	    "DEBUG", "DEBUG2", "DEBUG3" };

	return v >= 0 && v <= 7 ? names[v] : "INFO";
}

static void
str(FILE *fp, const char *kw, const char *v)
{
	if (v != NULL)
		fprintf(fp, "%s %s\n", kw, v);
}

static void
each(FILE *fp, const char *kw, char *const *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		fprintf(fp, "%s %s\n", kw, v[i]);
}

static void
oneline(FILE *fp, const char *kw, char *const *v, size_t n)
{
	size_t i;

	fputs(kw, fp);
	if (n == 0)
		fputs(" none", fp);
	for (i = 0; i < n; i++)
		fprintf(fp, " %s", v[i]);
	fputc('\n', fp);
}

static const char *
algs(const char *v, enum sshalgspec_kind k)
{
	return v != NULL ? v : sshalgspec_default(k);
}

void
sshdump_print(const struct sshopts *o, const char *host_arg, FILE *fp)
{
	str(fp, "host", host_arg);
	str(fp, "user", o->user);
	str(fp, "hostname", o->hostname != NULL ? o->hostname : host_arg);
	fprintf(fp, "port %d\n", o->port);
	str(fp, "addressfamily", family(o->address_family));
	str(fp, "batchmode", yesno(o->batch_mode));
	str(fp, "compression", yesno(o->compression));
	str(fp, "hashknownhosts", yesno(o->hash_known_hosts));
	str(fp, "identitiesonly", yesno(o->identities_only));
	str(fp, "kbdinteractiveauthentication", yesno(o->kbdint_auth));
	str(fp, "passwordauthentication", yesno(o->password_auth));
	str(fp, "pubkeyauthentication", pubkey_name(o->pubkey_auth));
	str(fp, "requesttty", tty_name(o->request_tty));
	str(fp, "stricthostkeychecking", strict_name(o->strict));
	fprintf(fp, "connectionattempts %ld\n", o->connection_attempts);
	fprintf(fp, "numberofpasswordprompts %ld\n", o->number_of_password_prompts);
	fprintf(fp, "serveralivecountmax %ld\n", o->server_alive_count_max);
	fprintf(fp, "serveraliveinterval %ld\n", o->server_alive_interval);
	str(fp, "ciphers", algs(o->ciphers, SSHALGSPEC_CIPHERS));
	str(fp, "hostkeyalgorithms", algs(o->hostkey_algorithms, SSHALGSPEC_HOSTKEYS));
	str(fp, "hostkeyalias", o->host_key_alias);
	str(fp, "identityagent", o->identity_agent);
	str(fp, "ignoreunknown", o->ignored_unknown);
	str(fp, "kexalgorithms", algs(o->kex_algorithms, SSHALGSPEC_KEX));
	str(fp, "remotecommand", o->remote_command);
	str(fp, "loglevel", level_name(o->log_level_ssh));
	str(fp, "macs", algs(o->macs, SSHALGSPEC_MACS));
	str(fp, "preferredauthentications", o->preferred_auth);
	each(fp, "identityfile", o->identity_raw, o->n_identity_files);
	oneline(fp, "globalknownhostsfile", o->global_known_hosts, o->n_global_known_hosts);
	oneline(fp, "userknownhostsfile", o->user_known_hosts, o->n_user_known_hosts);
	each(fp, "sendenv", o->send_env, o->n_send_env);
	each(fp, "setenv", o->set_env, o->n_set_env);
	if (o->connect_timeout < 0)
		fputs("connecttimeout none\n", fp);
	else
		fprintf(fp, "connecttimeout %ld\n", o->connect_timeout);
	if (o->proxy_jump != NULL)
		str(fp, "proxyjump", o->proxy_jump);
	else
		str(fp, "proxycommand", o->proxy_command);
}
