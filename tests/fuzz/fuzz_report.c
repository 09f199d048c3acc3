/* fuzz_report.c: fuzz target for what `sitrep report` does with
 * Prometheus' range answers (backends/prometheus_slo.c, core/budget.c):
 * the bytes as a query_range answer, merged with itself (as chunks are),
 * its ALERTS runs, folded into the histories of a declared SLO and a
 * Sloth one (burn and budget), and each SLO's budget arithmetic. Every
 * episode lies inside the period and within the burn's bounds. */
#include "config.h"

#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "backends/prometheus_parse.h"
#include "backends/prometheus_slo.h"
#include "core/budget.h"
#include "core/model.h"
#include "core/slomath.h"
#include "core/xalloc.h"
#include "tests/fuzz/fuzz.h"

#define T0	1700000000.0

static void
one_slo(struct slo *s, const char *name, enum prom_gen gen,
    const struct prom_result *r)
{
	struct prom_spark	 burn = { r, T0, 300, 13 };
	struct prom_spark	 budget = { r, T0, 900, 5 };
	struct bud_event	 ev[2] = {
		{ BUD_DEPLOY, T0 + 600, NAN, "x v1", "x", "deploys", NULL },
		{ BUD_INCIDENT, T0 - 60, T0 + 1200, "alert", "", "prom", NULL },
	};
	struct bud_slo		 b;
	size_t			 i;

	memset(s, 0, sizeof *s);
	s->name = xstrdup(name);
	s->service = xstrdup("x");
	s->objective = 99.9;
	s->window_seconds = 30 * 86400;
	s->budget_remaining = NAN;
	s->nconds = slo_conds_workbook(s->window_seconds, s->conds);
	/* The 1h burn comes in as the record's sparkline. */
	s->nspark = burn.n;
	s->spark = xcalloc(burn.n, sizeof *s->spark);
	for (i = 0; i < burn.n; i++)
		s->spark[i] = i < r->n && r->series[i].n > 0 ?
		    r->series[i].v[0] : NAN;
	prom_history_fold(s, 1, gen, &burn, &budget);
	fuzz_check(s->history != NULL && s->spark == NULL);
	bud_compute(s, T0, T0 + 3600, ev, 2, 3600, &b);
	for (i = 0; i < b.nep; i++) {
		fuzz_check(b.ep[i].start >= T0 - 300 && b.ep[i].end <=
		    T0 + 3600 + 300 && b.ep[i].start <= b.ep[i].end);
		fuzz_check(b.ep[i].peak > 1 && b.ep[i].peak <= 1e9);
		fuzz_check(b.ep[i].cause0 + b.ep[i].ncause <= b.ncauses);
	}
	fuzz_check(isnan(b.consumed) || (b.consumed >= 0 &&
	    isfinite(b.consumed)));
	bud_slo_free(&b);
	slo_free(s);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char			*body = fuzz_body(data, size);
	struct prom_result	 r, again;
	struct prom_interval	*iv;
	struct slo		 s;
	char			*err = NULL;
	size_t			 n, i, total;

	if (!prom_parse_response(body, size, 200, &r, &err)) {
		free(err);
		free(body);
		return (0);
	}
	if (prom_parse_response(body, size, 200, &again, &err)) {
		total = r.n + again.n;
		prom_result_merge(&r, &again);
		fuzz_check(r.n == total && again.n == 0);
	} else
		free(err);
	n = prom_alert_intervals(&r, 60, &iv);
	for (i = 0; i < n; i++)
		fuzz_check(iv[i].start <= iv[i].end);
	free(iv);
	one_slo(&s, "a", PROM_GEN_DECLARED, &r);
	one_slo(&s, "a", PROM_GEN_SLOTH, &r);
	prom_result_free(&r);
	free(body);
	return (0);
}
