#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "exitcode.h"
#include "hostspec.h"

static int
norm(int code)
{
	return code == EXITCODE_NOT_RUN ? 255 : code;
}

int
exitcode_compute(enum exit_strategy s, const int *codes, size_t n, size_t main)
{
	size_t i;
	int worst = 0;

	if (n == 0)
		return 255;
	if (main >= n)
		main = 0;
	switch (s) {
	case EXIT_MAIN_RANK:
		return norm(codes[main]);
	case EXIT_ALL_SUCCESS:
		for (i = 0; i < n; i++) {
			if (codes[i] != 0)
				return 1;
		}
		return 0;
	case EXIT_CHECK_ALL:
		if (codes[main] != 0)
			return norm(codes[main]);
		for (i = 0; i < n; i++) {
			if (codes[i] != 0)
				return 1;
		}
		return 0;
	case EXIT_ANY_FAILURE:
		for (i = 0; i < n; i++) {
			if (norm(codes[i]) > worst)
				worst = norm(codes[i]);
		}
		return worst;
	case EXIT_ZERO:
		return 0;
	}
	return 255;
}

size_t
exitcode_main_rank(const char *const *hosts, size_t n)
{
	const char *role = getenv("BACKENDAI_CLUSTER_ROLE");
	const char *me = getenv("BACKENDAI_CLUSTER_HOST");
	struct hostspec hs;
	size_t i;

	if (role == NULL || me == NULL || strcasecmp(role, "main") != 0)
		return 0;
	for (i = 0; i < n; i++) {
		if (strcmp(hosts[i], me) == 0)
			return i;
		if (hostspec_parse(hosts[i], &hs, NULL) == 0 && strcmp(hs.host, me) == 0)
			return i;
	}
	return 0;
}
