/*
 * hostmatch: filter, exclude and compress a hostlist (see hostmatch.h).
 *
 * Patterns are compiled once (expressions expanded into sets) before the
 * list is touched, so a bad pattern leaves the list unchanged and the
 * matching pass itself cannot fail.
 */
#include "config.h"

#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "hostlist.h"
#include "hostmatch.h"
#include "hostrange.h"
#include "hostspec.h"
#include "strset.h"

#define KEY_MAX		(HOSTSPEC_NAME_MAX + 32)

enum pat_kind {
	PAT_SET,		/* expression or ^file: exact set membership */
	PAT_GLOB,		/* fnmatch(3) */
	PAT_NAME		/* exact string */
};

struct hm_pat {
	enum pat_kind	 kind;
	char		*text;
	struct hostlist	*set;
};

struct hm_pats {
	struct hm_pat	*p;
	size_t		 n;
};

/* The strings an entry is matched as: whole, host part, bare IPv6. */
struct hm_keys {
	const char	*k[3];
	size_t		 n;
	char		 host[HOSTSPEC_NAME_MAX];
	char		 bare[HOSTSPEC_NAME_MAX];
};

/* Where the number to fold sits in an entry. */
struct hm_num {
	size_t			off;	/* start of the last digit run */
	size_t			len;	/* 0: nothing to fold */
	unsigned long long	val;
	int			pad;	/* its own width if zero-padded */
	int			width;	/* width of the group it joins */
};

struct hm_item {
	size_t			gid;	/* group, by first appearance */
	unsigned long long	val;
	size_t			idx;	/* entry */
};

/* One filter or exclude pass over a list. */
struct hm_pass {
	const struct hm_pats	*pats;
	struct hm_keys		*keys;	/* scratch, reused for every entry */
	int			 want;	/* keep entries that match (1) or not */
};

/* A growing string; oom set once an allocation failed. */
struct hm_sb {
	char	*s;
	size_t	 len;
	size_t	 cap;
	int	 oom;
};

static int	numeric_item(const char *, size_t);
static int	numeric_group(const char *, size_t);
static int	v6_pattern(const char *);
static int	bad_chars(const char *);
static int	unclosed(const char *);
static int	compile_one(struct hm_pat *, const char *, size_t,
		    struct errbuf *);
static void	pats_free(struct hm_pats *);
static int	compile(struct hm_pats *, const char *, struct errbuf *);
static void	entry_keys(const char *, struct hm_keys *);
static int	pat_match(const struct hm_pat *, const struct hm_keys *);
static int	entry_matches(const struct hm_pats *, const struct hm_keys *);
static int	keep(const char *, void *);
static int	retain(struct hostlist *, const char *, int, struct errbuf *);
static void	entry_num(const char *, struct hm_num *);
static size_t	make_key(char *, const char *, const struct hm_num *, int);
static int	num_width(const char *, const struct hm_num *,
		    const struct strset *);
static int	fold(const struct hostlist *, struct hm_num *,
		    struct hm_item *);
static int	item_cmp(const void *, const void *);
static void	sb_add(struct hm_sb *, const char *, size_t);
static void	sb_num(struct hm_sb *, unsigned long long, int);
static void	render_group(struct hm_sb *, const struct hostlist *,
		    const struct hm_num *, const struct hm_item *, size_t);

/* N or N-M, decimal. */
static int
numeric_item(const char *t, size_t n)
{
	size_t i, dash = 0;

	for (i = 0; i < n; i++) {
		if (t[i] == '-' && dash == 0 && i > 0) {
			dash = i;
		} else if (t[i] < '0' || t[i] > '9') {
			return 0;
		}
	}
	return n > 0 && dash + 1 != n;
}

static int
numeric_group(const char *body, size_t n)
{
	const char *comma;
	size_t pos, ilen;

	for (pos = 0; pos <= n; pos += ilen + 1) {
		comma = memchr(body + pos, ',', n - pos);
		ilen = comma != NULL ? (size_t)(comma - body) - pos : n - pos;
		if (numeric_item(body + pos, ilen)) {
			return 1;
		}
	}
	return 0;
}

