/* loki_query.c: LogQL with a service put in, quoted for where it lands
 * (see loki_query.h). */
#include "config.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "backends/loki_query.h"
#include "core/sbuf.h"
#include "core/xalloc.h"

/* A Go-quoted string, as LogQL writes label values. */
void
loki_query_quote(struct sbuf *sb, const char *s)
{
	static const char	hex[] = "0123456789abcdef";
	unsigned char		c;

	sbuf_addc(sb, '"');
	for (; *s != '\0'; s++) {
		c = (unsigned char)*s;
		if (c == '"' || c == '\\') {
			sbuf_addc(sb, '\\');
			sbuf_addc(sb, (char)c);
		} else if (c == '\n')
			sbuf_adds(sb, "\\n");
		else if (c == '\r')
			sbuf_adds(sb, "\\r");
		else if (c == '\t')
			sbuf_adds(sb, "\\t");
		else if (c < 0x20 || c == 0x7f) {
			sbuf_adds(sb, "\\x");
			sbuf_addc(sb, hex[c >> 4]);
			sbuf_addc(sb, hex[c & 0xf]);
		} else
			sbuf_addc(sb, (char)c);
	}
	sbuf_addc(sb, '"');
}

static const char *
loki_service_ref(const char *p)
{
	if (strncmp(p, "$service", 8) == 0 &&
	    !(isalnum((unsigned char)p[8]) || p[8] == '_'))
		return (p + 8);
	if (strncmp(p, "${service}", 10) == 0)
		return (p + 10);
	return (NULL);
}

bool
loki_query_uses_service(const char *t)
{
	for (; t != NULL && *t != '\0'; t++) {
		if (*t == '$' && loki_service_ref(t) != NULL)
			return (true);
	}
	return (false);
}

/* Is the string literal opening at q the operand of a regex operator? */
static bool
loki_regex_context(const char *start, const char *q)
{
	while (q > start && (q[-1] == ' ' || q[-1] == '\t'))
		q--;
	return (q - start >= 2 && q[-1] == '~' &&
	    (q[-2] == '=' || q[-2] == '!' || q[-2] == '|'));
}

/* RE2 metacharacters escaped, so that a service matches only itself. */
static char *
loki_regex_escape(const char *s)
{
	struct sbuf	sb;

	sbuf_init(&sb);
	for (; *s != '\0'; s++) {
		if (strchr("\\.+*?()|[]{}^$", *s) != NULL)
			sbuf_addc(&sb, '\\');
		sbuf_addc(&sb, *s);
	}
	return (sbuf_steal(&sb));
}

/* The service as it must be written where it lands. */
static bool
loki_put_service(struct sbuf *sb, char quote, bool regex, const char *svc,
    char **error)
{
	char		*re = regex ? loki_regex_escape(svc) : NULL;
	const char	*v = re != NULL ? re : svc;
	struct sbuf	 q;

	if (quote == '`') {
		if (strchr(v, '`') != NULL) {
			*error = xstrdup("the service name contains a backquote, "
			    "which cannot go inside `...` in the query");
			free(re);
			return (false);
		}
		sbuf_adds(sb, v);
	} else {
		sbuf_init(&q);
		loki_query_quote(&q, v);
		if (quote == '"')
			sbuf_add(sb, q.s + 1, q.len - 2);
		else
			sbuf_add(sb, q.s, q.len);
		sbuf_free(&q);
	}
	free(re);
	return (true);
}

char *
loki_query_expand(const char *t, const char *svc, char **error)
{
	struct sbuf	 sb;
	const char	*p, *after, *open = NULL;
	char		 quote = 0;

	*error = NULL;
	sbuf_init(&sb);
	for (p = t; *p != '\0'; p++) {
		if (*p == '$' && (after = loki_service_ref(p)) != NULL) {
			if (svc == NULL) {
				*error = xstrdup("the query uses $service and no "
				    "service is selected");
				sbuf_free(&sb);
				return (NULL);
			}
			if (!loki_put_service(&sb, quote, quote != 0 &&
			    loki_regex_context(t, open), svc, error)) {
				sbuf_free(&sb);
				return (NULL);
			}
			p = after - 1;
			continue;
		}
		sbuf_addc(&sb, *p);
		if (quote == '"' && *p == '\\' && p[1] != '\0') {
			sbuf_addc(&sb, *++p);
			continue;
		}
		if (quote == 0 && (*p == '"' || *p == '`')) {
			quote = *p;
			open = p;
		} else if (quote != 0 && *p == quote)
			quote = 0;
	}
	return (sbuf_steal(&sb));
}

char *
loki_query_count(const char *q, int64_t range_ms)
{
	return (xasprintf("sum(count_over_time(%s [%lldms]))", q,
	    (long long)range_ms));
}
