#include "config.h"

#include <sys/wait.h>

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "spawn.h"
#include "sshmatch.h"
#include "sshtok.h"
#include "timeutil.h"

/* %C: SHA1 hex of l h p r, as OpenSSH's ssh_connection_hash(). */
void
sshmatch_conn_hash(const char *l, const char *h, const char *p, const char *r, char hex[41])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int len = 0, i;
	EVP_MD_CTX *x = EVP_MD_CTX_new();

	hex[0] = '\0';
	if (x == NULL || EVP_DigestInit_ex(x, EVP_sha1(), NULL) != 1 ||
	    EVP_DigestUpdate(x, l, strlen(l)) != 1 || EVP_DigestUpdate(x, h, strlen(h)) != 1 ||
	    EVP_DigestUpdate(x, p, strlen(p)) != 1 || EVP_DigestUpdate(x, r, strlen(r)) != 1 ||
	    EVP_DigestFinal_ex(x, md, &len) != 1)
		len = 0;
	for (i = 0; i < len && i < 20; i++)
		snprintf(hex + 2 * i, 3, "%02x", md[i]);
	EVP_MD_CTX_free(x);
}

/* PATH lookup for a Match exec program; a name with '/' is taken as is. */
static int
find_program(const char *name, char *buf, size_t len)
{
	const char *path = getenv("PATH"), *p;
	size_t n;

	if (strchr(name, '/') != NULL)
		return snprintf(buf, len, "%s", name) < (int)len ? 0 : -1;
	for (p = path != NULL ? path : "/usr/bin:/bin"; *p != '\0'; p += n + (p[n] == ':')) {
		n = strcspn(p, ":");
		if ((size_t)snprintf(buf, len, "%.*s/%s", (int)n, n ? p : ".", name) >= len)
			continue;
		if (access(buf, X_OK) == 0)
			return 0;
	}
	return -1;
}

/* Wait for pid until deadline; its wait status, or -1 after killing it. */
static int
wait_bounded(pid_t pid, int64_t deadline)
{
	struct timespec ts = { 0, 500 * 1000 };
	int st;
	pid_t r;

	for (;;) {
		r = waitpid(pid, &st, WNOHANG);
		if (r == pid)
			return st;
		if (r < 0 && errno != EINTR)
			return -1;
		if (time_now_ms() >= deadline) {
			spawn_kill_group(pid, SIGKILL);
			while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
				;
			return -1;
		}
		nanosleep(&ts, NULL);
		if (ts.tv_nsec < 16 * 1000 * 1000)
			ts.tv_nsec *= 2;
	}
}

int
sshmatch_exec(const char *cmd, int ms, struct errbuf *eb)
{
	struct spawn_fd map[2] = { { 0, -1 }, { 1, -1 } };
	struct sshtok_argv av = { NULL, 0, NULL };
	char path[4096];
	pid_t pid;
	int st;

	if (sshtok_argv_split(cmd, &av) != 0 || av.n == 0) {
		sshtok_argv_free(&av);
		return err_set(eb, "bad command");
	}
	if (find_program(av.v[0], path, sizeof(path)) != 0) {
		err_set(eb, "%s: not found", av.v[0]);
		sshtok_argv_free(&av);
		return 2;
	}
	pid = spawn_start(path, av.v, map, 2, SPAWN_PGROUP, eb);
	sshtok_argv_free(&av);
	if (pid < 0)
		return 2;
	st = wait_bounded(pid, time_now_ms() + ms);
	if (st == -1)
		return err_set(eb, "killed after %d ms", ms);
	if (!WIFEXITED(st))
		return err_set(eb, "exited abnormally");
	return WEXITSTATUS(st) == 0;
}