int
hostmatch_is_expression(const char *pattern)
{
	const char *open = pattern, *close;
	size_t n;

	while ((open = strchr(open, '[')) != NULL) {
		open++;
		close = strchr(open, ']');
		n = close != NULL ? (size_t)(close - open) : strlen(open);
		if (numeric_group(open, n)) {
			return 1;
		}
		open += n;
	}
	return 0;
}

/* "[::1]" and "alice@[::1]:22" are names, not bracket globs. */
static int
v6_pattern(const char *text)
{
	const char *open = strchr(text, '['), *close;

	close = open != NULL ? strchr(open, ']') : NULL;
	return close != NULL &&
	    hostspec_is_v6(open, (size_t)(close - open) + 1);
}

static int
bad_chars(const char *s)
{
	for (; *s != '\0'; s++) {
		if ((unsigned char)*s <= ' ' || *s == 0x7f) {
			return 1;
		}
	}
	return 0;
}

static int
unclosed(const char *s)
{
	while ((s = strchr(s, '[')) != NULL) {
		if ((s = strchr(s + 1, ']')) == NULL) {
			return 1;
		}
	}
	return 0;
}

static int
compile_one(struct hm_pat *pat, const char *s, size_t len, struct errbuf *eb)
{
	if ((pat->text = strndup(s, len)) == NULL) {
		return err_set(eb, "out of memory");
	}
	if (pat->text[0] == '^' || hostmatch_is_expression(pat->text)) {
		pat->kind = PAT_SET;
		if ((pat->set = hostlist_new()) == NULL) {
			return err_set(eb, "out of memory");
		}
		return hostlist_push(pat->set, pat->text, eb);
	}
	if (bad_chars(pat->text)) {
		return hostspec_fail(eb, s, len,
		    "contains a space or control character");
	}
	pat->kind = strpbrk(pat->text, "*?[") != NULL &&
	    !v6_pattern(pat->text) ? PAT_GLOB : PAT_NAME;
	/* fnmatch would take a lone '[' literally; it is surely a typo. */
	if (pat->kind == PAT_GLOB && unclosed(pat->text)) {
		return hostspec_fail(eb, s, len, "unclosed '['");
	}
	return 0;
}

static void
pats_free(struct hm_pats *pats)
{
	size_t i;

	for (i = 0; i < pats->n; i++) {
		free(pats->p[i].text);
		hostlist_free(pats->p[i].set);
	}
	free(pats->p);
	pats->p = NULL;
	pats->n = 0;
}

static int
compile(struct hm_pats *pats, const char *patterns, struct errbuf *eb)
{
	size_t len = strlen(patterns), pos = 0, off, ilen, max = 1, i;

	for (i = 0; i < len; i++) {
		max += patterns[i] == ',';
	}
	if ((pats->p = calloc(max, sizeof(*pats->p))) == NULL) {
		return err_set(eb, "out of memory");
	}
	while (hostlist_next_item(patterns, len, &pos, &off, &ilen)) {
		if (ilen == 0) {
			continue;
		}
		if (compile_one(&pats->p[pats->n++], patterns + off, ilen,
		    eb) == -1) {
			return -1;
		}
	}
	if (pats->n == 0) {
		return hostspec_fail(eb, patterns, len, "empty pattern list");
	}
	return 0;
}

static void
entry_keys(const char *entry, struct hm_keys *keys)
{
	size_t off, len;

	hostspec_host_part(entry, &off, &len);
	if (len >= sizeof(keys->host)) {
		len = sizeof(keys->host) - 1;
	}
	memcpy(keys->host, entry + off, len);
	keys->host[len] = '\0';
	keys->k[0] = entry;
	keys->k[1] = keys->host;
	keys->n = 2;
	if (len > 2 && keys->host[0] == '[') {
		memcpy(keys->bare, keys->host + 1, len - 2);
		keys->bare[len - 2] = '\0';
		keys->k[keys->n++] = keys->bare;
	}
}

static int
pat_match(const struct hm_pat *pat, const struct hm_keys *keys)
{
	size_t i;
	int hit = 0;

	for (i = 0; i < keys->n && !hit; i++) {
		switch (pat->kind) {
		case PAT_SET:
			hit = hostlist_contains(pat->set, keys->k[i]);
			break;
		case PAT_GLOB:
			hit = fnmatch(pat->text, keys->k[i], 0) == 0;
			break;
		case PAT_NAME:
			hit = strcmp(pat->text, keys->k[i]) == 0;
			break;
		}
	}
	return hit;
}

