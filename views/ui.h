/* ui.h: the console's state as the panes see it: the model and sources
 * they show, the four panes with their selection, focus and zoom, the
 * overlay (what covers the panes), the status line's message, prompt and
 * question, and the key bindings; and the few services a pane asks of the
 * console (a message, a repaint, a prompt, a question, running a command
 * line). The console (tui/app.c) owns one, routes keys and paints it. */
#ifndef SITREP_UI_H
#define SITREP_UI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "keymaps/keymap.h"
#include "views/ask.h"
#include "views/pane.h"
#include "views/prompt.h"
#include "views/detail.h"
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

/* What covers the panes, in app->detail's lines. Keys follow it: a row's
 * detail takes the detail table, then its pane's commands (they act on
 * the row it shows); the help its own table; the others the global keys
 * only, so that no key acts on a row hidden behind them. */
enum ui_overlay {
	OVERLAY_NONE,
	OVERLAY_DETAIL,		/* a row's detail, or an action's plan */
	OVERLAY_TIMELINE,	/* the Timeline view (views/timeline.c) */
	OVERLAY_STATUS_UPDATE,	/* the status update (views/statusupd.c) */
	OVERLAY_HELP
};

/* What a key does, as data: a table of {name, help, exec}. Key bindings
 * name these commands; the help screen and the man page's key table list
 * them. A pane's command gets its pane; a global one gets NULL. */
struct command {
	const char	*name;
	const char	*args;		/* argument synopsis, or NULL */
	const char	*help;
	void		(*exec)(struct ui *, struct pane *, const char *args);
};

struct ui {
	struct model		*model;
	struct config		*cfg;
	struct source		**sources;
	size_t			 nsources;
	struct keymap		 keys;

	struct pane		 panes[PANE__COUNT];
	int			 focus;
	bool			 zoom;
	enum ui_overlay		 overlay;
	struct detail		 detail;

	struct prompt		 prompt;	/* on the status line */
	struct prompt_history	 history;	/* of the : command line */
	/* The item the prompt is about (ui_prompt_about), or none. */
	const struct view_ops	*prompt_view;
	char			*prompt_key;
	char			*prompt_name;
	struct ask		 ask;		/* the question before an action */
	int			 last_key;	/* the key being handled */

	char			*message;
	bool			 message_error;
	int64_t			 message_at;

	bool			 clock_local;
	bool			 dirty;
	bool			 relayout;	/* zoom or zoomed focus changed */
	int			 want_top, want_slo;	/* items laid out for */
	int			 want_deploys_w; /* Deploys' rows, in full */
	bool			 clear;		/* send every cell again (redraw) */
	bool			 color;		/* for the action terminal */
	int			 rows, cols;
	struct loop_timer	*tick;
	uint64_t		 frames;

	/* Data changes repaint at most every UI_FRAME_MS; keys at once. */
	int64_t			 painted_at;
	struct loop_timer	*frame_timer;
	/* The logs follow the focused row's service once it rests. */
	struct loop_timer	*retarget;
	/* The last click on a row, for a double click. */
	int64_t			 click_at;
	int			 click_pane;
	size_t			 click_row;

	/* Set by the console: run a command line ("focus logs"); false if
	 * there is no such command. */
	bool			(*run)(struct ui *, const char *line);
};

#define UI_MIN_COLS	80
#define UI_MIN_ROWS	24

void	 ui_dirty(struct ui *);
/* The panes' geometry changed (zoom): laid out again before painting. */
void	 ui_relayout(struct ui *);
void	 ui_message(struct ui *, bool error, const char *, ...)
	     __attribute__((format(printf, 3, 4)));
/* Ask on the status line; cb gets the text, or NULL if cancelled. */
void	 ui_prompt(struct ui *, const char *label, const char *initial,
	     prompt_cb, void *);
/* The prompt just opened is about the item key of view's pane (named
 * name): when it vanishes, the prompt is closed, saying so, and nothing
 * is done (ui_ask_check). */
void	 ui_prompt_about(struct ui *, const struct view_ops *, const char *key,
	     const char *name);
/* Ask before an action that changes the world (views/ask.h). */
void	 ui_ask(struct ui *, const struct ask_spec *);
/* The question's keys come first: true if the key was its (or typed
 * ahead of its answer). */
bool	 ui_ask_key(struct ui *, int key);
/* Cancel an open question, saying so (why: NULL, or "(... vanished)"). */
void	 ui_ask_cancel(struct ui *, const char *why);
/* Cancel the open question, or close the prompt, if the item it is about
 * has vanished, naming it; true if it did. The console calls it before
 * painting. */
bool	 ui_ask_check(struct ui *);
/* Run a command line through the console; false if unknown. */
bool	 ui_run(struct ui *, const char *line);
struct pane *ui_focused(struct ui *);
/* The pane a view fills. */
struct pane *ui_pane(struct ui *, const struct view_ops *);
/* The alert the user means: the open detail's, else the Alerts pane's
 * selection (NULL: none). */
const struct alert *ui_selected_alert(struct ui *);

#endif
