/* app.h: the console: it owns the state the panes share (views/ui.h),
 * starts and stops it, routes each key (the prompt, then the question,
 * then the action terminal, then the key tables of what has focus), the
 * mouse and resizes, keeps the focus on what is on the screen,
 * and paints the whole screen once per turn of the loop. Commands
 * (tui/commands.c) change it. */
#ifndef SITREP_APP_H
#define SITREP_APP_H

#include <stdbool.h>
#include <stddef.h>

#include "views/ui.h"

struct config;
struct keyin_event;
struct model;
struct source;

#define APP_MIN_COLS	UI_MIN_COLS
#define APP_MIN_ROWS	UI_MIN_ROWS
#define APP_FRAME_MS	100	/* data-driven repaints, at most 10 a second */
#define APP_RETARGET_MS	250	/* selection rest before the logs follow */
#define APP_DOUBLE_CLICK_MS	500	/* two clicks on a row: its detail */
#define APP_WHEEL_ROWS	3	/* rows one notch of the wheel scrolls */

void	 app_init(struct ui *, struct model *, struct config *,
	     struct source **, size_t);
/* Start the clock tick (the console only). */
void	 app_start(struct ui *);
void	 app_free(struct ui *);
/* Handle one key from the terminal (curses code, tagged per keymap.h). */
void	 app_key(struct ui *, int);
/* A mouse event from the terminal (keymaps/keyin.h). */
void	 app_mouse(struct ui *, const struct keyin_event *);
void	 app_resize(struct ui *, int rows, int cols);
/* Paint if anything changed; one doupdate(). */
void	 app_paint(struct ui *);

#endif
