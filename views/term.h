/* term.h: the action terminal. Rollbacks, runbooks and the shell run on a
 * pty whose output libvterm draws (views/termdraw.h) into a pane over the
 * lower half of the screen, zoomable. While it has focus, keys go to the
 * child, except those bound in the "term" key table (Ctrl-] returns to the
 * console). When the child exits the pane says how and after how long; the
 * console keys then close it, zoom it and scroll its scrollback. Each run
 * is bracketed in the audit log (actions/actlog.h). One at a time. */
#ifndef SITREP_TERM_H
#define SITREP_TERM_H

#include <stdbool.h>

#include "views/ui.h"


struct ui;
struct plan;


/* Start a plan (actions/plan.h) on a pty, focused; false with *err (heap) if the terminal is
 * busy, the audit log cannot be written or the pty cannot be made. */
bool	 term_start(struct ui *, const struct plan *, char **err);
/* A child is running in the terminal; *what (if not NULL) names it. */
bool	 term_busy(const char **what);

/* The console's hooks: keys while it has focus (true if taken), painting,
 * the terminal cursor (true if placed). */
bool	 term_key(struct ui *, int key);
void	 term_paint(struct ui *);
bool	 term_place_cursor(struct ui *);
/* The first screen row the terminal's pane covers (its title), or the
 * screen's height when it is not shown (none, put away, under an overlay,
 * the screen too small). */
int	 term_top(struct ui *);
/* The terminal has the keyboard (and is on the screen). */
bool	 term_has_focus(struct ui *);
/* Give the keyboard back to the console (term-leave). */
void	 term_release(struct ui *);
/* Put the terminal away for a pane it covers: not drawn, no focus, its
 * child running on; the term command shows it again. */
void	 term_hide(struct ui *);
/* It is put away; *title (if not NULL) says what runs in it. */
bool	 term_put_away(const char **title);
/* The mouse on its pane: a click focuses it; the wheel (rows, up < 0)
 * scrolls its scrollback. */
void	 term_mouse(struct ui *, bool press, long wheel);
/* Quitting while actions run asks first; true if it asked. */
bool	 term_confirm_quit(struct ui *);
/* The console's terminal is gone: a shell is hung up (SIGHUP to its
 * process group, the pty closed, SIGKILL after a grace); a rollback or
 * runbook runs on, but every read of its keyboard gets end-of-file, and
 * one in raw mode is hung up like a shell. Its end line says why. */
void	 term_hangup(void);
/* Leaving: hang up a running child, wait a little, record its end. */
void	 term_shutdown(void);

/* term, term-leave, term-close, term-zoom, term-scroll-up/-down. */
extern const struct command term_commands[];

#endif
