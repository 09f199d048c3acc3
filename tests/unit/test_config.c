/* test_config.c: what a user writes in ~/.config/sitrep/config and what
 * sitrep makes of it: the values each source gets, and for every mistake the
 * "file:line: message" that check-config prints. Also how a token command is
 * split into words, and where a secret may come from without ever being
 * shown. A config split over included files (globs, relative to the file
 * that includes them) reads as one, its problems named at their own file
 * and line; [defaults "TYPE"] gives sections the keys they do not set. */
#include "config.h"

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/argv.h"
#include "core/conf.h"
#include "core/secret.h"
#include "core/timeutil.h"
#include "core/xalloc.h"

#define ERROR_RATIO \
	"sum(rate(http_requests_total{service=\"checkout\",code=~\"5..\"}" \
	"[$window])) / sum(rate(http_requests_total{service=\"checkout\"}" \
	"[$window]))"

/* DESIGN.md's example, with comments, a second header and blank lines. */
static const char good[] =
	"; sitrep configuration\n"				/* 1 */
	"[sitrep]\n"
	"environment = prod\n"
	"refresh = 15s ; how often to poll\n"
	"\n"							/* 5 */
	"[pagerduty]\n"
	"url = https://api.pagerduty.com\n"
	"token_command = pass show pagerduty/api\n"
	"from = ic@example.com\n"
	"services = PABC123, PDEF456\n"				/* 10 */
	"\n"
	"[alertmanager]\n"
	"url = http://alertmanager:9093\n"
	"\n"
	"# Mimir needs a tenant\n"				/* 15 */
	"[prometheus]\n"
	"url = http://prometheus:9090\n"
	"header = X-Scope-OrgID: team-a\n"
	"header = X-Extra: yes\n"
	"discover = sloth, pyrra\n"				/* 20 */
	"\n"
	"[slo \"checkout-availability\"]\n"
	"service = checkout\n"
	"objective = 99.9\n"
	"window = 30d\n"					/* 25 */
	"error_ratio = " ERROR_RATIO "\n"
	"\n"
	"[loki]\n"
	"  url = http://loki:3100\n"
	"query = {service=\"$service\"}\n"			/* 30 */
	"\n"
	"[rollback \"checkout\"]\n"
	"command = kubectl rollout undo deployment/checkout -n shop "
	"--to-revision=$previous_revision\n"
	"\n"
	"[rollback \"*\"]\n"					/* 35 */
	"command = ./runbooks/generic-rollback.sh\n"
	"\n"
	"[runbook \"HighErrorRate\"]\n"
	"command = ./runbooks/high-error-rate.sh\n";		/* 39 */

/* A scratch directory for files, removed at the end. */
static char tmpdir[256];

static int
group_setup(void **state)
{
	const char	*base;

	if ((base = getenv("TMPDIR")) == NULL || *base == '\0')
		base = "/tmp";
	snprintf(tmpdir, sizeof tmpdir, "%s/test_config.XXXXXX", base);
	return (mkdtemp(tmpdir) == NULL ? -1 : 0);
}

static int
group_teardown(void **state)
{
	char	*cmd;
	int	 rc;

	cmd = xasprintf("rm -rf '%s'", tmpdir);
	rc = system(cmd);
	free(cmd);
	return (rc == 0 ? 0 : -1);
}

/* Write a file in the scratch directory; its path (heap). */
static char *
write_file(const char *name, const char *text, mode_t mode)
{
	char	*path;
	FILE	*f;

	path = xasprintf("%s/%s", tmpdir, name);
	unlink(path);
	assert_non_null(f = fopen(path, "w"));
	fputs(text, f);
	fclose(f);
	assert_int_equal(chmod(path, mode), 0);
	return (path);
}

static struct config *
parse(const char *text)
{
	struct config	*cfg;

	cfg = xcalloc(1, sizeof *cfg);
	config_parse_string(cfg, "sitrep.conf", text);
	return (cfg);
}

static void
done(struct config *cfg)
{
	config_free(cfg);
	free(cfg);
}

/* The text parses with exactly this one error. */
static void
parses_with_error(const char *text, const char *want)
{
	struct config	*cfg;

	cfg = xcalloc(1, sizeof *cfg);
	assert_false(config_parse_string(cfg, "sitrep.conf", text));
	assert_int_equal(cfg->nerrors, 1);
	assert_string_equal(cfg->errors[0], want);
	done(cfg);
}

/* Exactly one error, and it is this. */
static void
only_error(struct config *cfg, const char *want)
{
	assert_int_equal(cfg->nerrors, 1);
	assert_string_equal(cfg->errors[0], want);
}

static void
no_error_mentions(struct config *cfg, const char *secret)
{
	size_t	 i;

	for (i = 0; i < cfg->nerrors; i++)
		assert_null(strstr(cfg->errors[i], secret));
}

static void
entry_is(struct config_section *s, const char *key, const char *value,
    int line)
{
	const struct config_entry	*e;

	assert_non_null(e = config_get(s, key));
	assert_string_equal(e->value, value);
	assert_int_equal(e->line, line);
}

