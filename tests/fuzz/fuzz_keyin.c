/* fuzz_keyin.c: fuzz target for the input decoder (keymaps/keyin.c): the
 * bytes as what curses hands over (a few byte values stand for the start
 * of a mouse report and for function keys), in one stream. Every event is
 * sane: a key is a function key or a Unicode scalar value, a mouse event
 * has a known button and coordinates within the bound; no more events
 * than the decoder promises come out of one item. */
#include "config.h"

#include <curses.h>
#include <stdbool.h>
#include <string.h>

#include "keymaps/keyin.h"
#include "tests/fuzz/fuzz.h"

static int
item_of(uint8_t b)
{
	switch (b) {
	case 0xf5:
		return (KEYIN_SGR_MOUSE);
	case 0xf6:
		return (KEYIN_X10_MOUSE);
	case 0xf7:
		return (KEYMAP_KEYCODE(KEY_DOWN));
	default:
		return (b);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct keyin		k;
	struct keyin_event	ev[KEYIN_MAX_EVENTS];
	size_t			i;
	int			n, j;

	keyin_init(&k);
	for (i = 0; i < size; i++) {
		n = keyin_feed(&k, item_of(data[i]), ev);
		fuzz_check(n >= 0 && n <= KEYIN_MAX_EVENTS);
		for (j = 0; j < n; j++) {
			if (ev[j].kind == KEYIN_KEY) {
				fuzz_check(KEYMAP_IS_KEYCODE(ev[j].key) ||
				    (ev[j].key >= 0 && ev[j].key <= 0x10ffff &&
				    !(ev[j].key >= 0xd800 &&
				    ev[j].key <= 0xdfff)));
				continue;
			}
			fuzz_check(ev[j].kind == KEYIN_MOUSE);
			fuzz_check(ev[j].button >= KEYIN_BUTTON_NONE &&
			    ev[j].button <= KEYIN_WHEEL_DOWN);
			fuzz_check(ev[j].x >= 0 && ev[j].x < 100000 &&
			    ev[j].y >= 0 && ev[j].y < 100000);
		}
	}
	return (0);
}
