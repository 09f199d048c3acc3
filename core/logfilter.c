/* logfilter.c: the keep/hide filter stack (see logfilter.h). Fields are
 * recognized once per line, and only when a matcher asks for them. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "core/logfields.h"
#include "core/logfilter.h"
#include "core/sbuf.h"
#include "core/xalloc.h"

bool
logfilter_push(struct logfilter *f, enum logfilter_kind kind,
    const char *text, char **error)
{
	struct logfilter_rule	r;

	memset(&r, 0, sizeof r);
	r.kind = kind;
	if (logmatch_is(text)) {
		if (!logmatch_parse(&r.m, text, error))
			return (false);
		r.matcher = true;
	} else if (!lregex_compile(&r.re, text, error))
		return (false);
	r.text = xstrdup(text);
	f->v = xreallocarray(f->v, f->n + 1, sizeof *f->v);
	f->v[f->n++] = r;
	return (true);
}

static void
logfilter_rule_free(struct logfilter_rule *r)
{
	free(r->text);
	if (r->matcher)
		logmatch_free(&r->m);
	else
		lregex_free(&r->re);
}

bool
logfilter_pop(struct logfilter *f)
{
	if (f->n == 0)
		return (false);
	logfilter_rule_free(&f->v[--f->n]);
	return (true);
}

void
logfilter_clear(struct logfilter *f)
{
	size_t	i;

	for (i = 0; i < f->n; i++)
		logfilter_rule_free(&f->v[i]);
	free(f->v);
	free(f->fields);
	f->v = NULL;
	f->fields = NULL;
	f->n = 0;
}

bool
logfilter_pass(struct logfilter *f, const char *labels, const char *s,
    size_t len)
{
	size_t	i;
	bool	m, parsed = false;

	for (i = 0; i < f->n; i++) {
		if (!f->v[i].matcher)
			m = lregex_match(&f->v[i].re, s, len);
		else {
			if (f->fields == NULL)
				f->fields = xmalloc(sizeof *f->fields);
			m = logmatch_eval(&f->v[i].m, labels, s, len,
			    f->fields, &parsed);
		}
		if (m != (f->v[i].kind == LOGFILTER_KEEP))
			return (false);
	}
	return (true);
}

void
logfilter_describe(const struct logfilter *f, struct sbuf *sb)
{
	size_t	i;

	for (i = 0; i < f->n; i++) {
		if (i > 0)
			sbuf_addc(sb, ' ');
		sbuf_addc(sb, f->v[i].kind == LOGFILTER_KEEP ? '+' : '-');
		if (f->v[i].matcher)
			logmatch_describe(&f->v[i].m, sb);
		else
			sbuf_adds(sb, f->v[i].re.pattern);
	}
}