static void
test_design_example_gives_every_source_its_values(void **state)
{
	struct config		 cfg = { 0 };
	struct config_section	*s;

	assert_true(config_parse_string(&cfg, "sitrep.conf", good));
	assert_int_equal(cfg.nerrors, 0);
	assert_int_equal(cfg.nsections, 9);

	assert_non_null(s = config_find(&cfg, "sitrep", NULL));
	assert_int_equal(s->line, 2);
	assert_null(s->name);
	entry_is(s, "environment", "prod", 3);
	entry_is(s, "refresh", "15s", 4);
	assert_int_equal(config_duration_ms(&cfg, s, "refresh", 0), 15000);

	assert_non_null(s = config_find(&cfg, "pagerduty", NULL));
	entry_is(s, "url", "https://api.pagerduty.com", 7);
	entry_is(s, "token_command", "pass show pagerduty/api", 8);
	entry_is(s, "from", "ic@example.com", 9);

	assert_non_null(s = config_find(&cfg, "slo",
	    "checkout-availability"));
	assert_string_equal(s->type, "slo");
	assert_string_equal(s->name, "checkout-availability");
	assert_int_equal(s->line, 22);
	entry_is(s, "service", "checkout", 23);
	assert_true(config_number(&cfg, s, "objective", 0, 0, 100) == 99.9);
	assert_int_equal(config_duration_ms(&cfg, s, "window", 0),
	    30LL * 86400 * 1000);
	entry_is(s, "error_ratio", ERROR_RATIO, 26);

	assert_non_null(s = config_find(&cfg, "loki", NULL));
	entry_is(s, "url", "http://loki:3100", 29);
	entry_is(s, "query", "{service=\"$service\"}", 30);

	assert_non_null(s = config_find(&cfg, "rollback", "checkout"));
	entry_is(s, "command", "kubectl rollout undo deployment/checkout "
	    "-n shop --to-revision=$previous_revision", 33);
	assert_non_null(s = config_find(&cfg, "rollback", "*"));
	assert_int_equal(s->line, 35);
	assert_non_null(s = config_find(&cfg, "runbook", "HighErrorRate"));
	entry_is(s, "command", "./runbooks/high-error-rate.sh", 39);

	assert_null(config_find(&cfg, "rollback", "payments"));
	assert_null(config_find(&cfg, "slo", NULL));
	assert_int_equal(cfg.nerrors, 0);
	config_free(&cfg);
}

static void
test_repeated_header_keys_are_all_kept_in_order(void **state)
{
	struct config			 cfg = { 0 };
	struct config_section		*s;
	const struct config_entry	*e;

	assert_true(config_parse_string(&cfg, "sitrep.conf", good));
	s = config_find(&cfg, "prometheus", NULL);
	assert_non_null(e = config_get(s, "header"));
	assert_string_equal(e->value, "X-Scope-OrgID: team-a");
	assert_int_equal(e->line, 18);
	assert_non_null(e = config_next(s, "header", e));
	assert_string_equal(e->value, "X-Extra: yes");
	assert_int_equal(e->line, 19);
	assert_null(config_next(s, "header", e));
	assert_null(config_next(s, "nothing", NULL));
	config_free(&cfg);
}

static void
test_lists_are_split_on_commas_and_trimmed(void **state)
{
	struct config		 cfg = { 0 };
	struct config_section	*s;
	char			**list;
	size_t			 n;

	assert_true(config_parse_string(&cfg, "sitrep.conf", good));
	s = config_find(&cfg, "pagerduty", NULL);
	list = config_list(s, "services", &n);
	assert_int_equal(n, 2);
	assert_string_equal(list[0], "PABC123");
	assert_string_equal(list[1], "PDEF456");
	assert_null(list[2]);
	config_list_free(list, n);

	assert_null(config_list(s, "absent", &n));
	assert_int_equal(n, 0);
	config_free(&cfg);

	assert_true(config_parse_string(&cfg, "sitrep.conf",
	    "[prometheus]\ndiscover = , sloth,,  pyrra ,\ndiscover = x\n"));
	s = config_find(&cfg, "prometheus", NULL);
	list = config_list(s, "discover", &n);
	assert_int_equal(n, 3);
	assert_string_equal(list[0], "sloth");
	assert_string_equal(list[1], "pyrra");
	assert_string_equal(list[2], "x");
	config_list_free(list, n);
	config_free(&cfg);
}

