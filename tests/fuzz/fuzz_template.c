/* fuzz_template.c: fuzz target for command templates (core/template.c).
 * The input is a template, a NUL, then two values. Properties:
 *  - a value is exactly one argument: "cmd $service" gives {cmd, value}
 *    byte for byte, and any template gives as many words, and succeeds or
 *    fails alike, whatever the (non-empty) values are;
 *  - the argv round-trips: template_quote() read back by argv_split()
 *    (the splitter that templates use) is the same argv. */
#include "config.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "core/argv.h"
#include "core/template.h"
#include "core/xalloc.h"
#include "tests/fuzz/fuzz.h"

static size_t
count(char **argv)
{
	size_t	n = 0;

	while (argv[n] != NULL)
		n++;
	return (n);
}

static void
same_argv(char **a, char **b)
{
	size_t	i;

	fuzz_check(count(a) == count(b));
	for (i = 0; a[i] != NULL; i++)
		fuzz_check(strcmp(a[i], b[i]) == 0);
}

/* template_quote(argv), split again, is argv. */
static void
round_trip(char **argv)
{
	char	*line, **back, *err = NULL;

	line = template_quote(argv);
	back = argv_split(line, &err);
	fuzz_check(back != NULL);
	same_argv(argv, back);
	argv_free(back);
	free(line);
}

static char **
expand_flags(const char *tmpl, const char *service, const char *version,
    int flags)
{
	const struct template_var	vars[] = {
		{ "service", service },
		{ "version", version },
		{ "environment", "prod" },
	};
	char				*err = NULL, **argv;

	argv = template_expand_flags(tmpl, vars, 3, flags, &err);
	fuzz_check((argv == NULL) != (err == NULL));
	free(err);
	return (argv);
}

/* Values may start with "-" here: the properties below are about words. */
static char **
expand(const char *tmpl, const char *service, const char *version)
{
	return (expand_flags(tmpl, service, version, TEMPLATE_DASH_VALUES));
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char	*end = (const char *)data + size, *p;
	char		*tmpl, *v1, *v2, **a, **b, *want;

	tmpl = fuzz_string(data, size);
	p = (const char *)data + strlen(tmpl);
	p = p < end ? p + 1 : end;
	v1 = fuzz_string((const uint8_t *)p, (size_t)(end - p));
	p += strlen(v1);
	p = p < end ? p + 1 : end;
	v2 = fuzz_string((const uint8_t *)p, (size_t)(end - p));

	a = expand(tmpl, v1, v2);
	if (a != NULL)
		round_trip(a);
	if (v1[0] != '\0' && v2[0] != '\0') {
		b = expand(tmpl, "S", "V");
		fuzz_check((a == NULL) == (b == NULL));
		if (a != NULL)
			fuzz_check(count(a) == count(b));
		argv_free(b);
	}
	argv_free(a);

	/* A value that would start an argument with "-" is refused, unless
	 * the section allows it; anything else is taken. */
	a = expand_flags("cmd $service", v1, v2, 0);
	fuzz_check((a != NULL) == (v1[0] != '\0' && v1[0] != '-'));
	argv_free(a);

	/* The value arrives as one argument, byte for byte. */
	a = expand("cmd $service", v1, v2);
	fuzz_check((a != NULL) == (v1[0] != '\0'));
	if (a != NULL) {
		fuzz_check(count(a) == 2 && strcmp(a[1], v1) == 0);
		round_trip(a);
		argv_free(a);
	}
	a = expand("cmd \"--to=${version}\" x'$service'y", v1, v2);
	if (a != NULL) {
		want = xasprintf("--to=%s", v2);
		fuzz_check(count(a) == 3 && strcmp(a[1], want) == 0);
		free(want);
		round_trip(a);
		argv_free(a);
	}
	free(tmpl);
	free(v1);
	free(v2);
	return (0);
}
