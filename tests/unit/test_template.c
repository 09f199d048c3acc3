/* test_template.c: a rollback or runbook command is written once as a
 * template and filled from a deploy's fields. Whatever a field holds, it
 * lands in exactly one argument and is never read as syntax. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/argv.h"
#include "core/secret.h"
#include "core/template.h"

static const struct template_var deploy_vars[] = {
	{ "service", "checkout" },
	{ "revision", "a1b2c3d" },
	{ "previous_revision", "9f8e7d6" },
	{ "version", "v2.14.0" },
	{ "environment", "prod" },
};
#define NVARS (sizeof deploy_vars / sizeof deploy_vars[0])

static void
assert_argv(char **argv, const char *const *want)
{
	size_t	i;

	assert_non_null(argv);
	for (i = 0; want[i] != NULL; i++) {
		assert_non_null(argv[i]);
		assert_string_equal(argv[i], want[i]);
	}
	assert_null(argv[i]);
}

static void
kubectl_rollback_is_filled_from_the_deploy(void **state)
{
	static const char *const want[] = {
		"kubectl", "rollout", "undo", "deployment/checkout", "-n",
		"prod", "--to-revision=9f8e7d6", NULL
	};
	char	*err = NULL, **argv;

	argv = template_expand("kubectl rollout undo deployment/$service "
	    "-n ${environment} --to-revision=$previous_revision", deploy_vars,
	    NVARS, &err);
	assert_null(err);
	assert_argv(argv, want);
	argv_free(argv);
}

static void
a_hostile_value_stays_one_argument(void **state)
{
	static const char *const evil[] = {
		"api; touch /tmp/x",
		"$(touch /tmp/y)",
		"`id`",
		"it's \"quoted\"",
		"a b\tc\nd",
		"$previous_revision",	/* a value is never expanded again */
		"--force",
	};
	struct template_var	 v[] = { { "service", NULL } };
	char			*err, **argv, *want;
	size_t			 i;

	for (i = 0; i < sizeof evil / sizeof evil[0]; i++) {
		v[0].value = evil[i];
		err = NULL;
		argv = template_expand("helm rollback 'release $service' "
		    "x-$service", v, 1, &err);
		assert_null(err);
		assert_string_equal(argv[0], "helm");
		assert_string_equal(argv[1], "rollback");
		want = NULL;
		assert_int_not_equal(asprintf(&want, "release %s", evil[i]), -1);
		assert_string_equal(argv[2], want);
		free(want);
		assert_int_not_equal(asprintf(&want, "x-%s", evil[i]), -1);
		assert_string_equal(argv[3], want);
		free(want);
		assert_null(argv[4]);
		argv_free(argv);
	}
}

static void
dollar_dollar_is_a_dollar(void **state)
{
	static const char *const want[] = { "echo", "$5", "$service",
	    "cost:$", NULL };
	char	*err = NULL, **argv;

	argv = template_expand("echo $$5 $$service cost:$$", deploy_vars,
	    NVARS, &err);
	assert_null(err);
	assert_argv(argv, want);
	argv_free(argv);
}

static void
an_unknown_variable_is_named(void **state)
{
	char	*err = NULL, **argv;

	argv = template_expand("deploy $servise now", deploy_vars, NVARS,
	    &err);
	assert_null(argv);
	assert_non_null(err);
	assert_non_null(strstr(err, "$servise"));
	free(err);

	err = NULL;
	argv = template_expand("x ${nope}", deploy_vars, NVARS, &err);
	assert_null(argv);
	assert_non_null(strstr(err, "$nope"));
	free(err);
}

static void
a_missing_value_refuses_instead_of_running_with_nothing(void **state)
{
	struct template_var	 v[] = { { "service", "api" },
	    { "previous_revision", NULL }, { "version", "" } };
	char			*err = NULL, **argv;

	argv = template_expand("undo $service --to=$previous_revision", v, 3,
	    &err);
	assert_null(argv);
	assert_non_null(strstr(err, "$previous_revision has no value"));
	free(err);
	err = NULL;
	argv = template_expand("undo $version", v, 3, &err);
	assert_null(argv);
	assert_non_null(strstr(err, "$version"));
	free(err);
}

