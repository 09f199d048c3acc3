/* template.h: command templates → argv, without a shell. The template is
 * split into words first (argv_split: quotes and backslashes group, nothing
 * expands), then $name and ${name} are replaced inside each word, so that a
 * value can never split a word, add one or run anything: a service called
 * "api; touch /tmp/x" stays one argument. "$$" is a literal "$". Pure. */
#ifndef SITREP_TEMPLATE_H
#define SITREP_TEMPLATE_H

#include <stddef.h>

/* The variables a template may use; a NULL or empty value means "this
 * record has none" and is an error when the template uses it. */
struct template_var {
	const char	*name;
	const char	*value;
};

/* The argv (NULL-ended, heap; free with argv_free), or NULL with *err
 * (heap) naming the problem: unbalanced quotes, an unknown $variable, a
 * variable with no value, an empty template, or a value that would be
 * read as an option: one that starts an argument with "-" ("$service"
 * being "--namespace=kube-system" or "-rf"), unless a "--" word of the
 * template comes before it. A value inside an argument ("--name=$service")
 * cannot become an option of its own and is fine. */
char	**template_expand(const char *, const struct template_var *, size_t,
	     char **err);

/* template_expand with flags: TEMPLATE_DASH_VALUES lets a value start an
 * argument with "-" (the configuration said so: allow_dash_values). */
#define TEMPLATE_DASH_VALUES	0x1
char	**template_expand_flags(const char *, const struct template_var *,
	     size_t, int flags, char **err);

/* The argv as one line a person can read and paste into sh: words that
 * need it are single-quoted (heap). */
char	 *template_quote(char *const *argv);

#endif
