/* log.h: diagnostics for after the fact. While curses owns the terminal
 * nothing may be printed, so messages go to a file instead:
 * $XDG_STATE_HOME/sitrep/sitrep.log (or ~/.local/state/sitrep/sitrep.log),
 * opened on the first message. Never give it a secret. */
#ifndef SITREP_LOG_H
#define SITREP_LOG_H

/* Use this file instead of the default (NULL: logging off). */
void	 log_set_path(const char *);
void	 log_msg(const char *, ...) __attribute__((format(printf, 1, 2)));
/* $XDG_STATE_HOME/sitrep/NAME or ~/.local/state/sitrep/NAME (heap). */
char	*log_state_path(const char *name);
void	 log_close(void);
/* mkdir -p for the folders above path, mode 0700 (state files are
 * private). */
void	 log_make_parents(const char *path);

#endif
