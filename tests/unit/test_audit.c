/* test_audit.c: after an incident someone reads the audit log to learn who
 * rolled back what, when, with which command, and how it ended. Each line
 * is one JSON object; the file is private; tokens never show. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <jansson.h>

#include "core/audit.h"

/* 2026-11-26T14:32:05Z */
#define T0	((time_t)1795703525)

static char *rollback_argv[] = {
	"kubectl", "rollout", "undo", "deployment/api; touch /tmp/x",
	"--to-revision=9f8e7d6", NULL
};

static const struct audit_event rollback = {
	.id = "4242-1",
	.user = "maria",
	.host = "bastion-1",
	.environment = "prod",
	.action = "rollback",
	.target = "checkout v2.14.0",
	.argv = rollback_argv,
};

static json_t *
parse_line(const char *line)
{
	json_error_t	 err;
	json_t		*o;
	size_t		 len = strlen(line);

	assert_true(len > 0);
	assert_int_equal(line[len - 1], '\n');
	assert_null(memchr(line, '\n', len - 1));	/* one line */
	o = json_loads(line, 0, &err);
	if (o == NULL)
		fail_msg("not JSON: %s: %s", err.text, line);
	assert_true(json_is_object(o));
	return (o);
}

static const char *
str(json_t *o, const char *key)
{
	json_t	*v = json_object_get(o, key);

	if (!json_is_string(v))
		fail_msg("\"%s\" is not a string", key);
	return (json_string_value(v));
}

static void
the_start_line_says_who_what_where_and_how(void **state)
{
	char	*line = audit_line_start(&rollback, T0);
	json_t	*o = parse_line(line), *argv;

	assert_string_equal(str(o, "time"), "2026-11-26T14:32:05Z");
	assert_string_equal(str(o, "event"), "start");
	assert_string_equal(str(o, "id"), "4242-1");
	assert_string_equal(str(o, "user"), "maria");
	assert_string_equal(str(o, "host"), "bastion-1");
	assert_string_equal(str(o, "environment"), "prod");
	assert_string_equal(str(o, "action"), "rollback");
	assert_string_equal(str(o, "target"), "checkout v2.14.0");
	argv = json_object_get(o, "argv");
	assert_int_equal(json_array_size(argv), 5);
	assert_string_equal(json_string_value(json_array_get(argv, 3)),
	    "deployment/api; touch /tmp/x");
	assert_null(json_object_get(o, "exit"));
	json_decref(o);
	free(line);
}

static void
the_end_line_has_the_exit_status_and_duration(void **state)
{
	struct audit_result	 ok = { .process = true, .exit_status = 3,
	    .duration_ms = 12345 };
	struct audit_result	 killed = { .process = true, .exit_status = -1,
	    .signal = 9, .duration_ms = 5 };
	char			*line;
	json_t			*o;

	line = audit_line_end(&rollback, &ok, T0 + 12);
	o = parse_line(line);
	assert_string_equal(str(o, "event"), "end");
	assert_string_equal(str(o, "id"), "4242-1");
	assert_int_equal(json_integer_value(json_object_get(o, "exit")), 3);
	assert_int_equal(json_integer_value(json_object_get(o,
	    "duration_ms")), 12345);
	json_decref(o);
	free(line);

	line = audit_line_end(&rollback, &killed, T0 + 12);
	o = parse_line(line);
	assert_true(json_is_null(json_object_get(o, "exit")));
	assert_int_equal(json_integer_value(json_object_get(o, "signal")), 9);
	json_decref(o);
	free(line);
}

static void
an_http_action_records_the_request_and_status(void **state)
{
	struct audit_event	 ack = { .id = "1-2", .user = "u", .host = "h",
	    .environment = "prod", .action = "ack", .target = "PX1",
	    .request = "PUT /incidents/PX1" };
	struct audit_result	 r = { .http_status = 200, .duration_ms = 80 };
	struct audit_result	 down = { .http_status = 0, .duration_ms = 80,
	    .error = "connection refused" };
	char			*line;
	json_t			*o;

	line = audit_line_end(&ack, &r, T0);
	o = parse_line(line);
	assert_string_equal(str(o, "request"), "PUT /incidents/PX1");
	assert_null(json_object_get(o, "argv"));
	assert_int_equal(json_integer_value(json_object_get(o, "http_status")),
	    200);
	json_decref(o);
	free(line);

	line = audit_line_end(&ack, &down, T0);
	o = parse_line(line);
	assert_true(json_is_null(json_object_get(o, "http_status")));
	assert_string_equal(str(o, "error"), "connection refused");
	json_decref(o);
	free(line);
}