static void
test_typed_values_read_as_meant(void **state)
{
	struct config		*cfg;
	struct config_section	*s;

	cfg = parse("[sitrep]\n"
	    "a = yes\nb = Off\nc = TRUE\nd = 0\n"
	    "refresh = 1h30m\nlatency = 250ms\nratio = -0.5\n");
	s = config_find(cfg, "sitrep", NULL);
	assert_true(config_bool(cfg, s, "a", false));
	assert_false(config_bool(cfg, s, "b", true));
	assert_true(config_bool(cfg, s, "c", false));
	assert_false(config_bool(cfg, s, "d", true));
	assert_true(config_bool(cfg, s, "absent", true));
	assert_int_equal(config_duration_ms(cfg, s, "refresh", 0), 5400000);
	assert_int_equal(config_duration_ms(cfg, s, "latency", 0), 250);
	assert_int_equal(config_duration_ms(cfg, s, "absent", 42), 42);
	assert_true(config_number(cfg, s, "ratio", 0, -1, 1) == -0.5);
	assert_true(config_number(cfg, s, "absent", 7, 0, 10) == 7);
	assert_string_equal(config_str(s, "a", NULL), "yes");
	assert_string_equal(config_str(s, "absent", "dflt"), "dflt");
	assert_string_equal(config_str(NULL, "a", "dflt"), "dflt");
	assert_int_equal(cfg->nerrors, 0);
	done(cfg);
}

static void
test_a_very_long_promql_line_is_read_whole(void **state)
{
	struct config		*cfg;
	struct config_section	*s;
	char			*query, *text;
	size_t			 n = 20000;

	query = xmalloc(n + 1);
	memset(query, 'x', n);
	memcpy(query, "sum(rate(", 9);
	query[n] = '\0';
	text = xasprintf("[slo \"big\"]\n"
	    "error_ratio = %s\n"
	    "objective = 99\n", query);
	cfg = parse(text);
	assert_int_equal(cfg->nerrors, 0);
	s = config_find(cfg, "slo", "big");
	entry_is(s, "error_ratio", query, 2);
	entry_is(s, "objective", "99", 3);
	done(cfg);
	free(text);
	free(query);
}

static void
test_the_longest_line_allowed_is_64k(void **state)
{
	struct config		*cfg;
	struct config_section	*s;
	char			*line, *text;
	size_t			 n = 65536;

	/* Exactly 65536 bytes, then one more. */
	line = xmalloc(n + 2);
	memset(line, 'y', n + 1);
	memcpy(line, "q = ", 4);
	line[n] = '\0';
	text = xasprintf("[loki]\n%s\nurl = a\n", line);
	cfg = parse(text);
	assert_int_equal(cfg->nerrors, 0);
	s = config_find(cfg, "loki", NULL);
	assert_int_equal(strlen(config_str(s, "q", "")), n - 4);
	entry_is(s, "url", "a", 3);
	done(cfg);
	free(text);

	line[n] = 'y';
	line[n + 1] = '\0';
	text = xasprintf("[loki]\n%s\nurl = a\n", line);
	cfg = parse(text);
	only_error(cfg, "sitrep.conf:2: line too long (more than 65536 bytes)");
	s = config_find(cfg, "loki", NULL);
	assert_null(config_get(s, "q"));
	entry_is(s, "url", "a", 3);
	done(cfg);
	free(text);
	free(line);
}

static void
test_comments_blanks_and_crlf_do_not_shift_lines(void **state)
{
	struct config		*cfg;
	struct config_section	*s;

	cfg = parse("\xef\xbb\xbf# BOM first\r\n"
	    "[sitrep]   ; the console\r\n"
	    "\r\n"
	    "  ; indented comment\n"
	    "environment = staging ; not prod\r\n"
	    "  refresh=5m\n"
	    "empty =\n"
	    "last = no newline");
	assert_int_equal(cfg->nerrors, 0);
	s = config_find(cfg, "sitrep", NULL);
	assert_int_equal(s->line, 2);
	entry_is(s, "environment", "staging", 5);
	entry_is(s, "refresh", "5m", 6);
	entry_is(s, "empty", "", 7);
	entry_is(s, "last", "no newline", 8);
	done(cfg);
}

static void
test_missing_bracket_names_the_line(void **state)
{
	parses_with_error("[sitrep]\nenvironment = prod\n\n[pagerduty\n"
	    "url = x\n",
	    "sitrep.conf:4: missing ']' at the end of the section header");
}

static void
test_bad_quoting_in_a_section_name_names_the_line(void **state)
{
	parses_with_error("\n[slo \"checkout]\nobjective = 99\n",
	    "sitrep.conf:2: missing '\"' after the section name");
	parses_with_error("[slo checkout]\n",
	    "sitrep.conf:1: section name must be in double quotes");
	parses_with_error("[slo \"a\" \"b\"]\n",
	    "sitrep.conf:1: unexpected text after the section name");
	parses_with_error("[slo \"\"]\n",
	    "sitrep.conf:1: empty section name");
	parses_with_error("[]\n", "sitrep.conf:1: empty section header");
	parses_with_error("[sl/o]\n",
	    "sitrep.conf:1: bad character in section type");
	parses_with_error("[slo \"a\"] x\n",
	    "sitrep.conf:1: unexpected text after ']'");
}

static void
test_quoted_names_may_hold_spaces_quotes_and_semicolons(void **state)
{
	struct config	*cfg;

	cfg = parse("[runbook \"Disk ; \\\"full\\\" \\\\ now\"] ; comment\n"
	    "command = x\n");
	assert_int_equal(cfg->nerrors, 0);
	assert_non_null(config_find(cfg, "runbook",
	    "Disk ; \"full\" \\ now"));
	done(cfg);
}