static int
entry_matches(const struct hm_pats *pats, const struct hm_keys *keys)
{
	size_t i;

	for (i = 0; i < pats->n; i++) {
		if (pat_match(&pats->p[i], keys)) {
			return 1;
		}
	}
	return 0;
}

static int
keep(const char *entry, void *arg)
{
	struct hm_pass *pass = arg;

	entry_keys(entry, pass->keys);
	return entry_matches(pass->pats, pass->keys) == pass->want;
}

/* Keep the entries whose match result equals want, in order. */
static int
retain(struct hostlist *hl, const char *patterns, int want, struct errbuf *eb)
{
	struct hm_pats pats = { NULL, 0 };
	struct hm_pass pass;
	struct hm_keys *keys;

	if ((keys = malloc(sizeof(*keys))) == NULL) {
		return err_set(eb, "out of memory");
	}
	if (compile(&pats, patterns, eb) == -1) {
		pats_free(&pats);
		free(keys);
		return -1;
	}
	pass.pats = &pats;
	pass.keys = keys;
	pass.want = want;
	hostlist_retain(hl, keep, &pass);
	pats_free(&pats);
	free(keys);
	return 0;
}

int
hostmatch_exclude(struct hostlist *hl, const char *patterns, struct errbuf *eb)
{
	return retain(hl, patterns, 0, eb);
}

int
hostmatch_filter(struct hostlist *hl, const char *patterns, struct errbuf *eb)
{
	return retain(hl, patterns, 1, eb);
}

/* The last run of digits in the host part; IPv6 literals have none. */
static void
entry_num(const char *e, struct hm_num *num)
{
	size_t off, len, end, start, i;

	memset(num, 0, sizeof(*num));
	hostspec_host_part(e, &off, &len);
	if (len == 0 || e[off] == '[') {
		return;
	}
	for (end = off + len; end > off && (e[end - 1] < '0' ||
	    e[end - 1] > '9'); end--)
		continue;
	for (start = end; start > off && e[start - 1] >= '0' &&
	    e[start - 1] <= '9'; start--)
		continue;
	if (start == end || end - start > HOSTRANGE_DIGITS_MAX) {
		return;
	}
	num->off = start;
	num->len = end - start;
	for (i = start; i < end; i++) {
		num->val = num->val * 10 + (unsigned long long)(e[i] - '0');
	}
	if (num->len > 1 && e[start] == '0') {
		num->pad = (int)num->len;
	}
}

/* Group key: prefix \1 width \1 suffix, or \2 entry when nothing folds. */
static size_t
make_key(char *key, const char *e, const struct hm_num *num, int width)
{
	int n;

	if (num->len == 0) {
		n = snprintf(key, KEY_MAX, "\002%s", e);
	} else {
		n = snprintf(key, KEY_MAX, "%.*s\001%d\001%s", (int)num->off,
		    e, width, e + num->off + num->len);
	}
	if (n < 0) {
		return 0;
	}
	return (size_t)n >= KEY_MAX ? KEY_MAX - 1 : (size_t)n;
}

/*
 * An unpadded number as long as a padded group's width prints the same
 * in it (10 in web[01-10]), so it joins that group.
 */
static int
num_width(const char *e, const struct hm_num *num, const struct strset *pad)
{
	char key[KEY_MAX];
	size_t k;

	if (num->len == 0 || num->pad != 0) {
		return num->pad;
	}
	if (num->len < 2) {
		return 0;
	}
	k = make_key(key, e, num, (int)num->len);
	return strset_find(pad, key, k) != STRSET_NONE ?
	    (int)num->len : 0;
}

