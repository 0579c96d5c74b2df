#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "strv.h"
#include "xalloc.h"

void
strv_push(char ***v, size_t *n, const char *s)
{
	*v = xreallocarray(*v, *n + 2, sizeof(char *));
	(*v)[(*n)++] = xstrdup(s);
	(*v)[*n] = NULL;
}

void
strv_free(char **v)
{
	size_t i;

	for (i = 0; v != NULL && v[i] != NULL; i++)
		free(v[i]);
	free(v);
}

char *
strv_join(char *const *w, size_t n)
{
	return strv_join_with(w, n, ' ');
}

char *
strv_join_with(char *const *w, size_t n, char sep)
{
	size_t len = 1, i, o = 0, l;
	char *s;

	for (i = 0; i < n; i++)
		len += strlen(w[i]) + 1;
	s = xmalloc(len);
	for (i = 0; i < n; i++) {
		if (i > 0)
			s[o++] = sep;
		l = strlen(w[i]);
		memcpy(s + o, w[i], l);
		o += l;
	}
	s[o] = '\0';
	return s;
}