static void
test_a_line_without_equals_names_the_line(void **state)
{
	struct config	*cfg;

	parses_with_error("[sitrep]\nenvironment prod\nrefresh = 15s\n",
	    "sitrep.conf:2: expected \"key = value\"");
	parses_with_error("[sitrep]\n= prod\n",
	    "sitrep.conf:2: missing key before '='");
	parses_with_error("environment = prod\n[sitrep]\n",
	    "sitrep.conf:1: \"environment\" is outside any section");

	/* Every mistake is reported, not only the first. */
	cfg = parse("[sitrep]\nfoo\n[bad\nbar\n[ok]\nbaz\n");
	assert_int_equal(cfg->nerrors, 4);
	assert_string_equal(cfg->errors[0],
	    "sitrep.conf:2: expected \"key = value\"");
	assert_string_equal(cfg->errors[1],
	    "sitrep.conf:3: missing ']' at the end of the section header");
	assert_string_equal(cfg->errors[2],
	    "sitrep.conf:4: expected \"key = value\"");
	assert_string_equal(cfg->errors[3],
	    "sitrep.conf:6: expected \"key = value\"");
	done(cfg);
}

static void
test_a_section_written_twice_names_both_lines(void **state)
{
	parses_with_error("[slo \"checkout\"]\nobjective = 99.9\n\n"
	    "[slo \"payments\"]\n\n[slo \"checkout\"]\nobjective = 99\n",
	    "sitrep.conf:6: duplicate section [slo \"checkout\"] "
	    "(first at line 1)");
	parses_with_error("[loki]\n[loki]\n",
	    "sitrep.conf:2: duplicate section [loki] (first at line 1)");
}

static void
test_bad_duration_says_how_to_write_one(void **state)
{
	struct config		*cfg;
	struct config_section	*s;

	cfg = parse("[sitrep]\nenvironment = prod\nrefresh = abc\n");
	s = config_find(cfg, "sitrep", NULL);
	assert_int_equal(config_duration_ms(cfg, s, "refresh", 15000), 15000);
	only_error(cfg, "sitrep.conf:3: refresh: bad duration \"abc\" "
	    "(use 15s, 5m, 1h)");
	done(cfg);
}

static void
test_number_out_of_range_gives_the_range(void **state)
{
	struct config		*cfg;
	struct config_section	*s;

	cfg = parse("[slo \"checkout\"]\nservice = checkout\n"
	    "objective = 150\nburn = fast\n");
	s = config_find(cfg, "slo", "checkout");
	assert_true(config_number(cfg, s, "objective", 99, 0, 100) == 99);
	only_error(cfg, "sitrep.conf:3: objective: 150 is out of range "
	    "(0 to 100)");
	assert_true(config_number(cfg, s, "burn", 14.4, 0, 1000) == 14.4);
	assert_int_equal(cfg->nerrors, 2);
	assert_string_equal(cfg->errors[1],
	    "sitrep.conf:4: burn: bad number \"fast\"");
	done(cfg);
}

static void
test_bad_bool_says_yes_or_no(void **state)
{
	struct config		*cfg;
	struct config_section	*s;

	cfg = parse("[loki]\nverify_tls = maybe\n");
	s = config_find(cfg, "loki", NULL);
	assert_true(config_bool(cfg, s, "verify_tls", true));
	only_error(cfg, "sitrep.conf:2: verify_tls: bad boolean \"maybe\" "
	    "(use yes or no)");
	done(cfg);
}

static void
test_a_misspelt_key_is_reported_as_unknown(void **state)
{
	struct config		*cfg;
	struct config_section	*s;

	cfg = parse("[loki]\nurl = http://loki:3100\nqeury = {a=\"b\"}\n"
	    "[slo \"checkout\"]\nobjectve = 99\n"
	    "[grafana]\nurl = x\n");
	assert_int_equal(cfg->nerrors, 0);
	s = config_find(cfg, "loki", NULL);
	assert_non_null(config_str(s, "url", NULL));
	assert_null(config_get(s, "query"));
	/* The SLO consumer looked for its key and did not find it. */
	s = config_find(cfg, "slo", "checkout");
	assert_true(config_number(cfg, s, "objective", 99.9, 0, 100) == 99.9);
	/* Nobody asked for [grafana]: that is the caller's to report. */
	config_check_unused(cfg);
	assert_int_equal(cfg->nerrors, 2);
	assert_string_equal(cfg->errors[0],
	    "sitrep.conf:3: unknown key \"qeury\" in [loki]");
	assert_string_equal(cfg->errors[1],
	    "sitrep.conf:5: unknown key \"objectve\" in [slo \"checkout\"]");
	done(cfg);
}