static void
broken_templates_are_errors(void **state)
{
	static const char *const bad[] = {
		"", "   ", "kubectl 'unterminated", "x \"open", "x $", "x $5",
		"x ${", "x ${service", "x ${}", "x ${1a}", "trailing \\",
	};
	char	*err, **argv;
	size_t	 i;

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		err = NULL;
		argv = template_expand(bad[i], deploy_vars, NVARS, &err);
		if (argv != NULL)
			fail_msg("\"%s\" was accepted", bad[i]);
		assert_non_null(err);
		free(err);
	}
}

/* The manual's own example: a deploy named "--namespace=kube-system" or
 * "-rf" must not reach helm as an option. */
static void
a_value_that_would_be_an_option_is_refused_and_named(void **state)
{
	static const char *const evil[] = {
		"--namespace=kube-system", "-rf", "-", "--",
	};
	struct template_var	 v[] = { { "service", NULL },
	    { "previous_revision", "3" } };
	char			*err, **argv;
	size_t			 i;

	for (i = 0; i < sizeof evil / sizeof evil[0]; i++) {
		v[0].value = evil[i];
		err = NULL;
		argv = template_expand("helm rollback $service "
		    "$previous_revision", v, 2, &err);
		if (argv != NULL)
			fail_msg("\"%s\" became argument %s", evil[i], argv[2]);
		assert_non_null(err);
		assert_non_null(strstr(err, evil[i]));
		assert_non_null(strstr(err, "$service"));
		assert_non_null(strstr(err, "option"));
		free(err);
		/* Starting a longer argument is just as much an option. */
		err = NULL;
		argv = template_expand("helm rollback ${service}x", v, 2, &err);
		assert_null(argv);
		assert_non_null(err);
		free(err);
	}
}

static void
a_value_after_double_dash_is_an_operand(void **state)
{
	static const char *const want[] = { "helm", "rollback", "--wait",
	    "--", "--namespace=kube-system", "3", NULL };
	struct template_var	 v[] = { { "service", "--namespace=kube-system" },
	    { "previous_revision", "3" } };
	char			*err = NULL, **argv;

	argv = template_expand("helm rollback --wait -- $service "
	    "$previous_revision", v, 2, &err);
	assert_null(err);
	assert_argv(argv, want);
	argv_free(argv);
}

static void
a_dash_inside_an_argument_cannot_be_an_option(void **state)
{
	static const char *const want[] = { "deploy", "--name=-rf",
	    "release--rf", NULL };
	struct template_var	 v[] = { { "service", "-rf" } };
	char			*err = NULL, **argv;

	argv = template_expand("deploy --name=$service release-$service", v, 1,
	    &err);
	assert_null(err);
	assert_argv(argv, want);
	argv_free(argv);
}

static void
allow_dash_values_lets_it_through(void **state)
{
	static const char *const want[] = { "undo", "-rf", NULL };
	struct template_var	 v[] = { { "service", "-rf" } };
	char			*err = NULL, **argv;

	argv = template_expand_flags("undo $service", v, 1,
	    TEMPLATE_DASH_VALUES, &err);
	assert_null(err);
	assert_argv(argv, want);
	argv_free(argv);
	argv = template_expand_flags("undo $service", v, 1, 0, &err);
	assert_null(argv);
	assert_non_null(strstr(err, "-rf"));
	free(err);
}

static void
quoting_shows_what_sh_would_need(void **state)
{
	char	*argv[] = { "kubectl", "rollout", "deployment/api; touch /x",
	    "it's", "", "--to-revision=9f8e7d6", NULL };
	char	*line;

	line = template_quote(argv);
	assert_string_equal(line, "kubectl rollout 'deployment/api; touch /x' "
	    "'it'\\''s' '' --to-revision=9f8e7d6");
	free(line);
}

int
main(void)
{
	const struct CMUnitTest	tests[] = {
		cmocka_unit_test(kubectl_rollback_is_filled_from_the_deploy),
		cmocka_unit_test(a_hostile_value_stays_one_argument),
		cmocka_unit_test(dollar_dollar_is_a_dollar),
		cmocka_unit_test(an_unknown_variable_is_named),
		cmocka_unit_test(
		    a_missing_value_refuses_instead_of_running_with_nothing),
		cmocka_unit_test(broken_templates_are_errors),
		cmocka_unit_test(quoting_shows_what_sh_would_need),
		cmocka_unit_test(
		    a_value_that_would_be_an_option_is_refused_and_named),
		cmocka_unit_test(a_value_after_double_dash_is_an_operand),
		cmocka_unit_test(a_dash_inside_an_argument_cannot_be_an_option),
		cmocka_unit_test(allow_dash_values_lets_it_through),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
