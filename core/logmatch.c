/*
 * logmatch.c: label and field matchers (see logmatch.h). The parser walks
 * the text once, keeping the column it is at so that an error names it;
 * matching unescapes a label's or field's value into one buffer the set
 * keeps, so that a line costs no allocation.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "core/logfields.h"
#include "core/logmatch.h"
#include "core/xalloc.h"

static bool
lm_key_char(char c, bool first)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
	    c == '@')
		return (true);
	return (!first && ((c >= '0' && c <= '9') || c == '.' || c == '-'));
}

static size_t
lm_space(const char *s, size_t i)
{
	while (s[i] == ' ' || s[i] == '\t')
		i++;
	return (i);
}

/* The length of the operator at s, 0 if none. */
static size_t
lm_op(const char *s, enum logmatch_op *op)
{
	if (s[0] == '=' && s[1] == '~') {
		*op = LOGMATCH_RE;
		return (2);
	}
	if (s[0] == '!' && s[1] == '~') {
		*op = LOGMATCH_NRE;
		return (2);
	}
	if (s[0] == '!' && s[1] == '=') {
		*op = LOGMATCH_NE;
		return (2);
	}
	if (s[0] == '=') {
		*op = LOGMATCH_EQ;
		return (1);
	}
	return (0);
}

/* Characters a regex means something by: a value with one is quoted
 * ("a|b" as a value), else the text is a regex (level=error|timeout). */
#define LM_REGEX_CHARS	"|()[]*+?^$\\"

bool
logmatch_is(const char *s)
{
	size_t			i = lm_space(s, 0), n;
	enum logmatch_op	op;

	if (s[i] == '{')
		return (true);
	if (!lm_key_char(s[i], true))
		return (false);
	while (lm_key_char(s[i], false))
		i++;
	i = lm_space(s, i);
	if ((n = lm_op(s + i, &op)) == 0)
		return (false);
	i = lm_space(s, i + n);
	if (s[i] == '"')
		return (true);
	n = strcspn(s + i, ", \t\"");
	return (strcspn(s + i, LM_REGEX_CHARS) >= n);
}

static bool
lm_error(char **error, size_t col, const char *what)
{
	*error = xasprintf("column %zu: %s", col + 1, what);
	return (false);
}

/* A quoted value from the quote at s[*i], escapes undone into sb. */
static bool
lm_quoted(const char *s, size_t *i, struct sbuf *sb, char **error)
{
	size_t	start = *i, k = *i + 1;

	while (s[k] != '\0' && s[k] != '"')
		k += (s[k] == '\\' && s[k + 1] != '\0') ? 2 : 1;
	if (s[k] != '"')
		return (lm_error(error, start, "the quote opened here is not "
		    "closed"));
	logfields_unescape(s + start + 1, k - start - 1, sb);
	*i = k + 1;
	return (true);
}

static bool
lm_one(struct logmatch *m, const char *s, size_t *pi, bool braced,
    char **error)
{
	struct logmatcher	 x;
	struct sbuf		 v;
	size_t			 i = lm_space(s, *pi), k, n;
	char			*pat, *why;

	memset(&x, 0, sizeof x);
	if (!lm_key_char(s[i], true))
		return (lm_error(error, i, "expected a label or field name"));
	for (k = i; lm_key_char(s[k], false); k++)
		;
	x.key = xstrndup(s + i, k - i);
	i = lm_space(s, k);
	if ((n = lm_op(s + i, &x.op)) == 0) {
		free(x.key);
		return (lm_error(error, i, "expected =, !=, =~ or !~"));
	}
	i = lm_space(s, i + n);
	sbuf_init(&v);
	if (s[i] == '"') {
		if (!lm_quoted(s, &i, &v, error)) {
			free(x.key);
			sbuf_free(&v);
			return (false);
		}
	} else {
		for (k = i; s[k] != '\0' && s[k] != ',' && s[k] != ' ' &&
		    s[k] != '\t' && s[k] != '"' && !(braced && s[k] == '}');
		    k++) {
			if (strchr(LM_REGEX_CHARS, s[k]) != NULL) {
				free(x.key);
				sbuf_free(&v);
				return (lm_error(error, k, "quote a value with "
				    "|()[]*+?^$\\ in it"));
			}
		}
		if (s[k] == '"') {
			free(x.key);
			sbuf_free(&v);
			return (lm_error(error, k, "a quote inside a value: "
			    "quote the whole value"));
		}
		sbuf_add(&v, s + i, k - i);
		i = k;
	}
	x.value = sbuf_steal(&v);
	if (x.op == LOGMATCH_RE || x.op == LOGMATCH_NRE) {
		pat = xasprintf("^(?:%s)$", x.value);
		if (!lregex_compile(&x.re, pat, &why)) {
			free(pat);
			*error = xasprintf("column %zu: %s: %s",
			    lm_space(s, *pi) + 1, x.key, why);
			free(why);
			free(x.key);
			free(x.value);
			return (false);
		}
		free(pat);
	}
	m->v = xreallocarray(m->v, m->n + 1, sizeof *m->v);
	m->v[m->n++] = x;
	*pi = i;
	return (true);
}