static void
test_a_missing_file_says_so(void **state)
{
	struct config	 cfg = { 0 };

	assert_false(config_load(&cfg, "/nonexistent/sitrep/config"));
	assert_int_equal(cfg.nerrors, 1);
	assert_string_equal(cfg.errors[0],
	    "/nonexistent/sitrep/config: No such file or directory");
	config_free(&cfg);

	assert_false(config_load(&cfg, tmpdir));
	assert_int_equal(cfg.nerrors, 1);
	assert_non_null(strstr(cfg.errors[0], ": Is a directory"));
	config_free(&cfg);
}

static void
test_a_file_on_disk_is_loaded_with_its_path_in_errors(void **state)
{
	struct config		 cfg = { 0 };
	struct config_section	*s;
	char			*path, *want;

	path = write_file("config", good, 0644);
	assert_true(config_load(&cfg, path));
	assert_int_equal(cfg.nsections, 9);
	s = config_find(&cfg, "sitrep", NULL);
	entry_is(s, "environment", "prod", 3);
	config_free(&cfg);
	free(path);

	path = write_file("broken", "[sitrep]\nrefresh\n", 0644);
	assert_false(config_load(&cfg, path));
	want = xasprintf("%s:2: expected \"key = value\"", path);
	assert_int_equal(cfg.nerrors, 1);
	assert_string_equal(cfg.errors[0], want);
	config_free(&cfg);
	free(want);
	free(path);
}

/* Set or unset an environment variable. */
static void
env(const char *name, const char *value)
{
	if (value == NULL)
		unsetenv(name);
	else
		setenv(name, value, 1);
}

static void
test_default_path_follows_xdg_then_home(void **state)
{
	char	*saved_xdg, *saved_home, *path;

	saved_xdg = getenv("XDG_CONFIG_HOME");
	saved_home = getenv("HOME");
	saved_xdg = saved_xdg ? xstrdup(saved_xdg) : NULL;
	saved_home = saved_home ? xstrdup(saved_home) : NULL;

	env("XDG_CONFIG_HOME", "/srv/xdg");
	env("HOME", "/home/ic");
	path = config_default_path();
	assert_string_equal(path, "/srv/xdg/sitrep/config");
	free(path);

	env("XDG_CONFIG_HOME", NULL);
	path = config_default_path();
	assert_string_equal(path, "/home/ic/.config/sitrep/config");
	free(path);

	/* The XDG spec: a relative XDG_CONFIG_HOME is ignored. */
	env("XDG_CONFIG_HOME", "relative");
	path = config_default_path();
	assert_string_equal(path, "/home/ic/.config/sitrep/config");
	free(path);

	env("XDG_CONFIG_HOME", saved_xdg);
	env("HOME", saved_home);
	free(saved_xdg);
	free(saved_home);
}

/* Split, and compare with the words given (NULL-terminated). */
static void
splits_to(const char *line, ...)
{
	va_list		 ap;
	char		**argv, *err = NULL;
	const char	*want;
	size_t		 i = 0;

	assert_non_null(argv = argv_split(line, &err));
	assert_null(err);
	va_start(ap, line);
	while ((want = va_arg(ap, const char *)) != NULL) {
		assert_non_null(argv[i]);
		assert_string_equal(argv[i], want);
		i++;
	}
	va_end(ap);
	assert_null(argv[i]);
	argv_free(argv);
}

static void
fails_to_split(const char *line, const char *why)
{
	char	*err = NULL;

	assert_null(argv_split(line, &err));
	assert_non_null(err);
	assert_string_equal(err, why);
	free(err);
}

static void
test_a_command_line_splits_the_way_the_user_means(void **state)
{
	splits_to("pass show pagerduty/api", "pass", "show", "pagerduty/api",
	    NULL);
	splits_to("  \tpass   show\tx  ", "pass", "show", "x", NULL);
	splits_to("", NULL);
	splits_to("   ", NULL);
	/* Shell syntax is only data: there is no shell. */
	splits_to("echo api; touch /tmp/x", "echo", "api;", "touch", "/tmp/x",
	    NULL);
	splits_to("a|b && c > d $(e) `f` *", "a|b", "&&", "c", ">", "d",
	    "$(e)", "`f`", "*", NULL);
	splits_to("echo $HOME ~", "echo", "$HOME", "~", NULL);
	/* Quotes. */
	splits_to("op read 'op://vault/pager duty/token'", "op", "read",
	    "op://vault/pager duty/token", NULL);
	splits_to("'it''s' \"a b\"c 'x\\ny'", "its", "a bc", "x\\ny", NULL);
	splits_to("'' \"\"", "", "", NULL);
	/* Backslash: in double quotes only before " \ $ `. */
	splits_to("\"a\\\"b\\\\c\\$d\\`e\\nf\"", "a\"b\\c$d`e\\nf", NULL);
	splits_to("a\\ b \\'c\\' \\\\", "a b", "'c'", "\\", NULL);
}

static void
test_unbalanced_quotes_are_refused(void **state)
{
	fails_to_split("pass show 'pagerduty", "unterminated single quote");
	fails_to_split("pass \"show", "unterminated double quote");
	fails_to_split("pass \"sh\\\"", "unterminated double quote");
	fails_to_split("pass \\", "backslash at the end of the command");
}

