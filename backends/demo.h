/* demo.h: what the demo source is told from above: an action the console
 * ran ended (the demo's rollback of checkout, played by `sitrep
 * demo-rollout`, starts checkout's recovery). */
#ifndef SITREP_DEMO_H
#define SITREP_DEMO_H

#include <stdbool.h>

/* Is a demo source running? */
bool	 demo_running(void);
/* An action ended: action "rollback", target "checkout v2.14.0". */
void	 demo_action_ended(const char *action, const char *target, bool ok);

#endif
