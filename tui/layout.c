/* layout.c: pane geometry. Top band: Alerts | Deploys; then SLO burn across
 * the width; Logs at the bottom across the width. The Logs pane lends rows
 * to the panes above when they have more items than rows. */
#include "config.h"

#include <string.h>

#include "tui/layout.h"

bool
layout_compute(int rows, int cols, bool zoom, int focus,
    struct rect r[PANE__COUNT])
{
	return (layout_compute_for(rows, cols, zoom, focus, NULL, r));
}

/* Rows the logs can lend: need more than have, at most spare. */
static int
lend(int need, int have, int *spare)
{
	int	n = need - have;

	if (n <= 0)
		return (0);
	if (n > *spare)
		n = *spare;
	*spare -= n;
	return (n);
}

bool
layout_compute_for(int rows, int cols, bool zoom, int focus,
    const struct layout_want *want, struct rect r[PANE__COUNT])
{
	int	avail, top_h, slo_h, logs_h, alerts_w, y, spare, dw;

	memset(r, 0, sizeof(struct rect) * PANE__COUNT);
	if (rows < UI_MIN_ROWS || cols < UI_MIN_COLS)
		return (false);
	avail = rows - 2;		/* header and status line */
	if (zoom && focus >= 0 && focus < PANE__COUNT) {
		r[focus] = (struct rect){ 1, 0, avail, cols };
		return (true);
	}
	top_h = avail * 30 / 100;
	slo_h = avail * 27 / 100;
	if (top_h < 6)
		top_h = 6;
	if (slo_h < 6)
		slo_h = 6;
	logs_h = avail - top_h - slo_h;
	if (want != NULL && logs_h > LAYOUT_LOGS_MIN) {
		/* A title and column headings above the items. */
		spare = logs_h - LAYOUT_LOGS_MIN;
		top_h += lend(want->top + 2, top_h, &spare);
		slo_h += lend(want->slo + 2, slo_h, &spare);
		logs_h = avail - top_h - slo_h;
	}
	alerts_w = cols * 60 / 100;
	/* Deploys wider than its rows: the Alerts titles get the rest, down
	 * to the width Deploys has at 80 columns (its title needs room). */
	if (want != NULL && want->deploys_w > 0) {
		dw = want->deploys_w;
		if (dw < UI_MIN_COLS - UI_MIN_COLS * 60 / 100 - 1)
			dw = UI_MIN_COLS - UI_MIN_COLS * 60 / 100 - 1;
		if (dw < cols - alerts_w - 1)
			alerts_w = cols - dw - 1;
	}

	y = 1;
	r[PANE_ALERTS] = (struct rect){ y, 0, top_h, alerts_w };
	r[PANE_DEPLOYS] = (struct rect){ y, alerts_w + 1, top_h,
	    cols - alerts_w - 1 };
	y += top_h;
	r[PANE_SLO] = (struct rect){ y, 0, slo_h, cols };
	y += slo_h;
	r[PANE_LOGS] = (struct rect){ y, 0, logs_h, cols };
	return (true);
}

int
layout_hit(const struct rect r[PANE__COUNT], int y, int x)
{
	int	i;

	for (i = 0; i < PANE__COUNT; i++) {
		if (r[i].h > 0 && y >= r[i].y && y < r[i].y + r[i].h &&
		    x >= r[i].x && x < r[i].x + r[i].w)
			return (i);
	}
	return (-1);
}