/* Load the secret configured in [pagerduty]. */
static char *
load_secret(struct config *cfg, const char *text, bool *found)
{
	struct config_section	*s;

	assert_true(config_parse_string(cfg, "sitrep.conf", text));
	s = config_find(cfg, "pagerduty", NULL);
	return (secret_load(cfg, s, "token", found));
}

static const char env_config[] =
	"[pagerduty]\ntoken_env = SITREP_TEST_TOKEN\n";

static void
test_a_token_from_the_environment(void **state)
{
	struct config	 cfg = { 0 };
	char		*secret;
	bool		 found;

	env("SITREP_TEST_TOKEN", "s3cret");
	secret = load_secret(&cfg, env_config, &found);
	assert_true(found);
	assert_string_equal(secret, "s3cret");
	assert_int_equal(cfg.nerrors, 0);
	secret_free(secret);
	config_free(&cfg);

	env("SITREP_TEST_TOKEN", NULL);
	secret = load_secret(&cfg, env_config, &found);
	assert_true(found);
	assert_null(secret);
	only_error(&cfg, "sitrep.conf:2: token_env: environment variable "
	    "SITREP_TEST_TOKEN is not set");
	config_free(&cfg);

	env("SITREP_TEST_TOKEN", "");
	secret = load_secret(&cfg, env_config, &found);
	assert_null(secret);
	only_error(&cfg, "sitrep.conf:2: token_env: environment variable "
	    "SITREP_TEST_TOKEN is empty");
	config_free(&cfg);

	/* A newline in a token would split the HTTP header. */
	env("SITREP_TEST_TOKEN", "s3cret\r\nX-Evil: 1");
	secret = load_secret(&cfg, env_config, &found);
	assert_null(secret);
	only_error(&cfg, "sitrep.conf:2: token_env: the secret contains "
	    "control characters");
	no_error_mentions(&cfg, "s3cret");
	config_free(&cfg);
	env("SITREP_TEST_TOKEN", NULL);
}

static void
test_a_token_from_a_command(void **state)
{
	struct config	 cfg = { 0 };
	char		*secret;
	bool		 found;

	secret = load_secret(&cfg, "[pagerduty]\n"
	    "token_command = /bin/echo s3cret\n", &found);
	assert_true(found);
	assert_string_equal(secret, "s3cret");
	assert_int_equal(cfg.nerrors, 0);
	secret_free(secret);
	config_free(&cfg);

	/* Only the first line; the command's words are not a shell line. */
	secret = load_secret(&cfg, "[pagerduty]\n"
	    "token_command = printf 's3cret\\r\\nsecond\\n' ; ignored\n",
	    &found);
	assert_string_equal(secret, "s3cret");
	secret_free(secret);
	config_free(&cfg);

	secret = load_secret(&cfg, "[pagerduty]\n"
	    "token_command = /bin/echo a;b\n", &found);
	assert_string_equal(secret, "a;b");
	secret_free(secret);
	config_free(&cfg);
}

static void
test_a_failing_token_command_shows_status_not_output(void **state)
{
	struct config	 cfg = { 0 };
	bool		 found;

	assert_null(load_secret(&cfg, "[pagerduty]\n"
	    "token_command = sh -c 'echo s3cret; echo s3cret >&2; exit 3'\n",
	    &found));
	assert_true(found);
	only_error(&cfg, "sitrep.conf:2: token_command exited with status 3");
	no_error_mentions(&cfg, "s3cret");
	config_free(&cfg);

	assert_null(load_secret(&cfg, "[pagerduty]\n\n"
	    "token_command = /bin/true\n", &found));
	only_error(&cfg, "sitrep.conf:3: token_command printed nothing");
	config_free(&cfg);

	assert_null(load_secret(&cfg, "[pagerduty]\n"
	    "token_command = /nonexistent/pass show x\n", &found));
	only_error(&cfg, "sitrep.conf:2: token_command: /nonexistent/pass: "
	    "No such file or directory");
	config_free(&cfg);

	assert_null(load_secret(&cfg, "[pagerduty]\n"
	    "token_command = sh -c 'kill -TERM $$'\n", &found));
	only_error(&cfg, "sitrep.conf:2: token_command was killed by "
	    "signal 15");
	config_free(&cfg);

	assert_null(load_secret(&cfg, "[pagerduty]\n"
	    "token_command = pass show 'x\n", &found));
	only_error(&cfg, "sitrep.conf:2: token_command: unterminated single "
	    "quote");
	config_free(&cfg);
}

static void
test_a_daemon_left_holding_the_output_does_not_stall(void **state)
{
	struct config	 cfg = { 0 };
	char		*secret;
	bool		 found;
	int64_t		 start;

	start = time_mono_ms();
	secret = load_secret(&cfg, "[pagerduty]\n"
	    "token_command = sh -c 'echo s3cret; sleep 3 &'\n", &found);
	assert_string_equal(secret, "s3cret");
	assert_true(time_mono_ms() - start < 2000);
	secret_free(secret);
	config_free(&cfg);
}

