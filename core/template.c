/* template.c: command templates → argv (see template.h). Splitting comes
 * before substitution on purpose: substituted text is data, never syntax. */
#include "config.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "core/argv.h"
#include "core/sbuf.h"
#include "core/secret.h"
#include "core/template.h"
#include "core/xalloc.h"

static bool
is_name_start(int c)
{
	return ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_');
}

static bool
is_name_char(int c)
{
	return (is_name_start(c) || (c >= '0' && c <= '9'));
}

static const struct template_var *
var_find(const struct template_var *v, size_t n, const char *name, size_t len)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		if (strlen(v[i].name) == len &&
		    strncmp(v[i].name, name, len) == 0)
			return (&v[i]);
	}
	return (NULL);
}

/*
 * The name after a "$" at s: "name" or "{name}". Sets *name, *len and
 * returns the characters consumed after the "$", or 0 if there is no name.
 */
static size_t
var_name(const char *s, const char **name, size_t *len)
{
	size_t	n;

	if (*s == '{') {
		for (n = 1; is_name_char((unsigned char)s[n]); n++)
			;
		if (n == 1 || s[n] != '}' || !is_name_start((unsigned char)s[1]))
			return (0);
		*name = s + 1;
		*len = n - 1;
		return (n + 1);
	}
	if (!is_name_start((unsigned char)*s))
		return (0);
	for (n = 1; is_name_char((unsigned char)s[n]); n++)
		;
	*name = s;
	*len = n;
	return (n);
}

/*
 * A program reads an argument that starts with "-" as an option: a deploy
 * named "--namespace=kube-system" must not become one. The error, or NULL.
 */
static char *
dash_refused(const struct template_var *var)
{
	return (xasprintf("$%s is \"%s\", which the program would read as an "
	    "option: refused (put -- before it in the command, or set "
	    "allow_dash_values = yes in its section; sitrep.conf(5))", var->name, var->value));
}

/* Substitute the variables of one word into sb; NULL or the error. A
 * value may start the word with "-" only when dash_ok. */
static char *
expand_word(const char *w, const struct template_var *v, size_t nv,
    bool dash_ok, struct sbuf *sb)
{
	const struct template_var	*var;
	const char			*name;
	size_t				 len, used;

	sbuf_reset(sb);
	while (*w != '\0') {
		if (*w != '$') {
			sbuf_addc(sb, *w++);
			continue;
		}
		if (w[1] == '$') {
			sbuf_addc(sb, '$');
			w += 2;
			continue;
		}
		if ((used = var_name(w + 1, &name, &len)) == 0)
			return (xstrdup("a \"$\" must start a variable "
			    "($name or ${name}); write $$ for a \"$\""));
		if ((var = var_find(v, nv, name, len)) == NULL)
			return (xasprintf("unknown variable $%.*s", (int)len,
			    name));
		if (var->value == NULL || *var->value == '\0')
			return (xasprintf("$%s has no value here", var->name));
		if (sb->len == 0 && *var->value == '-' && !dash_ok)
			return (dash_refused(var));
		sbuf_adds(sb, var->value);
		w += 1 + used;
	}
	return (NULL);
}

char **
template_expand(const char *tmpl, const struct template_var *v, size_t nv,
    char **err)
{
	return (template_expand_flags(tmpl, v, nv, 0, err));
}

char **
template_expand_flags(const char *tmpl, const struct template_var *v,
    size_t nv, int flags, char **err)
{
	char		**argv;
	struct sbuf	  sb;
	size_t		  i;
	bool		  dash_ok = (flags & TEMPLATE_DASH_VALUES) != 0;

	*err = NULL;
	if ((argv = argv_split(tmpl, err)) == NULL)
		return (NULL);
	if (argv[0] == NULL) {
		argv_free(argv);
		*err = xstrdup("the command is empty");
		return (NULL);
	}
	sbuf_init(&sb);
	for (i = 0; argv[i] != NULL; i++) {
		/* After a "--" of the template's own, values are operands. */
		if (strcmp(argv[i], "--") == 0)
			dash_ok = true;
		if ((*err = expand_word(argv[i], v, nv, dash_ok, &sb)) != NULL) {
			sbuf_free(&sb);
			argv_free(argv);
			return (NULL);
		}
		free(argv[i]);
		argv[i] = xstrndup(sb.s, sb.len);
	}
	sbuf_free(&sb);
	return (argv);
}

static bool
needs_quotes(const char *s)
{
	if (*s == '\0')
		return (true);
	for (; *s != '\0'; s++) {
		if (strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
		    "0123456789-_./=:,+@%", *s) == NULL)
			return (true);
	}
	return (false);
}

char *
template_quote(char *const *argv)
{
	struct sbuf	 sb;
	const char	*p;
	size_t		 i;

	sbuf_init(&sb);
	for (i = 0; argv[i] != NULL; i++) {
		if (i > 0)
			sbuf_addc(&sb, ' ');
		if (!needs_quotes(argv[i])) {
			sbuf_adds(&sb, argv[i]);
			continue;
		}
		sbuf_addc(&sb, '\'');
		for (p = argv[i]; *p != '\0'; p++) {
			if (*p == '\'')
				sbuf_adds(&sb, "'\\''");
			else
				sbuf_addc(&sb, *p);
		}
		sbuf_addc(&sb, '\'');
	}
	return (sbuf_steal(&sb));
}
