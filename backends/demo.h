/* demo.h: what the demo source is told from above: an action the console
 * ran ended (the demo's rollback of checkout, played by `sitrep
 * demo-rollout`, starts checkout's recovery), and the period `sitrep
 * report` covers. */
#ifndef SITREP_DEMO_H
#define SITREP_DEMO_H

#include <stdbool.h>

/* Is a demo source running? */
bool	 demo_running(void);
/* An action ended: action "rollback", target "checkout v2.14.0". */
void	 demo_action_ended(const char *action, const char *target, bool ok);

struct source;
/* Before the first refresh: give each SLO with traffic a history of
 * [from, to] (struct slo_history: the 1h burn every step seconds, the
 * budget left every bstep), as prometheus_report_period does. False when
 * s is not a demo source. */
bool	 demo_report_period(struct source *, double from, double to,
	     long step, long bstep);

#endif
