/* prometheus.h: what `sitrep report` asks of a Prometheus source beyond
 * the console's refresh: the period to evaluate (the instant queries at its
 * end, every SLO's 1h burn and budget left over it, and the history of
 * firing alerts, all as range queries over every SLO at once). */
#ifndef SITREP_PROMETHEUS_H
#define SITREP_PROMETHEUS_H

#include <stdbool.h>

#include "backends/backend.h"
#include "backends/prometheus_parse.h"

/* Before the first refresh: evaluate at `to`, and give each SLO record a
 * history (struct slo_history) of [from, to]: the 1h burn every step
 * seconds, the budget left every bstep seconds. False when s is not a
 * Prometheus source. */
bool	 prometheus_report_period(struct source *, double from, double to,
	     long step, long bstep);

/* After the refresh: the ALERTS{alertstate="firing"} history (a matrix,
 * owned by the source), and in *error the first report query that failed
 * (NULL: none). NULL when s is not a Prometheus source. */
const struct prom_result *prometheus_report_alerts(const struct source *,
	     const char **error);

#endif
