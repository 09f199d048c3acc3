/* fuzz_deploys.c: fuzz target for the deploy command's output
 * (backends/deploys_parse.c), JSON lines. Every line is either a deploy
 * with a service or counted as skipped; at most DEPLOYS_PARSE_MAX_PROBLEMS
 * are named, and one more line counts the rest. */
#include "config.h"

#include <stdlib.h>

#include "backends/deploys_parse.h"
#include "core/model.h"
#include "tests/fuzz/fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct deploys_parsed	p;
	size_t			i;

	deploys_parse((const char *)data, size, "deploys", &p);
	fuzz_check(p.nproblems <= DEPLOYS_PARSE_MAX_PROBLEMS + 1);
	fuzz_check(p.nproblems <= p.skipped);
	for (i = 0; i < p.n; i++)
		fuzz_check(p.v[i].service != NULL);
	for (i = 0; i < p.nproblems; i++)
		fuzz_check(p.problems[i] != NULL);
	deploys_parsed_free(&p);
	return (0);
}
