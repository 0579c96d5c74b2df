/*
 * frchain: tokens, clean-up and recursive descent.  See frchain.h.
 */
#include "config.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "frchain.h"

#define FR_CHAIN_DEPTH	64	/* nested parentheses */
#define FR_CHAIN_TOKENS	4096	/* operators and commands in one block */

struct tok {
	char	 op;		/* ';' '&' '|' '(' ')' or 0 for a command */
	char	*text;
	size_t	 len;
};

struct toks {
	struct tok	*v;
	size_t		 n;
	size_t		 cap;
	size_t		 pos;	/* the parser's cursor */
	struct errbuf	*eb;
};

static int
push(struct toks *t, char op, const char *text, size_t len)
{
	struct tok *nv;

	if (op == 0) {
		while (len > 0 && isspace((unsigned char)*text))
			text++, len--;
		while (len > 0 && isspace((unsigned char)text[len - 1]))
			len--;
		if (len == 0)
			return 0;
	}
	if (t->n == FR_CHAIN_TOKENS)
		return err_set(t->eb, "too many commands and operators in one block (max %d)",
		    FR_CHAIN_TOKENS);
	if (t->n == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 16;
		if ((nv = realloc(t->v, t->cap * sizeof(*nv))) == NULL)
			return err_set(t->eb, "out of memory");
		t->v = nv;
	}
	t->v[t->n].op = op;
	t->v[t->n].text = NULL;
	t->v[t->n].len = len;
	if (op == 0) {
		if ((t->v[t->n].text = malloc(len + 1)) == NULL)
			return err_set(t->eb, "out of memory");
		memcpy(t->v[t->n].text, text, len);
		t->v[t->n].text[len] = '\0';
	}
	t->n++;
	return 0;
}

static int
is_op(char c)
{
	return c == ';' || c == '&' || c == '|' || c == '(' || c == ')';
}

/*
 * Split into operators and command texts.  A newline outside quotes is a
 * `;' (the reference writes " ; " in its place, which is the same thing
 * once command texts are trimmed).
 */
static int
tokenize(struct toks *t, const char *s, size_t len)
{
	size_t i, start = 0;
	char quote = 0;
	int depth = 0;

	for (i = 0; i < len; i++) {
		char c = s[i];

		if (quote) {
			if (c == quote)
				quote = 0;
			continue;
		}
		if (c == '"' || c == '\'') {
			quote = c;
			continue;
		}
		if (c != '\n' && !is_op(c))
			continue;
		if (push(t, 0, s + start, i - start) < 0 || push(t, c == '\n' ? ';' : c, NULL, 0) < 0)
			return -1;
		start = i + 1;
		if (c == '(')
			depth++;
		else if (c == ')' && --depth < 0)
			return err_set(t->eb, "unexpected closing parenthesis");
	}
	if (quote)
		return err_set(t->eb, quote == '"' ? "unclosed double quote" :
		    "unclosed single quote");
	if (depth > 0)
		return err_set(t->eb, "unclosed parenthesis");
	return push(t, 0, s + start, len - start);
}

static int
is_joiner(const struct tok *k)
{
	return k->op == ';' || k->op == '&' || k->op == '|';
}

/* Drop leading and trailing joiners; a run of joiners keeps its first. */
static void
clean_ops(struct toks *t)
{
	size_t i, j = 0;

	for (i = 0; i < t->n; i++) {
		if (is_joiner(&t->v[i]) && (j == 0 || is_joiner(&t->v[j - 1])))
			continue;
		t->v[j++] = t->v[i];
	}
	while (j > 0 && is_joiner(&t->v[j - 1]))
		j--;
	t->n = j;
}

static struct fr_node *
node(struct toks *t, enum fr_node_kind kind, struct fr_node *l, struct fr_node *r)
{
	struct fr_node *n;

	if ((n = calloc(1, sizeof(*n))) == NULL) {
		err_set(t->eb, "out of memory");
		frchain_free(l);
		frchain_free(r);
		return NULL;
	}
	n->kind = kind;
	n->left = l;
	n->right = r;
	return n;
}

static struct fr_node *sequence(struct toks *, int);

static struct fr_node *
primary(struct toks *t, int depth)
{
	struct fr_node *n;
	struct tok *k;

	if (t->pos == t->n) {
		err_set(t->eb, "unexpected end of block");
		return NULL;
	}
	k = &t->v[t->pos];
	if (k->op == 0) {
		if ((n = node(t, FRN_SINGLE, NULL, NULL)) == NULL)
			return NULL;
		n->text = k->text;
		n->textlen = k->len;
		k->text = NULL;
		t->pos++;
		return n;
	}
	if (k->op != '(') {
		err_set(t->eb, "unexpected token at position %zu", t->pos);
		return NULL;
	}
	if (depth >= FR_CHAIN_DEPTH) {
		err_set(t->eb, "too many nested parentheses (max %d)", FR_CHAIN_DEPTH);
		return NULL;
	}
	t->pos++;
	if ((n = sequence(t, depth + 1)) == NULL)
		return NULL;
	if (t->pos == t->n || t->v[t->pos].op != ')') {
		if (t->pos == t->n)
			err_set(t->eb, "unclosed parenthesis");
		else
			err_set(t->eb, "unexpected token at position %zu", t->pos);
		frchain_free(n);
		return NULL;
	}
	t->pos++;
	return n;
}

static struct fr_node *
recovery(struct toks *t, int depth)
{
	struct fr_node *l, *r;

	if ((l = primary(t, depth)) == NULL)
		return NULL;
	if (t->pos == t->n || t->v[t->pos].op != '|')
		return l;
	t->pos++;
	if ((r = recovery(t, depth)) == NULL) {
		frchain_free(l);
		return NULL;
	}
	return node(t, FRN_RECOVERY, l, r);
}

static struct fr_node *
sequence(struct toks *t, int depth)
{
	struct fr_node *l, *r;
	char op;

	if ((l = recovery(t, depth)) == NULL)
		return NULL;
	while (t->pos < t->n && (t->v[t->pos].op == ';' || t->v[t->pos].op == '&')) {
		op = t->v[t->pos++].op;
		if ((r = recovery(t, depth)) == NULL) {
			frchain_free(l);
			return NULL;
		}
		if ((l = node(t, op == ';' ? FRN_STRICT : FRN_PERMISSIVE, l, r)) == NULL)
			return NULL;
	}
	return l;
}

static int
all_space(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (!isspace((unsigned char)s[i]))
			return 0;
	return 1;
}

struct fr_node *
frchain_parse(const char *block, size_t len, struct errbuf *eb)
{
	struct toks t = { NULL, 0, 0, 0, eb };
	struct fr_node *root = NULL;
	size_t i;

	if (all_space(block, len)) {
		err_set(eb, "empty command block");
		return NULL;
	}
	if (tokenize(&t, block, len) == 0) {
		clean_ops(&t);
		if (t.n == 0)
			err_set(eb, "empty command block");
		else if ((root = sequence(&t, 0)) != NULL && t.pos < t.n) {
			err_set(eb, "unexpected token at position %zu", t.pos);
			frchain_free(root);
			root = NULL;
		}
	}
	for (i = 0; i < t.n; i++)
		free(t.v[i].text);
	free(t.v);
	return root;
}

void
frchain_free(struct fr_node *n)
{
	if (n == NULL)
		return;
	frchain_free(n->left);
	frchain_free(n->right);
	free(n->text);
	free(n);
}
