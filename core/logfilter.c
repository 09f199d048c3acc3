/* logfilter.c: the keep/hide filter stack (see logfilter.h). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "core/logfilter.h"
#include "core/sbuf.h"
#include "core/xalloc.h"

bool
logfilter_push(struct logfilter *f, enum logfilter_kind kind,
    const char *pattern, char **error)
{
	struct lregex	re;

	if (!lregex_compile(&re, pattern, error))
		return (false);
	f->v = xreallocarray(f->v, f->n + 1, sizeof *f->v);
	f->v[f->n].kind = kind;
	f->v[f->n].re = re;
	f->n++;
	return (true);
}

void
logfilter_clear(struct logfilter *f)
{
	size_t	i;

	for (i = 0; i < f->n; i++)
		lregex_free(&f->v[i].re);
	free(f->v);
	f->v = NULL;
	f->n = 0;
}

bool
logfilter_pass(struct logfilter *f, const char *s, size_t len)
{
	size_t	i;
	bool	m;

	for (i = 0; i < f->n; i++) {
		m = lregex_match(&f->v[i].re, s, len);
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
		sbuf_adds(sb, f->v[i].re.pattern);
	}
}
