/* layout.h: where the panes go, as a pure function of the terminal size and
 * the zoom state, so that it can be tested without a terminal. Row 0 is the
 * header, the last row the status line. The logs span the full width at the
 * bottom so that the terminal can scroll them cheaply. */
#ifndef SITREP_LAYOUT_H
#define SITREP_LAYOUT_H

#include <stdbool.h>

#include "views/ui.h"

/* Fills r[PANE__COUNT]; a pane that is not shown gets h = 0. Returns false
 * when the terminal is too small (under APP_MIN_COLS x APP_MIN_ROWS). */
bool	 layout_compute(int rows, int cols, bool zoom, int focus,
	     struct rect r[PANE__COUNT]);

/* How many rows of items the panes have now: the top band (the more of
 * alerts and deploys) and the SLO pane; and the columns the Deploys rows
 * take in full (0: unknown). */
struct layout_want {
	int	top;
	int	slo;
	int	deploys_w;
};
#define LAYOUT_LOGS_MIN	6	/* the logs' title and five lines */

/* The same, the Logs pane lending rows (down to LAYOUT_LOGS_MIN) to the
 * top band, then to the SLO pane, when they have more items than rows:
 * an alert is not hidden while log lines fill the screen; and the Deploys
 * pane lending the columns its rows do not use to the Alerts titles. The
 * panes never shrink below the default, but Deploys to its rows' width;
 * want NULL: the default. */
bool	 layout_compute_for(int rows, int cols, bool zoom, int focus,
	     const struct layout_want *want, struct rect r[PANE__COUNT]);
/* The pane at a screen position, or -1. */
int	 layout_hit(const struct rect r[PANE__COUNT], int y, int x);

#endif
