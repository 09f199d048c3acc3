/* fuzz_prometheus.c: fuzz target for Prometheus' answers
 * (backends/prometheus_parse.c): the same bytes as a query answer (2xx, an
 * unknown status, a 4xx), then as a sample value and as an instant. A
 * matrix series has as many times as values. */
#include "config.h"

#include <stdbool.h>
#include <stdlib.h>

#include "backends/prometheus_parse.h"
#include "core/model.h"
#include "tests/fuzz/fuzz.h"

static void
answer(const char *body, size_t size, long status)
{
	struct prom_result	 r;
	char			*err = NULL;
	size_t			 i;

	if (!prom_parse_response(body, size, status, &r, &err)) {
		fuzz_check(err != NULL);
		free(err);
		return;
	}
	fuzz_check(err == NULL);
	for (i = 0; i < r.n; i++)
		fuzz_check(r.series[i].n == 0 || (r.series[i].t != NULL &&
		    r.series[i].v != NULL));
	for (i = 0; i < r.nwarnings; i++)
		fuzz_check(r.warnings[i] != NULL);
	prom_result_free(&r);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char		*body = fuzz_body(data, size);
	char		*s;
	double		 d;

	answer(body, size, 200);
	answer(body, size, 0);
	answer(body, size, 422);
	s = fuzz_string(data, size);
	(void)prom_parse_value(s, &d);
	(void)prom_parse_time(s, &d);
	free(s);
	free(body);
	return (0);
}
