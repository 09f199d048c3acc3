/* app.h: the console's state: the model and sources it watches, the four
 * panes with their selection, focus and zoom, the overlay (detail or help),
 * the status-line message and the key bindings. Commands (tui/commands.c)
 * change it; tui/app.c paints it. */
#ifndef SITREP_APP_H
#define SITREP_APP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "keymaps/keymap.h"
#include "tui/prompt.h"
#include "views/view.h"

struct config;
struct model;
struct source;
struct loop_timer;

enum pane_id {
	PANE_ALERTS,
	PANE_SLO,
	PANE_DEPLOYS,
	PANE_LOGS,
	PANE__COUNT
};

struct rect {
	int	y, x, h, w;
};

struct pane {
	const struct view_ops	*ops;
	struct rect		 r;		/* on screen, title included */
	size_t			 sel;		/* selected row */
	size_t			 top;		/* first row shown */
	char			*sel_key;	/* row_key of the selection */
	bool			 follow;	/* tail panes: stick to the end */
	size_t			 body_rows;	/* rows available for items */
	void			*state;		/* the view's own (ops->init) */
};

enum app_overlay {
	OVERLAY_NONE,
	OVERLAY_DETAIL,
	OVERLAY_HELP
};

struct app {
	struct model		*model;
	struct config		*cfg;
	struct source		**sources;
	size_t			 nsources;
	struct keymap		 keys;

	struct pane		 panes[PANE__COUNT];
	int			 focus;
	bool			 zoom;
	enum app_overlay	 overlay;
	struct detail		 detail;

	struct prompt		 prompt;	/* on the status line */

	char			*message;
	bool			 message_error;
	int64_t			 message_at;

	bool			 clock_local;
	bool			 dirty;
	bool			 color;		/* for the action terminal */
	int			 rows, cols;
	struct loop_timer	*tick;
	uint64_t		 frames;

	/* Data changes repaint at most every APP_FRAME_MS; keys at once. */
	int64_t			 painted_at;
	struct loop_timer	*frame_timer;
	/* The logs follow the focused row's service once it rests. */
	struct loop_timer	*retarget;
};

#define APP_MIN_COLS	80
#define APP_MIN_ROWS	24
#define APP_FRAME_MS	100	/* data-driven repaints, at most 10 a second */
#define APP_RETARGET_MS	250	/* selection rest before the logs follow */

void	 app_init(struct app *, struct model *, struct config *,
	     struct source **, size_t);
/* Start the clock tick (the console only). */
void	 app_start(struct app *);
void	 app_free(struct app *);
/* Handle one key from the terminal (curses code, tagged per keymap.h). */
void	 app_key(struct app *, int);
void	 app_mouse(struct app *, int y, int x);
void	 app_resize(struct app *, int rows, int cols);
/* Paint if anything changed; one doupdate(). */
void	 app_paint(struct app *);
void	 app_dirty(struct app *);
void	 app_message(struct app *, bool error, const char *, ...)
	     __attribute__((format(printf, 3, 4)));
/* Ask on the status line; cb gets the text, or NULL if cancelled. */
void	 app_prompt(struct app *, const char *label, const char *initial,
	     prompt_cb, void *);
void	 app_confirm(struct app *, const char *question, prompt_cb, void *);
/* Run a command line ("focus logs"); false if unknown. */
bool	 app_run_command(struct app *, const char *);

struct pane *app_focused(struct app *);
/* Keep the selection on screen and on the same item after a refresh. */
void	 pane_sync(struct app *, struct pane *);
/* Does a row key "SOURCE/ID" name this record? For find_row hooks: no
 * allocation, unlike comparing row_key strings. */
bool	 pane_key_is(const char *key, const char *source, const char *id);
void	 pane_move(struct app *, struct pane *, long delta);
void	 pane_select(struct app *, struct pane *, size_t);

/* The header's age words for a pane's sources: "" when fresh, else
 * "as of 14:02:11 (3m old)". */
void	 app_source_age(struct app *, const struct view_ops *, char *, size_t);

#endif
