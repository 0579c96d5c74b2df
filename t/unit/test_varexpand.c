/*
 * Unit tests of lib/varexpand: ${VAR} and $VAR from the environment (names,
 * delimiters, unset variables, no second pass, the cap) and ~ / ~user.
 */
#include "config.h"

#include <errno.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "varexpand.h"

static const char *ev(const char *);
static void	 test_expand_vars(void);
static void	 test_expand_tilde(void);

/* varexpand_vars(s), freed at the next call. */
static const char *
ev(const char *s)
{
	static char *last;

	free(last);
	last = varexpand_vars(s);
	return last != NULL ? last : "(NULL)";
}

static void
test_expand_vars(void)
{
	char *s;

	setenv("YC_A", "alpha", 1);
	setenv("YC_B", "$YC_A", 1);
	setenv("YC_E", "", 1);
	unsetenv("YC_NOPE");
	is_str(ev("${YC_A}"), "alpha", "${VAR}");
	is_str(ev("$YC_A"), "alpha", "$VAR");
	is_str(ev("x${YC_A}y"), "xalphay", "${VAR} inside text");
	is_str(ev("$YC_A.example"), "alpha.example", "$VAR ends at '.'");
	is_str(ev("$YC_Ax"), "$YC_Ax", "$VAR takes every name character");
	is_str(ev("${YC_A}x"), "alphax", "braces delimit");
	is_str(ev("$YC_A$YC_A"), "alphaalpha", "adjacent");
	is_str(ev("${YC_NOPE}"), "${YC_NOPE}", "unknown ${VAR} stays");
	is_str(ev("$YC_NOPE"), "$YC_NOPE", "unknown $VAR stays");
	is_str(ev("a${YC_NOPE}b$YC_A"), "a${YC_NOPE}balpha", "mixed");
	is_str(ev("$YC_E"), "", "empty value");
	is_str(ev("$YC_B"), "$YC_A", "values are not expanded again");
	is_str(ev("$"), "$", "lone $");
	is_str(ev("a$-b"), "a$-b", "$ before a non-name character");
	is_str(ev("${YC_A"), "${YC_A", "unclosed ${");
	is_str(ev("${}"), "${}", "${}");
	is_str(ev("${YC-A}"), "${YC-A}", "bad name in braces");
	is_str(ev("$$YC_A"), "$alpha", "$$");
	is_str(ev("plain"), "plain", "nothing to expand");
	is_str(ev(""), "", "empty");
	s = repeat("", VAREXPAND_MAX, "x", "");
	is_str(ev(s), s, "at the cap");
	is_long((long)strlen(ev(s)), VAREXPAND_MAX, "VAREXPAND_MAX bytes");
	free(s);
	s = repeat("", VAREXPAND_MAX - 2, "x", "$YC_A");
	errno = 0;
	ok(varexpand_vars(s) == NULL && errno == ENAMETOOLONG,
	    "past the cap: ENAMETOOLONG");
	free(s);
	ev("");
}

static void
test_expand_tilde(void)
{
	struct passwd *pw = getpwuid(0);
	char *s, want[512];

	setenv("HOME", "/home/tester", 1);
	s = varexpand_tilde("~/.ssh/id");
	is_str(s, "/home/tester/.ssh/id", "~/");
	free(s);
	s = varexpand_tilde("~");
	is_str(s, "/home/tester", "~ alone");
	free(s);
	s = varexpand_tilde("/abs/~/x");
	is_str(s, "/abs/~/x", "~ not at the start");
	free(s);
	s = varexpand_tilde("$HOME/x");
	is_str(s, "$HOME/x", "no variables");
	free(s);
	s = varexpand_tilde("~nosuchuser_yc/x");
	is_str(s, "~nosuchuser_yc/x", "unknown user stays");
	free(s);
	if (pw != NULL) {
		snprintf(want, sizeof(want), "%s/k", pw->pw_dir);
		s = varexpand_tilde("~root/k");
		is_str(s, want, "~user/");
		free(s);
	}
}

int
main(void)
{
	test_expand_vars();
	test_expand_tilde();
	return tap_done();
}
