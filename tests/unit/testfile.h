/* testfile.h: what the unit tests that read fixtures share: a file's bytes,
 * NUL-terminated (heap), or the test fails naming it. Include after
 * <cmocka.h>. */
#ifndef SITREP_TESTFILE_H
#define SITREP_TESTFILE_H

#include <stdio.h>
#include <stdlib.h>

#include "core/xalloc.h"

/* path is freed. */
static inline char *
test_read_file(char *path, size_t *len)
{
	char	*buf;
	FILE	*f;
	long	 n;

	if ((f = fopen(path, "rb")) == NULL)
		fail_msg("cannot read %s", path);
	free(path);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = xmalloc((size_t)n + 1);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	if (len != NULL)
		*len = (size_t)n;
	return (buf);
}

#endif
