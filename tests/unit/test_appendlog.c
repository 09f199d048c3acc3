/* test_appendlog.c: the audit log and the timeline both append through
 * core/appendlog. What an operator relies on: lines land whole and in
 * order in a file only she can read (0600), made with its folders; a link
 * planted where the log should be is never followed (the file it points
 * at is left alone); and a failure gives its reason, saying whether the
 * file was reached (a line may then be torn). */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/appendlog.h"
#include "core/xalloc.h"

static char	dir[] = "/tmp/sitrep-test-appendlog.XXXXXX";

static char *
slurp(const char *path)
{
	static char	buf[256];
	FILE		*f = fopen(path, "r");
	size_t		 n;

	assert_non_null(f);
	n = fread(buf, 1, sizeof buf - 1, f);
	buf[n] = '\0';
	fclose(f);
	return (buf);
}

static void
test_whole_lines_private(void **state)
{
	char		*path = xasprintf("%s/new/dir/log.jsonl", dir);
	struct stat	 st;
	bool		 reached = false;

	assert_int_equal(appendlog_write(path, "one\n", 4, &reached), 0);
	assert_true(reached);
	assert_int_equal(appendlog_write(path, "two\n", 4, NULL), 0);
	assert_string_equal(slurp(path), "one\ntwo\n");
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	free(path);
}

static void
test_link_not_followed(void **state)
{
	char	*path = xasprintf("%s/link.log", dir);
	char	*victim = xasprintf("%s/victim", dir);
	bool	 reached = true;
	FILE	*f = fopen(victim, "w");

	assert_non_null(f);
	fputs("precious\n", f);
	fclose(f);
	assert_int_equal(symlink(victim, path), 0);
	assert_int_equal(appendlog_write(path, "x\n", 2, &reached), ELOOP);
	assert_false(reached);
	assert_string_equal(slurp(victim), "precious\n");
	free(path);
	free(victim);
}

static void
test_full_disk(void **state)
{
	bool	reached = false;

	if (access("/dev/full", W_OK) != 0)
		skip();
	assert_int_equal(appendlog_write("/dev/full", "x\n", 2, &reached),
	    ENOSPC);
	assert_true(reached);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_whole_lines_private),
		cmocka_unit_test(test_link_not_followed),
		cmocka_unit_test(test_full_disk),
	};
	char	cmd[300];
	int	rc;

	if (mkdtemp(dir) == NULL)
		return (1);
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	if (system(cmd) != 0)
		rc = 1;
	return (rc);
}
