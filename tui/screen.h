/* screen.h: the terminal: curses set-up, and one idempotent restore reached
 * from normal exit, fatal errors and signals. While curses owns the
 * terminal, diagnostics go to the log file, never to the screen. */
#ifndef SITREP_SCREEN_H
#define SITREP_SCREEN_H

#include <stdbool.h>

struct keyin_event;

/* Returns false (with a reason on stderr) if there is no usable terminal. */
bool	 screen_init(bool *color, bool *utf8);
void	 screen_restore(void);
/* Turn off XON/XOFF flow control on the terminal fd (C-s would stop the
 * screen); curses keeps the mode. */
void	 screen_keys_not_flow(int fd);
/* The descriptor keys are read from (for the loop to watch): the terminal,
 * non-blocking. */
int	 screen_input_fd(void);
/* Re-read the size after SIGWINCH; returns it. */
void	 screen_resize(int *rows, int *cols);
void	 screen_size(int *rows, int *cols);
/* Read what was typed until nothing is left, without ever waiting,
 * calling fn for each key or mouse event (keymaps/keyin.h). */
void	 screen_read_keys(void (*fn)(const struct keyin_event *, void *),
	     void *);

#endif