static void
test_a_token_from_a_private_file(void **state)
{
	struct config	 cfg = { 0 };
	char		*path, *text, *secret, *want;
	bool		 found;

	path = write_file("token", "  s3cret \t\nsecond line\n", 0600);
	text = xasprintf("[pagerduty]\ntoken_file = %s\n", path);
	secret = load_secret(&cfg, text, &found);
	assert_true(found);
	assert_string_equal(secret, "s3cret");
	assert_int_equal(cfg.nerrors, 0);
	secret_free(secret);
	config_free(&cfg);

	/* Like ssh, refuse what others may read. */
	assert_int_equal(chmod(path, 0644), 0);
	assert_null(load_secret(&cfg, text, &found));
	assert_true(found);
	want = xasprintf("sitrep.conf:2: %s: permissions 0644 are too open "
	    "(chmod 600)", path);
	only_error(&cfg, want);
	no_error_mentions(&cfg, "s3cret");
	config_free(&cfg);
	free(want);

	assert_int_equal(chmod(path, 0620), 0);
	assert_null(load_secret(&cfg, text, &found));
	no_error_mentions(&cfg, "s3cret");
	config_free(&cfg);
	free(text);
	free(path);

	text = xasprintf("[pagerduty]\ntoken_file = %s/absent\n", tmpdir);
	assert_null(load_secret(&cfg, text, &found));
	want = xasprintf("sitrep.conf:2: %s/absent: No such file or directory",
	    tmpdir);
	only_error(&cfg, want);
	config_free(&cfg);
	free(want);
	free(text);
}

static void
test_two_token_sources_are_refused(void **state)
{
	struct config	 cfg = { 0 };
	bool		 found;

	env("SITREP_TEST_TOKEN", "s3cret");
	assert_null(load_secret(&cfg, "[pagerduty]\n"
	    "token_env = SITREP_TEST_TOKEN\n"
	    "token_command = /bin/echo s3cret\n", &found));
	assert_true(found);
	only_error(&cfg, "sitrep.conf:3: token_command: token_env is already "
	    "set at line 2 (use only one)");
	config_free(&cfg);
	env("SITREP_TEST_TOKEN", NULL);
}

static void
test_no_token_configured_is_not_an_error(void **state)
{
	struct config	 cfg = { 0 };
	bool		 found = true;

	assert_null(load_secret(&cfg, "[pagerduty]\nurl = x\n", &found));
	assert_false(found);
	assert_int_equal(cfg.nerrors, 0);
	config_free(&cfg);
	assert_null(secret_load(&cfg, NULL, "token", &found));
	assert_false(found);
}

/* The user's ten clusters: the main file includes every conf.d file, each a
 * cluster; shared settings in [defaults "alertmanager"]. */
static void
test_includes_and_defaults_read_as_one_config(void **state)
{
	struct config		 cfg = { 0 };
	struct config_section	*s;
	const struct config_entry *e;
	char			*path, *dir, *a, *b, *want;

	dir = xasprintf("%s/conf.d", tmpdir);
	assert_int_equal(mkdir(dir, 0755) == 0 || errno == EEXIST, 1);
	a = write_file("conf.d/eu.conf",
	    "[alertmanager \"eu\"]\n"
	    "url = http://am-eu-0:9093\n"
	    "url = http://am-eu-1:9093\n", 0644);
	b = write_file("conf.d/us.conf",
	    "; US\n"
	    "[alertmanager \"us\"]\n"
	    "url = http://am-us:9093\n"
	    "header = X-Scope-OrgID: us\n", 0644);
	path = write_file("clusters",
	    "include = conf.d/*.conf\n"				/* 1 */
	    "[sitrep]\n"
	    "environment = prod\n"
	    "\n"
	    "[defaults \"alertmanager\"]\n"			/* 5 */
	    "header = X-Scope-OrgID: shared\n"
	    "user = oncall@example.com\n", 0644);
	assert_true(config_load(&cfg, path));
	assert_int_equal(cfg.nerrors, 0);
	assert_non_null(s = config_find(&cfg, "alertmanager", "eu"));
	assert_non_null(e = config_get(s, "url"));
	assert_string_equal(e->value, "http://am-eu-0:9093");
	assert_non_null(e = config_next(s, "url", e));
	assert_string_equal(e->value, "http://am-eu-1:9093");
	want = config_where(&cfg, e->line);
	assert_true(strncmp(want, a, strlen(a)) == 0);
	assert_string_equal(want + strlen(a), ":3");
	free(want);
	assert_int_equal(config_line_of(e->line), 3);
	/* From the defaults, at the defaults' line. */
	assert_string_equal(config_str(s, "header", NULL),
	    "X-Scope-OrgID: shared");
	assert_int_equal(config_line_of(config_get(s, "header")->line), 6);
	assert_string_equal(config_file_of(&cfg, config_get(s, "header")->line),
	    path);
	assert_string_equal(config_str(s, "user", NULL), "oncall@example.com");
	/* A key the section sets is its own, every repeat of it. */
	assert_non_null(s = config_find(&cfg, "alertmanager", "us"));
	assert_string_equal(config_str(s, "header", NULL),
	    "X-Scope-OrgID: us");
	assert_null(config_next(s, "header", config_get(s, "header")));
	assert_string_equal(config_str(s, "user", NULL), "oncall@example.com");
	assert_non_null(config_find(&cfg, "sitrep", NULL));
	config_free(&cfg);
	free(path);
	free(a);
	free(b);
	free(dir);
}

