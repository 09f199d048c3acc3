/* screen.h: the terminal: curses set-up, and one idempotent restore reached
 * from normal exit, fatal errors and signals. While curses owns the
 * terminal, diagnostics go to the log file, never to the screen. */
#ifndef SITREP_SCREEN_H
#define SITREP_SCREEN_H

#include <stdbool.h>

/* Returns false (with a reason on stderr) if there is no usable terminal. */
bool	 screen_init(bool *color, bool *utf8);
void	 screen_restore(void);
/* Re-read the size after SIGWINCH; returns it. */
void	 screen_resize(int *rows, int *cols);
void	 screen_size(int *rows, int *cols);
/* Read keys until none is left, calling fn for each key (see keymap.h for
 * the codes) with -1, -1; a mouse click comes as SCREEN_KEY_MOUSE, y, x. */
#define SCREEN_KEY_MOUSE	(-2)
void	 screen_read_keys(void (*fn)(int key, int my, int mx, void *), void *);

#endif
