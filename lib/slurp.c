#include "config.h"

#include <sys/stat.h>

#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

#include "slurp.h"

/* A first guess at the size: a regular file says how big it is. */
static size_t
first_cap(int fd, size_t max)
{
	struct stat st;
	size_t cap = 4096;

	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0 &&
	    (size_t)st.st_size < max)
		cap = (size_t)st.st_size + 1;
	return cap < max + 1 ? cap : max + 1;
}

int
slurp_fd(int fd, size_t max, char **buf, size_t *len)
{
	size_t cap = first_cap(fd, max), n = 0;
	char *b = malloc(cap + 1), *nb;
	ssize_t r;

	*buf = NULL;
	*len = 0;
	if (b == NULL)
		return -1;
	for (;;) {
		if (n == cap) {
			/* one byte past max tells "too big" from "exactly max" */
			cap = cap > max / 2 ? max + 1 : cap * 2;
			if (n == cap || (nb = realloc(b, cap + 1)) == NULL)
				break;
			b = nb;
		}
		r = read(fd, b + n, cap - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			if (r < 0)
				break;
			b[n] = '\0';
			*buf = b;
			*len = n;
			return 0;
		}
		n += (size_t)r;
	}
	free(b);
	if (n > max)
		errno = EFBIG;
	else if (errno == 0)
		errno = ENOMEM;
	return -1;
}