/* check-config in an included file names that file and its line; an
 * include that is missing, loops, or has no file is named where it is. */
static void
test_problems_in_included_files_name_their_file_and_line(void **state)
{
	struct config	 cfg = { 0 };
	char		*path, *inc, *want;

	inc = write_file("bad.inc",
	    "[prometheus]\n"
	    "url = http://p:9090\n"
	    "refresh\n"					/* 3 */
	    "[sitrep]\n", 0644);
	path = write_file("main",
	    "[sitrep]\n"
	    "include = bad.inc\n"			/* 2 */
	    "include = missing.conf\n"			/* 3 */
	    "include = nothing-*.conf\n"
	    "include = main\n"				/* 5 */
	    "[defaults]\n"				/* 6 */
	    "url = x\n", 0644);
	assert_false(config_load(&cfg, path));
	assert_int_equal(cfg.nerrors, 5);
	want = xasprintf("%s:3: expected \"key = value\"", inc);
	assert_string_equal(cfg.errors[0], want);
	free(want);
	want = xasprintf("%s:4: duplicate section [sitrep] (first at %s:1)",
	    inc, path);
	assert_string_equal(cfg.errors[1], want);
	free(want);
	want = xasprintf("%s:3: include: %s/missing.conf: No such file or "
	    "directory", path, tmpdir);
	assert_string_equal(cfg.errors[2], want);
	free(want);
	want = xasprintf("%s:5: include: %s/main is read already", path,
	    tmpdir);
	assert_string_equal(cfg.errors[3], want);
	free(want);
	want = xasprintf("%s:6: [defaults] needs the type of the sections it "
	    "serves: [defaults \"loki\"]", path);
	assert_string_equal(cfg.errors[4], want);
	free(want);
	config_free(&cfg);

	/* A config from a string has no directory to include from. */
	memset(&cfg, 0, sizeof cfg);
	assert_false(config_parse_string(&cfg, "s", "include = x\n"));
	assert_string_equal(cfg.errors[0], "s:1: include works only in a file");
	config_free(&cfg);
	free(path);
	free(inc);
}


int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
		    test_design_example_gives_every_source_its_values),
		cmocka_unit_test(
		    test_repeated_header_keys_are_all_kept_in_order),
		cmocka_unit_test(test_lists_are_split_on_commas_and_trimmed),
		cmocka_unit_test(test_typed_values_read_as_meant),
		cmocka_unit_test(test_a_very_long_promql_line_is_read_whole),
		cmocka_unit_test(test_the_longest_line_allowed_is_64k),
		cmocka_unit_test(
		    test_comments_blanks_and_crlf_do_not_shift_lines),
		cmocka_unit_test(test_missing_bracket_names_the_line),
		cmocka_unit_test(
		    test_bad_quoting_in_a_section_name_names_the_line),
		cmocka_unit_test(
		    test_quoted_names_may_hold_spaces_quotes_and_semicolons),
		cmocka_unit_test(test_a_line_without_equals_names_the_line),
		cmocka_unit_test(
		    test_a_section_written_twice_names_both_lines),
		cmocka_unit_test(test_bad_duration_says_how_to_write_one),
		cmocka_unit_test(test_number_out_of_range_gives_the_range),
		cmocka_unit_test(test_bad_bool_says_yes_or_no),
		cmocka_unit_test(test_a_misspelt_key_is_reported_as_unknown),
		cmocka_unit_test(test_a_missing_file_says_so),
		cmocka_unit_test(
		    test_a_file_on_disk_is_loaded_with_its_path_in_errors),
		cmocka_unit_test(test_default_path_follows_xdg_then_home),
		cmocka_unit_test(test_includes_and_defaults_read_as_one_config),
		cmocka_unit_test(
		    test_problems_in_included_files_name_their_file_and_line),
		cmocka_unit_test(
		    test_a_command_line_splits_the_way_the_user_means),
		cmocka_unit_test(test_unbalanced_quotes_are_refused),
		cmocka_unit_test(test_a_token_from_the_environment),
		cmocka_unit_test(test_a_token_from_a_command),
		cmocka_unit_test(
		    test_a_failing_token_command_shows_status_not_output),
		cmocka_unit_test(
		    test_a_daemon_left_holding_the_output_does_not_stall),
		cmocka_unit_test(test_a_token_from_a_private_file),
		cmocka_unit_test(test_two_token_sources_are_refused),
		cmocka_unit_test(test_no_token_configured_is_not_an_error),
	};

	return (cmocka_run_group_tests(tests, group_setup, group_teardown));
}
