/* keyin.c: the terminal's input decoded into keys and mouse events (see
 * keyin.h). Pure: no curses, no I/O, no clock. */
#include "config.h"

#include <string.h>

#include "keymaps/keyin.h"

enum {
	MODE_TEXT,
	MODE_SGR,
	MODE_X10
};

#define PARAM_MAX	99999	/* wider than any terminal */

void
keyin_init(struct keyin *k)
{
	memset(k, 0, sizeof *k);
}

static void
mouse_from_button(struct keyin_event *e, int b, bool press)
{
	e->kind = KEYIN_MOUSE;
	e->key = 0;
	e->press = press;
	e->motion = (b & 32) != 0;
	e->button = KEYIN_BUTTON_NONE;
	if (b & 64) {
		/* The wheel: 64 up, 65 down (66 and 67 sideways: ignored). */
		if ((b & 3) == 0)
			e->button = KEYIN_WHEEL_UP;
		else if ((b & 3) == 1)
			e->button = KEYIN_WHEEL_DOWN;
		return;
	}
	if (b & 128)
		return;		/* buttons 8 to 11: none of ours */
	switch (b & 3) {
	case 0:
		e->button = KEYIN_BUTTON_LEFT;
		break;
	case 1:
		e->button = KEYIN_BUTTON_MIDDLE;
		break;
	case 2:
		e->button = KEYIN_BUTTON_RIGHT;
		break;
	default:
		e->press = false;	/* X10's release: which is not said */
		break;
	}
}

static int
key_event(struct keyin_event *e, int key)
{
	memset(e, 0, sizeof *e);
	e->kind = KEYIN_KEY;
	e->key = key;
	return (1);
}

/* An item in text mode: a byte of UTF-8, a key code, or a report's start. */
static int
feed_text(struct keyin *k, int item, struct keyin_event *ev)
{
	static const uint32_t	min[] = { 0, 0x80, 0x800, 0x10000 };
	int			b, len;

	if (item == KEYIN_SGR_MOUSE || item == KEYIN_X10_MOUSE) {
		k->need = 0;
		k->mode = item == KEYIN_SGR_MOUSE ? MODE_SGR : MODE_X10;
		k->nparam = k->nx10 = 0;
		k->digit = false;
		memset(k->param, 0, sizeof k->param);
		return (0);
	}
	if (item < 0 || item > 0xff) {
		k->need = 0;	/* a key code cuts a character short */
		return (KEYMAP_IS_KEYCODE(item) ? key_event(ev, item) : 0);
	}
	b = item;
	if (k->need > 0 && (b & 0xc0) == 0x80) {
		k->cp = (k->cp << 6) | (uint32_t)(b & 0x3f);
		if (--k->need > 0)
			return (0);
		if (k->cp < min[k->len] || k->cp > 0x10ffff ||
		    (k->cp >= 0xd800 && k->cp <= 0xdfff))
			return (0);	/* overlong or not a character */
		return (key_event(ev, (int)k->cp));
	}
	k->need = 0;		/* a character cut short is dropped */
	if (b == 27)
		k->esc = 1;
	if (b < 0x80)
		return (key_event(ev, b));
	if (b >= 0xc2 && b <= 0xdf)
		len = 1, k->cp = (uint32_t)(b & 0x1f);
	else if (b >= 0xe0 && b <= 0xef)
		len = 2, k->cp = (uint32_t)(b & 0x0f);
	else if (b >= 0xf0 && b <= 0xf4)
		len = 3, k->cp = (uint32_t)(b & 0x07);
	else
		return (0);	/* not a lead byte */
	k->need = k->len = len;
	return (0);
}

static int
feed_sgr(struct keyin *k, int item, struct keyin_event *ev)
{
	if (item >= '0' && item <= '9') {
		k->param[k->nparam] = k->param[k->nparam] * 10 + (item - '0');
		if (k->param[k->nparam] > PARAM_MAX)
			k->param[k->nparam] = PARAM_MAX;
		k->digit = true;
		return (0);
	}
	if (item == ';' && k->digit && k->nparam < 2) {
		k->nparam++;
		k->digit = false;
		return (0);
	}
	if ((item == 'M' || item == 'm') && k->digit && k->nparam == 2) {
		k->mode = MODE_TEXT;
		memset(ev, 0, sizeof *ev);
		mouse_from_button(ev, k->param[0], item == 'M');
		ev->x = k->param[1] > 0 ? k->param[1] - 1 : 0;
		ev->y = k->param[2] > 0 ? k->param[2] - 1 : 0;
		return (1);
	}
	/* Not a report after all: drop it, decode the item as itself. */
	k->mode = MODE_TEXT;
	return (feed_text(k, item, ev));
}

static int
feed_x10(struct keyin *k, int item, struct keyin_event *ev)
{
	if (item < 32 || item > 0xff) {
		k->mode = MODE_TEXT;
		return (feed_text(k, item, ev));
	}
	k->x10[k->nx10++] = item;
	if (k->nx10 < 3)
		return (0);
	k->mode = MODE_TEXT;
	memset(ev, 0, sizeof *ev);
	mouse_from_button(ev, k->x10[0] - 32, true);
	ev->x = k->x10[1] - 33 > 0 ? k->x10[1] - 33 : 0;
	ev->y = k->x10[2] - 33 > 0 ? k->x10[2] - 33 : 0;
	return (1);
}

/*
 * Curses gives up on an escape sequence whose bytes come more than the
 * Escape delay apart (a slow link): a report then comes as Escape, "[",
 * "<" or "M" and the rest as keys. Escape has been handed on by then, but
 * the rest is still recognized: "[" after Escape waits for the next item.
 */
static int
feed_after_escape(struct keyin *k, int item, struct keyin_event *ev)
{
	int	n;

	if (k->esc == 1 && item == '[') {
		k->esc = 2;
		return (0);
	}
	if (k->esc == 2 && (item == '<' || item == 'M')) {
		k->esc = 0;
		return (feed_text(k, item == '<' ? KEYIN_SGR_MOUSE :
		    KEYIN_X10_MOUSE, ev));
	}
	n = 0;
	if (k->esc == 2)
		n = key_event(ev, '[');	/* it was a "[" after all */
	k->esc = 0;
	return (n + feed_text(k, item, ev + n));
}

int
keyin_feed(struct keyin *k, int item, struct keyin_event *ev)
{
	if (k->mode == MODE_TEXT && k->esc != 0)
		return (feed_after_escape(k, item, ev));
	switch (k->mode) {
	case MODE_SGR:
		return (feed_sgr(k, item, ev));
	case MODE_X10:
		return (feed_x10(k, item, ev));
	default:
		return (feed_text(k, item, ev));
	}
}