bool
logmatch_parse(struct logmatch *m, const char *s, char **error)
{
	struct logmatch	 out;
	size_t		 i = lm_space(s, 0);
	bool		 braced = false;

	*error = NULL;
	memset(&out, 0, sizeof out);
	sbuf_init(&out.tmp);
	if (s[i] == '{') {
		braced = true;
		i++;
	}
	for (;;) {
		if (!lm_one(&out, s, &i, braced, error))
			goto bad;
		i = lm_space(s, i);
		if (s[i] == ',') {
			i++;
			continue;
		}
		break;
	}
	if (braced) {
		if (s[i] != '}') {
			lm_error(error, i, "expected , or }");
			goto bad;
		}
		i = lm_space(s, i + 1);
	}
	if (s[i] != '\0') {
		lm_error(error, i, braced ? "text after }" :
		    "expected , between matchers");
		goto bad;
	}
	*m = out;
	return (true);
bad:
	logmatch_free(&out);
	return (false);
}

void
logmatch_free(struct logmatch *m)
{
	size_t	i;

	for (i = 0; i < m->n; i++) {
		free(m->v[i].key);
		free(m->v[i].value);
		if (m->v[i].op == LOGMATCH_RE || m->v[i].op == LOGMATCH_NRE)
			lregex_free(&m->v[i].re);
	}
	free(m->v);
	sbuf_free(&m->tmp);
	memset(m, 0, sizeof *m);
}

bool
logmatch_label(const char *labels, const char *key, struct sbuf *sb)
{
	const char	*p = labels, *k, *v;
	size_t		 klen = strlen(key);

	if (*p != '{')
		return (false);
	for (;;) {
		while (*p == '{' || *p == ',' || *p == ' ')
			p++;
		if (*p == '}' || *p == '\0')
			return (false);
		k = p;
		while (*p != '=' && *p != '\0')
			p++;
		if (*p != '=' || p[1] != '"')
			return (false);
		v = p += 2;
		while (*p != '"' && *p != '\0')
			p += (*p == '\\' && p[1] != '\0') ? 2 : 1;
		if (*p != '"')
			return (false);
		if ((size_t)(v - 2 - k) == klen && strncmp(k, key, klen) == 0) {
			logfields_unescape(v, (size_t)(p - v), sb);
			return (true);
		}
		p++;
	}
}

/* The value of key for this line: a label, else a field; "" if neither. */
static void
lm_lookup(struct logmatch *m, const char *labels, const char *text,
    size_t len, struct logfields *f, bool *parsed, const char *key)
{
	int	i;

	sbuf_reset(&m->tmp);
	if (labels != NULL && logmatch_label(labels, key, &m->tmp))
		return;
	if (!*parsed) {
		logfields_parse(text, len, f);
		*parsed = true;
	}
	if ((i = logfields_find(f, text, key)) >= 0)
		logfields_value(f, text, (size_t)i, &m->tmp);
}

/* A value written without escapes appears in the line as it is: a line
 * with none of an = matcher's value in its text or labels fails it
 * without its fields being recognized. */
static bool
lm_cannot(const struct logmatcher *x, const char *labels, const char *text,
    size_t len)
{
	size_t	vlen = strlen(x->value);

	if (x->op != LOGMATCH_EQ || vlen == 0)
		return (false);
	if (memmem(text, len, x->value, vlen) != NULL ||
	    (labels != NULL && strstr(labels, x->value) != NULL))
		return (false);
	/* An escape could spell the value otherwise (\u0065rror). */
	return (memchr(text, '\\', len) == NULL && (labels == NULL ||
	    strchr(labels, '\\') == NULL));
}

bool
logmatch_eval(struct logmatch *m, const char *labels, const char *text,
    size_t len, struct logfields *fields, bool *parsed)
{
	static struct logfields	 own;
	struct logfields	*f = fields != NULL ? fields : &own;
	bool			 mine = false, hit;
	size_t			 i;

	if (parsed == NULL)
		parsed = &mine;
	for (i = 0; i < m->n; i++) {
		if (lm_cannot(&m->v[i], labels, text, len))
			return (false);
	}
	for (i = 0; i < m->n; i++) {
		struct logmatcher *x = &m->v[i];

		lm_lookup(m, labels, text, len, f, parsed, x->key);
		switch (x->op) {
		case LOGMATCH_EQ:
		case LOGMATCH_NE:
			hit = m->tmp.len == strlen(x->value) &&
			    memcmp(m->tmp.s, x->value, m->tmp.len) == 0;
			if (hit != (x->op == LOGMATCH_EQ))
				return (false);
			break;
		case LOGMATCH_RE:
		case LOGMATCH_NRE:
			hit = lregex_match(&x->re, m->tmp.s, m->tmp.len);
			if (hit != (x->op == LOGMATCH_RE))
				return (false);
			break;
		}
	}
	return (true);
}

void
logmatch_quote(struct sbuf *sb, const char *v)
{
	sbuf_addc(sb, '"');
	for (; *v != '\0'; v++) {
		if (*v == '"' || *v == '\\')
			sbuf_addc(sb, '\\');
		if (*v == '\n')
			sbuf_adds(sb, "\\n");
		else
			sbuf_addc(sb, *v);
	}
	sbuf_addc(sb, '"');
}

void
logmatch_describe(const struct logmatch *m, struct sbuf *sb)
{
	static const char *const ops[] = { "=", "!=", "=~", "!~" };
	size_t	i;

	for (i = 0; i < m->n; i++) {
		if (i > 0)
			sbuf_adds(sb, ", ");
		sbuf_adds(sb, m->v[i].key);
		sbuf_adds(sb, ops[m->v[i].op]);
		logmatch_quote(sb, m->v[i].value);
	}
}
