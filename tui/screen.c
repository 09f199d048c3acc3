/* screen.c: curses set-up, the one idempotent restore, and reading the
 * keyboard. Input never blocks: curses reads from a descriptor of its own
 * for the terminal, opened non-blocking (so that no read inside curses can
 * wait, whatever its escape-sequence or mouse state), through a 1x1 window
 * that is never drawn in, in no-delay mode, until nothing is left. Mouse
 * reports are decoded here (keymaps/keyin.h), not by curses, whose X10
 * and SGR decoders read the rest of a report with a blocking read and, for
 * a release alone, wait for the next event. The Escape delay is short so
 * that Esc answers at once over SSH. */
#include "config.h"

#define _XOPEN_SOURCE_EXTENDED 1
#include <curses.h>
#include <term.h>
#include <fcntl.h>
#include <langinfo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include "core/log.h"
#include "core/utf8.h"
#include "keymaps/keyin.h"
#include "keymaps/keymap.h"
#include "tui/screen.h"

/* The codes curses returns for the start of a mouse report: free ones,
 * above those it gives the terminal's extended keys, and below 2^16 (its
 * key table stores codes in 16 bits). */
#define CODE_SGR_MOUSE	0x7f01
#define CODE_X10_MOUSE	0x7f02

/* Report clicks and the wheel in the SGR form (1006), which has no limit
 * on the column and says which button was released; curses asks for the
 * reports themselves (1000) and stops them in endwin(). */
#define MOUSE_SGR_ON	"\033[?1006h"
#define MOUSE_SGR_OFF	"\033[?1006l"

static bool		 active;
static SCREEN		*scr;
static WINDOW		*in_win;
static FILE		*in_fp;
static struct keyin	 keyin;

/* A descriptor of our own for the terminal, non-blocking. Not stdin's
 * made non-blocking: that open file is usually stdout's too, and writes
 * to the terminal must wait rather than fail. */
static FILE *
open_input(void)
{
	const char	*name = ttyname(STDIN_FILENO);
	int		 fd = -1;
	FILE		*fp;

	if (name != NULL)
		fd = open(name, O_RDONLY | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
	if (fd == -1) {
		log_msg("cannot open the terminal %s again; keys are read "
		    "from stdin", name != NULL ? name : "(no name)");
		fd = fcntl(STDIN_FILENO, F_DUPFD_CLOEXEC, 3);
	}
	if (fd == -1 || (fp = fdopen(fd, "r")) == NULL) {
		if (fd != -1)
			close(fd);
		return (NULL);
	}
	return (fp);
}

/* curses decodes no mouse report: the terminal's mouse key (kmous) is
 * taken out of its key table, and both report prefixes come back as codes
 * of ours. */
static void
take_mouse_keys(void)
{
	char	*km = tigetstr("kmous");

	if (km != NULL && km != (char *)-1)
		define_key(km, 0);
	define_key("\033[<", 0);
	define_key("\033[M", 0);
	define_key("\033[<", CODE_SGR_MOUSE);
	define_key("\033[M", CODE_X10_MOUSE);
}

/* C-s and C-q are keys, not flow control: with IXON a stray C-s stops
 * all output and the screen looks frozen until C-q. curses is told, so
 * that its later mode changes keep it. */
void
screen_keys_not_flow(int fd)
{
	struct termios	t;

	if (tcgetattr(fd, &t) == 0 && (t.c_iflag & (IXON | IXOFF)) != 0) {
		t.c_iflag &= ~(tcflag_t)(IXON | IXOFF);
		tcsetattr(fd, TCSANOW, &t);
	}
	def_prog_mode();
}

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
	if ((in_fp = open_input()) == NULL ||
	    (scr = newterm(NULL, stdout, in_fp)) == NULL ||
	    (in_win = newwin(1, 1, 0, 0)) == NULL) {
		fprintf(stderr, "sitrep: cannot set up the terminal\n");
		if (scr != NULL) {
			endwin();
			delscreen(scr);
			scr = NULL;
		}
		if (in_fp != NULL)
			fclose(in_fp);
		in_fp = NULL;
		return (false);
	}
	set_term(scr);
	active = true;
	cbreak();
	screen_keys_not_flow(STDOUT_FILENO);
	noecho();
	nonl();
	intrflush(stdscr, FALSE);
	keypad(stdscr, TRUE);
	keypad(in_win, TRUE);
	nodelay(stdscr, TRUE);
	nodelay(in_win, TRUE);
	untouchwin(in_win);
	idlok(stdscr, TRUE);
	scrollok(stdscr, FALSE);
	leaveok(stdscr, TRUE);
	curs_set(0);
	mousemask(BUTTON1_PRESSED | BUTTON4_PRESSED | BUTTON5_PRESSED, NULL);
	mouseinterval(0);
	take_mouse_keys();
	/* Now, not with the first frame: putp's bytes wait in stdio. */
	fputs(MOUSE_SGR_ON, stdout);
	fflush(stdout);
	keyin_init(&keyin);

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
	fputs(MOUSE_SGR_OFF, stdout);
	fflush(stdout);
}

int
screen_input_fd(void)
{
	return (in_fp != NULL ? fileno(in_fp) : STDIN_FILENO);
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

/* A function key from curses as keymaps/keyin.h wants it. */
static int
screen_keycode(wint_t wc)
{
	if (wc == CODE_SGR_MOUSE)
		return (KEYIN_SGR_MOUSE);
	if (wc == CODE_X10_MOUSE)
		return (KEYIN_X10_MOUSE);
	return (KEYMAP_KEYCODE((int)wc));
}

void
screen_read_keys(void (*fn)(const struct keyin_event *, void *), void *arg)
{
	struct keyin_event	ev[KEYIN_MAX_EVENTS];
	char			buf[UTF8_MAX];
	wint_t			wc;
	size_t			len, b;
	int			r, n, i, idle = 0;

	/* Whatever changed them, reads do not wait, and the input window
	 * is never refreshed (curses refreshes a touched one first). */
	nodelay(in_win, TRUE);
	untouchwin(in_win);
	/* Two nothings in a row: curses gives up on a character cut short
	 * by a function key with the key still queued, which the next call
	 * hands over. (wget_wch, not wgetch: wgetch would want "meta" mode
	 * for bytes above 0x7f, which changes what Alt sends in xterm.) */
	while (idle < 2) {
		if ((r = wget_wch(in_win, &wc)) == ERR) {
			idle++;
			continue;
		}
		idle = 0;
		if (r == KEY_CODE_YES) {
			if (wc == KEY_RESIZE || wc == KEY_MOUSE)
				continue;	/* the loop handles SIGWINCH */
			n = keyin_feed(&keyin, screen_keycode(wc), ev);
			for (i = 0; i < n; i++)
				fn(&ev[i], arg);
			continue;
		}
		/* A character: its bytes, which keyin puts together again
		 * (mouse reports are bytes). */
		len = wc <= 0x10ffff ? utf8_encode(buf, (uint32_t)wc) : 0;
		for (b = 0; b < len; b++) {
			n = keyin_feed(&keyin, (unsigned char)buf[b], ev);
			for (i = 0; i < n; i++)
				fn(&ev[i], arg);
		}
	}
}
