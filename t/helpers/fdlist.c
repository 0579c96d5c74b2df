/*
 * fdlist -- print this process's open file descriptors.
 *
 * usage: fdlist
 *
 * Prints the numbers of its open descriptors in ascending order, space
 * separated, on one line (e.g. "0 1 2"), read from /proc/self/fd; the
 * directory descriptor used for reading is left out.  Without /proc it probes
 * each descriptor with fcntl(F_GETFD) up to a bound.  Tests use it as the
 * command a spawned child runs, to check which descriptors it inherited.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define MAX_FDS 65536

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

int main(void)
{
	static int fds[MAX_FDS];
	size_t n = 0, i;
	DIR *d = opendir("/proc/self/fd");

	if (d != NULL) {
		int self = dirfd(d);
		struct dirent *de;

		while ((de = readdir(d)) != NULL && n < MAX_FDS) {
			char *end;
			long v;

			if (de->d_name[0] < '0' || de->d_name[0] > '9')
				continue;
			errno = 0;
			v = strtol(de->d_name, &end, 10);
			if (errno || *end || v < 0 || v == self)
				continue;
			fds[n++] = (int)v;
		}
		closedir(d);
	} else {
		long max = sysconf(_SC_OPEN_MAX);
		int fd;

		if (max < 0 || max > MAX_FDS)
			max = MAX_FDS;
		for (fd = 0; fd < max; fd++)
			if (fcntl(fd, F_GETFD) != -1 || errno != EBADF)
				fds[n++] = fd;
	}
	qsort(fds, n, sizeof fds[0], cmp_int);
	for (i = 0; i < n; i++)
		printf(i ? " %d" : "%d", fds[i]);
	putchar('\n');
	return fflush(stdout) == 0 ? 0 : 1;
}