/* Assign every entry its group: first the padded keys, then everyone. */
static int
fold(const struct hostlist *hl, struct hm_num *nums, struct hm_item *items)
{
	struct strset pad, groups;
	char key[KEY_MAX];
	const char *e;
	size_t i, k, n = hostlist_count(hl);
	int rc = -1;

	strset_init(&pad);
	strset_init(&groups);
	for (i = 0; i < n; i++) {
		e = hostlist_nth(hl, i);
		entry_num(e, &nums[i]);
		k = make_key(key, e, &nums[i], nums[i].pad);
		if (nums[i].pad != 0 &&
		    strset_add(&pad, key, k, NULL) == -1) {
			goto out;
		}
	}
	for (i = 0; i < n; i++) {
		e = hostlist_nth(hl, i);
		nums[i].width = num_width(e, &nums[i], &pad);
		k = make_key(key, e, &nums[i], nums[i].width);
		if (strset_add(&groups, key, k, &items[i].gid) == -1) {
			goto out;
		}
		items[i].val = nums[i].val;
		items[i].idx = i;
	}
	rc = 0;
out:
	strset_clear(&pad);
	strset_clear(&groups);
	return rc;
}

static int
item_cmp(const void *va, const void *vb)
{
	const struct hm_item *a = va, *b = vb;

	if (a->gid != b->gid) {
		return a->gid < b->gid ? -1 : 1;
	}
	if (a->val != b->val) {
		return a->val < b->val ? -1 : 1;
	}
	return 0;
}

static void
sb_add(struct hm_sb *sb, const char *s, size_t n)
{
	size_t cap;
	char *ns;

	if (sb->oom) {
		return;
	}
	if (sb->len + n + 1 > sb->cap) {
		cap = sb->cap != 0 ? sb->cap : 64;
		while (cap < sb->len + n + 1) {
			cap *= 2;
		}
		if ((ns = realloc(sb->s, cap)) == NULL) {
			sb->oom = 1;
			return;
		}
		sb->s = ns;
		sb->cap = cap;
	}
	memcpy(sb->s + sb->len, s, n);
	sb->len += n;
	sb->s[sb->len] = '\0';
}

static void
sb_num(struct hm_sb *sb, unsigned long long v, int width)
{
	char t[32];
	int n;

	n = snprintf(t, sizeof(t), "%0*llu", width, v);
	sb_add(sb, t, n > 0 ? (size_t)n : 0);
}

/* One group: prefix, a number or [ranges], suffix. */
static void
render_group(struct hm_sb *sb, const struct hostlist *hl,
    const struct hm_num *nums, const struct hm_item *it, size_t n)
{
	const char *e = hostlist_nth(hl, it[0].idx), *tail;
	const struct hm_num *num = &nums[it[0].idx];
	size_t i, j;

	if (num->len == 0) {
		sb_add(sb, e, strlen(e));
		return;
	}
	sb_add(sb, e, num->off);
	sb_add(sb, "[", n > 1);
	for (i = 0; i < n; i = j) {
		for (j = i + 1; j < n && it[j].val == it[j - 1].val + 1; j++)
			continue;
		sb_add(sb, ",", i > 0);
		sb_num(sb, it[i].val, num->width);
		if (j - i > 1) {
			sb_add(sb, "-", 1);
			sb_num(sb, it[j - 1].val, num->width);
		}
	}
	sb_add(sb, "]", n > 1);
	tail = e + num->off + num->len;
	sb_add(sb, tail, strlen(tail));
}

char *
hostmatch_compress(const struct hostlist *hl)
{
	struct hm_sb sb = { NULL, 0, 0, 0 };
	struct hm_num *nums;
	struct hm_item *items;
	size_t i, j, n = hostlist_count(hl);

	nums = calloc(n + 1, sizeof(*nums));
	items = calloc(n + 1, sizeof(*items));
	sb_add(&sb, "", 0);
	if (nums == NULL || items == NULL || fold(hl, nums, items) == -1) {
		sb.oom = 1;
	}
	if (!sb.oom) {
		qsort(items, n, sizeof(*items), item_cmp);
	}
	for (i = 0; i < n && !sb.oom; i = j) {
		for (j = i + 1; j < n && items[j].gid == items[i].gid; j++)
			continue;
		sb_add(&sb, ",", i > 0);
		render_group(&sb, hl, nums, items + i, j - i);
	}
	free(nums);
	free(items);
	if (sb.oom) {
		free(sb.s);
		return NULL;
	}
	return sb.s;
}
