/* fuzz_logfields.c: fuzz target for the log line recognizers
 * (core/logfields.c) and the filter prompt's matchers (core/logmatch.c).
 * Properties: every field lies inside the line; roles name held fields;
 * undoing escapes never reads past a field; a matcher set that parses
 * describes itself as text that parses again to the same description. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "core/logfields.h"
#include "core/logmatch.h"
#include "core/sbuf.h"
#include "tests/fuzz/fuzz.h"

static void
check_fields(const uint8_t *data, size_t size)
{
	struct logfields	f;
	struct sbuf		sb;
	size_t			i;

	logfields_parse((const char *)data, size, &f);
	fuzz_check(f.n <= LOGFIELDS_MAX);
	fuzz_check(f.kind != LOGFIELDS_PLAIN || f.n == 0);
	fuzz_check(f.time < (int)f.n && f.level < (int)f.n &&
	    f.msg < (int)f.n);
	sbuf_init(&sb);
	for (i = 0; i < f.n; i++) {
		fuzz_check((size_t)f.v[i].koff + f.v[i].klen <= size);
		fuzz_check((size_t)f.v[i].voff + f.v[i].vlen <= size);
		sbuf_reset(&sb);
		logfields_key(&f, (const char *)data, i, &sb);
		logfields_value(&f, (const char *)data, i, &sb);
	}
	if (f.level >= 0)
		(void)logfields_level_word((const char *)data +
		    f.v[f.level].voff, f.v[f.level].vlen);
	sbuf_free(&sb);
}

static void
check_matchers(const uint8_t *data, size_t size)
{
	struct logmatch	 m, again;
	struct sbuf	 a, b;
	char		*s = fuzz_string(data, size), *why;

	if (logmatch_is(s) && logmatch_parse(&m, s, &why)) {
		sbuf_init(&a);
		logmatch_describe(&m, &a);
		(void)logmatch_eval(&m, "{a=\"b\"}", s, strlen(s), NULL, NULL);
		fuzz_check(logmatch_parse(&again, a.s, &why));
		sbuf_init(&b);
		logmatch_describe(&again, &b);
		fuzz_check(strcmp(a.s, b.s) == 0);
		logmatch_free(&again);
		logmatch_free(&m);
		sbuf_free(&a);
		sbuf_free(&b);
	} else if (logmatch_is(s))
		free(why);
	free(s);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	check_fields(data, size);
	check_matchers(data, size);
	return (0);
}
