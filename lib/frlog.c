/*
 * frlog: one JSON line per event.  See frlog.h.
 */
#include "config.h"

#include <sys/stat.h>

#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "frlog.h"
#include "frout.h"
#include "spawn.h"

/* mkdir -p of path's parent; errors are the open's to report (ignored). */
static void
make_parents(const char *path)
{
	char dir[PATH_MAX], *p;

	if (strlen(path) >= sizeof(dir))
		return;
	strcpy(dir, path);
	if ((p = strrchr(dir, '/')) == NULL || p == dir)
		return;
	*p = '\0';
	for (p = dir + 1; *p != '\0'; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		(void)mkdir(dir, 0755);
		*p = '/';
	}
	(void)mkdir(dir, 0755);
}

static void
set_opt(json_t *o, const char *key, const char *value)
{
	if (value != NULL)
		json_object_set_new(o, key, json_string(value));
}

void
frlog_write(const char *path, const struct fr_log_entry *e)
{
	char ts[32], *line;
	struct tm tm;
	time_t now;
	json_t *o;
	size_t n;
	int fd;

	if (path == NULL || *path == '\0' || (o = json_object()) == NULL)
		return;
	now = time(NULL);
	gmtime_r(&now, &tm);
	strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%SZ", &tm);
	json_object_set_new(o, "event", json_string(e->event));
	json_object_set_new(o, "timestamp", json_string(ts));
	json_object_set_new(o, "pid", json_integer((json_int_t)getpid()));
	set_opt(o, "domain", e->domain);
	set_opt(o, "action", e->action);
	set_opt(o, "reason", e->reason);
	set_opt(o, "ssh_client", e->ssh_client);
	json_object_set_new(o, "effective_tags", json_array());
	json_object_set_new(o, "action_tags", json_array());
	line = frout_json(o);
	json_decref(o);
	if (line == NULL)
		return;
	n = strlen(line);
	line[n] = '\n';
	make_parents(path);
	if ((fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOCTTY, 0644)) >= 0) {
		(void)spawn_write_all(fd, line, n + 1);
		close(fd);
	}
	free(line);
}
