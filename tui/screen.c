/* screen.c: curses set-up and the one idempotent restore. Input is read
 * without blocking (the loop's poll() says when); the Escape delay is short
 * so that Esc answers at once over SSH. */
#include "config.h"

#define _XOPEN_SOURCE_EXTENDED 1
#include <curses.h>
#include <langinfo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include "keymaps/keymap.h"
#include "tui/screen.h"

static bool	active;

bool
screen_init(bool *color, bool *utf8)
{
	const char	*nc;

	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		fprintf(stderr, "sitrep: not a terminal (use `sitrep snapshot` "
		    "for plain output)\n");
		return (false);
	}
	if (getenv("ESCDELAY") == NULL)
		set_escdelay(25);
	if (initscr() == NULL) {
		fprintf(stderr, "sitrep: cannot set up the terminal\n");
		return (false);
	}
	active = true;
	cbreak();
	noecho();
	nonl();
	intrflush(stdscr, FALSE);
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	idlok(stdscr, TRUE);
	scrollok(stdscr, FALSE);
	leaveok(stdscr, TRUE);
	curs_set(0);
	mousemask(BUTTON1_PRESSED | BUTTON1_CLICKED, NULL);
	mouseinterval(0);

	nc = getenv("NO_COLOR");
	*color = has_colors() && (nc == NULL || *nc == '\0');
	if (*color)
		start_color();
	*utf8 = (strcmp(nl_langinfo(CODESET), "UTF-8") == 0);
	return (true);
}

void
screen_restore(void)
{
	if (!active)
		return;
	active = false;
	curs_set(1);
	endwin();
	fflush(stdout);
}

void
screen_size(int *rows, int *cols)
{
	getmaxyx(stdscr, *rows, *cols);
}

void
screen_resize(int *rows, int *cols)
{
	struct winsize	ws;

	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 &&
	    ws.ws_col > 0)
		resizeterm(ws.ws_row, ws.ws_col);
	clearok(curscr, TRUE);
	screen_size(rows, cols);
}

void
screen_read_keys(void (*fn)(int, int, int, void *), void *arg)
{
	wint_t	wc;
	int	r;
	MEVENT	ev;

	while ((r = get_wch(&wc)) != ERR) {
		if (r == KEY_CODE_YES) {
			if (wc == KEY_MOUSE) {
				if (getmouse(&ev) == OK &&
				    (ev.bstate & (BUTTON1_PRESSED |
				    BUTTON1_CLICKED)))
					fn(SCREEN_KEY_MOUSE, ev.y,
					    ev.x, arg);
				continue;
			}
			if (wc == KEY_RESIZE)
				continue;	/* the loop handles SIGWINCH */
			fn(KEYMAP_KEYCODE((int)wc), -1, -1, arg);
		} else
			fn((int)wc, -1, -1, arg);
	}
}
