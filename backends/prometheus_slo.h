/* prometheus_slo.h: SLOs from Prometheus, the pure part. It writes the
 * PromQL that asks for every declared SLO at once (one query per window,
 * whatever their number) and builds struct slo records from the answers:
 * for SLOs declared in the config, and for those found in the recording
 * rules of Sloth and Pyrra. No I/O here; backends/prometheus.c sends the
 * queries. */
#ifndef SITREP_PROMETHEUS_SLO_H
#define SITREP_PROMETHEUS_SLO_H

#include <stdbool.h>
#include <stddef.h>

#include "backends/prometheus_parse.h"
#include "core/model.h"

/* The label each declared SLO's series gets in a union query. */
#define PROM_SLO_LABEL	"sitrep_slo"
/* Labels of the for: query: the series' metric name, the for: seconds. */
#define PROM_NAME_LABEL	"sitrep_name"
#define PROM_FOR_LABEL	"sitrep_for"

/* An SLO declared in the config: [slo "NAME"]. */
struct prom_decl {
	char	*name;
	char	*service;
	double	 objective;	/* percent, 0 < objective < 100 */
	long	 window_s;	/* the SLO window, e.g. 30d */
	char	*error_ratio;	/* PromQL template holding $window */
};
void	 prom_decl_free(struct prom_decl *);
/* Sort by name (the answers are matched by name); false if two share one,
 * *dup then names it. */
bool	 prom_decl_sort(struct prom_decl *, size_t, const char **dup);

/* Things worth telling the user that do not fail a refresh: Prometheus'
 * warnings, SLOs that could not be read. Each is kept once. */
struct prom_notes {
	char	**v;
	size_t	  n;
};
void	 prom_note(struct prom_notes *, const char *, ...)
	     __attribute__((format(printf, 2, 3)));
/* "first; second" (heap), or NULL when there are none. */
char	*prom_notes_join(const struct prom_notes *);
void	 prom_notes_free(struct prom_notes *);

/* --- PromQL ------------------------------------------------------------- */

/* "30d", "6h", "5m", "90s": the largest unit that divides evenly. */
char	*promql_duration(long seconds);
/* The template with every $window replaced by window. */
char	*promql_expand(const char *, const char *window);
/* A PromQL string literal: "a\"b". */
char	*promql_string(const char *);
/* The error ratio template of a good/total pair: 1 - (good) / (total). */
char	*promql_good_total(const char *good, const char *total);

/*
 * One query for every declared SLO: the union ("or", as a balanced tree) of
 *   label_replace((<expr at window>), "sitrep_slo", "<name>", "", "")
 * window NULL means each SLO's own window (the budget). *spans (heap; may
 * be NULL) gets each SLO's [start, end) byte offsets in the query, so that
 * a parse error can be blamed on the SLO it points into.
 */
char	*promql_declared(const struct prom_decl *, size_t, const char *window,
	     size_t **spans);
/* A Prometheus error about a union query, with "1:COL: parse error" turned
 * into the name of the SLO it points into (heap). */
char	*promql_blame(const char *error, const struct prom_decl *, size_t,
	     const size_t *spans);

/* The Sloth recording rules sitrep reads, as one selector. */
extern const char promql_sloth_selector[];
/* The same for Pyrra: burn-rate rules and the generic rules. */
extern const char promql_pyrra_selector[];
/* Sloth's 1h error ratio, for the sparkline. */
extern const char promql_sloth_spark[];
/* The series of each Pyrra SLO whose window stands for "1h", as one
 * selector for the sparkline (heap), or NULL when there are none. */
char	*promql_pyrra_spark(const struct prom_result *);

/* The lowest burn of each Pyrra series a condition with a for: reads,
 * over that for: (a subquery per distinct for:, one query in all), so that
 * sitrep can tell a firing condition from a pending one as Prometheus
 * would; NULL when there is none. */
char	*promql_pyrra_for(const struct prom_result *);

/* --- records ------------------------------------------------------------ */

/* A query_range answer and its grid: points at start + i * step. */
struct prom_spark {
	const struct prom_result *r;	/* NULL: no sparkline */
	double			 start;
	double			 step;
	size_t			 n;
};

/* Declared SLOs from the answers of the seven window queries (in
 * slo_window order), the budget query and the sparkline; decl sorted.
 * Returns n records (heap) in *out. */
size_t	 prom_declared_slos(const struct prom_decl *, size_t,
	     const struct prom_result *const win[W__COUNT],
	     const struct prom_result *budget, const struct prom_spark *,
	     struct slo **out, struct prom_notes *);

/* SLOs found in Sloth's recording rules (the answer to
 * promql_sloth_selector). */
size_t	 prom_sloth_slos(const struct prom_result *, const struct prom_spark *,
	     struct slo **out, struct prom_notes *);

/* SLOs found in Pyrra's recording rules (the answer to
 * promql_pyrra_selector), with the answer to promql_pyrra_for() (NULL:
 * none, and a condition that holds stays pending). */
size_t	 prom_pyrra_slos(const struct prom_result *, const struct prom_spark *,
	     const struct prom_result *, struct slo **out,
	     struct prom_notes *);

/* The generator's own alerting rules, when Prometheus evaluates them
 * (/api/v1/rules): Pyrra's matched to records by their slo label (and to
 * conditions by short and long), Sloth's by sloth_id (the alerts' labels
 * or the query's matchers). A record a rule matches takes the rules'
 * state: alert from firing rules, pending from pending ones, and says so
 * in verdict_note. v sorted by name, as the functions above return it. */
void	 prom_apply_rules(struct slo *, size_t, bool pyrra,
	     const struct prom_rules *);

/* Burn rates from error ratios, then the alert conditions: the last step
 * of every record, whichever its origin. */

#endif
