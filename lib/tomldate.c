/*
 * tomldate: TOML 1.0 date-times checked for shape and for days that exist.
 * See tomldate.h.
 */
#include "config.h"

#include <stddef.h>

#include "tomldate.h"

/* The n-digit decimal number at s, -1 if not all digits. */
static int
num(const char *s, int n)
{
	int v = 0;

	while (n-- > 0) {
		if (*s < '0' || *s > '9') {
			return -1;
		}
		v = v * 10 + (*s++ - '0');
	}
	return v;
}

/* The length of the HH:MM:SS[.frac] at s, 0 if it is not one. */
static size_t
valid_time(const char *s, size_t n)
{
	size_t i = 8;
	int h, m, sec;

	if (n < 8 || s[2] != ':' || s[5] != ':' ||
	    (h = num(s, 2)) < 0 || h > 23 || (m = num(s + 3, 2)) < 0 ||
	    m > 59 || (sec = num(s + 6, 2)) < 0 || sec > 60) {
		return 0;	/* 60: a leap second */
	}
	if (i < n && s[i] == '.') {
		while (++i < n && s[i] >= '0' && s[i] <= '9')
			;
		if (i == 9) {
			return 0;
		}
	}
	return i;
}

/* A YYYY-MM-DD at s, a day that exists. */
static int
valid_date(const char *s, size_t n)
{
	static const int mdays[] = {
		31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};
	int y, m, d;

	if (n < 10 || s[4] != '-' || s[7] != '-' || (y = num(s, 4)) < 0 ||
	    (m = num(s + 5, 2)) < 1 || m > 12 || (d = num(s + 8, 2)) < 1 ||
	    d > mdays[m - 1]) {
		return 0;
	}
	return m != 2 || d != 29 || (y % 4 == 0 && (y % 100 != 0 ||
	    y % 400 == 0));
}

/* An offset date-time, local date-time, local date or local time. */
int
tomldate_valid(const char *s, size_t n)
{
	size_t i;
	int h, m;

	if (n > 2 && s[2] == ':') {
		return valid_time(s, n) == n;
	}
	if (!valid_date(s, n)) {
		return 0;
	}
	if (n == 10) {
		return 1;
	}
	if ((s[10] != 'T' && s[10] != 't' && s[10] != ' ') ||
	    (i = valid_time(s + 11, n - 11)) == 0) {
		return 0;
	}
	s += 11 + i;
	n -= 11 + i;
	if (n <= 1) {
		return n == 0 || *s == 'Z' || *s == 'z';
	}
	return n == 6 && (*s == '+' || *s == '-') && s[3] == ':' &&
	    (h = num(s + 1, 2)) >= 0 && h <= 23 && (m = num(s + 4, 2)) >= 0 &&
	    m <= 59;
}

int
tomldate_looks(const char *s, size_t n)
{
	return (n >= 10 && num(s, 4) >= 0 && s[4] == '-') ||
	    (n >= 3 && num(s, 2) >= 0 && s[2] == ':');
}
