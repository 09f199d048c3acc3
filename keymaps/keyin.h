/* keyin.h: what the terminal typed, decoded. Curses hands over items one
 * at a time (a byte, a function key, or "a mouse report starts here"); this
 * turns them into keys (keymap.h codes: UTF-8 assembled into one code
 * point) and mouse events (SGR 1006 and X10 reports). Pure and
 * incremental: a character or a mouse report that a read cut in two is
 * finished by the next read, so that the console never waits for the rest
 * of anything. A report broken by something else is dropped, and what
 * broke it is decoded as itself, so that no typed key is lost. A report
 * whose start curses gave up on (Escape, then "[<" as keys, on a slow
 * link) is still recognized after the Escape. */
#ifndef SITREP_KEYIN_H
#define SITREP_KEYIN_H

#include <stdbool.h>
#include <stdint.h>

#include "keymaps/keymap.h"

/* Items besides bytes (0..255) and key codes (KEYMAP_KEYCODE): the prefix
 * of a mouse report has been read, "ESC [ <" (SGR 1006, then
 * "B;X;Y" and M or m) or "ESC [ M" (X10, then three bytes). */
#define KEYIN_SGR_MOUSE		(KEYMAP_KEYCODE_FLAG | 0x100000)
#define KEYIN_X10_MOUSE		(KEYMAP_KEYCODE_FLAG | 0x100001)

enum keyin_kind {
	KEYIN_KEY,
	KEYIN_MOUSE
};

enum keyin_button {
	KEYIN_BUTTON_NONE,		/* a release (X10) or a motion */
	KEYIN_BUTTON_LEFT,
	KEYIN_BUTTON_MIDDLE,
	KEYIN_BUTTON_RIGHT,
	KEYIN_WHEEL_UP,
	KEYIN_WHEEL_DOWN
};

struct keyin_event {
	enum keyin_kind		kind;
	int			key;		/* KEYIN_KEY */
	enum keyin_button	button;		/* KEYIN_MOUSE, then: */
	bool			press;		/* false: released */
	bool			motion;		/* moved, a button down */
	int			y, x;		/* from 0, top left */
};

struct keyin {
	int		mode;		/* text, SGR or X10 report */
	uint32_t	cp;		/* UTF-8 being assembled */
	int		need;		/* continuation bytes to come */
	int		len;		/* continuation bytes in all */
	int		param[3];	/* SGR: button, column, row */
	int		nparam;
	bool		digit;		/* SGR: a digit in this number */
	int		x10[3];
	int		nx10;
	int		esc;		/* 1: after Escape, 2: and "[" */
};

void	 keyin_init(struct keyin *);
/* Feed one item; the events it completes go to ev (at most
 * KEYIN_MAX_EVENTS); returns how many. */
#define KEYIN_MAX_EVENTS	2
int	 keyin_feed(struct keyin *, int item, struct keyin_event *ev);

#endif