static void
tokens_never_appear(void **state)
{
	char	*argv[] = { "curl", "-H", "Authorization: Token s3cr3t-T0KEN",
	    NULL };
	struct audit_event ev = rollback;
	char	*line;

	audit_redact("s3cr3t-T0KEN");
	ev.argv = argv;
	ev.request = "GET /x?token=s3cr3t-T0KEN";
	line = audit_line_start(&ev, T0);
	assert_null(strstr(line, "s3cr3t"));
	assert_non_null(strstr(line, "Token [redacted]"));
	assert_non_null(strstr(line, "token=[redacted]"));
	free(line);
	audit_reset();
}

static void
outside_bytes_still_make_valid_json(void **state)
{
	struct audit_event	 ev = rollback;
	char			*line;
	json_t			*o;

	ev.target = "bad \xff\xfe utf-8 \x1b[31m and \"quotes\"";
	line = audit_line_start(&ev, T0);
	o = parse_line(line);
	assert_non_null(strstr(str(o, "target"), "and \"quotes\""));
	json_decref(o);
	free(line);
}

static void
lines_are_appended_to_a_private_file(void **state)
{
	char		 dir[] = "/tmp/sitrep-audit-XXXXXX", *path, *err = NULL;
	char		 buf[4096];
	struct stat	 st;
	FILE		*f;
	size_t		 n = 0;

	assert_non_null(mkdtemp(dir));
	assert_int_not_equal(asprintf(&path, "%s/state/sitrep/audit.log", dir),
	    -1);
	audit_set_path(path);
	assert_string_equal(audit_path(), path);
	assert_true(audit_write("{\"event\":\"start\"}\n", &err));
	assert_true(audit_write("{\"event\":\"end\"}\n", &err));
	assert_null(err);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	f = fopen(path, "r");
	assert_non_null(f);
	n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	assert_string_equal(buf, "{\"event\":\"start\"}\n{\"event\":\"end\"}\n");
	unlink(path);
	*strrchr(path, '/') = '\0';
	rmdir(path);
	*strrchr(path, '/') = '\0';
	rmdir(path);
	rmdir(dir);
	free(path);
	audit_reset();
}

static void
an_unwritable_log_is_an_error_naming_the_file(void **state)
{
	char	*err = NULL;

	audit_set_path("/proc/sitrep-cannot-write/audit.log");
	assert_false(audit_write("{}\n", &err));
	assert_non_null(err);
	assert_non_null(strstr(err, "/proc/sitrep-cannot-write/audit.log"));
	free(err);
	audit_reset();
}

static void
the_default_path_is_in_the_state_dir(void **state)
{
	setenv("XDG_STATE_HOME", "/var/tmp/xdg-state", 1);
	audit_reset();
	assert_string_equal(audit_path(), "/var/tmp/xdg-state/sitrep/audit.log");
	setenv("HOME", "/home/maria", 1);
	audit_set_path("~/incident/audit.jsonl");
	assert_string_equal(audit_path(), "/home/maria/incident/audit.jsonl");
	audit_reset();
}

int
main(void)
{
	const struct CMUnitTest	tests[] = {
		cmocka_unit_test(the_start_line_says_who_what_where_and_how),
		cmocka_unit_test(the_end_line_has_the_exit_status_and_duration),
		cmocka_unit_test(an_http_action_records_the_request_and_status),
		cmocka_unit_test(tokens_never_appear),
		cmocka_unit_test(outside_bytes_still_make_valid_json),
		cmocka_unit_test(lines_are_appended_to_a_private_file),
		cmocka_unit_test(an_unwritable_log_is_an_error_naming_the_file),
		cmocka_unit_test(the_default_path_is_in_the_state_dir),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
