/* fuzz.c: the helpers every fuzz target shares (fuzz.h): the input as a
 * body or a string, and a property check that aborts. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"
#include "tests/fuzz/fuzz.h"

char *
fuzz_body(const uint8_t *data, size_t size)
{
	char	*body = xmalloc(size + 1);

	memcpy(body, data, size);
	body[size] = '\0';
	return (body);
}

char *
fuzz_string(const uint8_t *data, size_t size)
{
	const uint8_t	*nul = memchr(data, '\0', size);

	return (xstrndup((const char *)data,
	    nul != NULL ? (size_t)(nul - data) : size));
}

void
fuzz_check_at(int cond, const char *what, const char *file, int line)
{
	if (cond)
		return;
	fprintf(stderr, "%s:%d: property failed: %s\n", file, line, what);
	abort();
}
