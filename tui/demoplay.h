/* demoplay.h: the demo's rollback and runbook, sitrep in a hidden mode
 * (see demoplay.c). */
#ifndef SITREP_DEMOPLAY_H
#define SITREP_DEMOPLAY_H

/* argv[1] is "demo-rollout" or "demo-runbook"; the exit status. */
int	 demoplay_main(int argc, char **argv);

#endif
