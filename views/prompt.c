/* prompt.c: one-line editing: insert, delete, move by character and word,
 * Emacs-style control keys as in a shell. UTF-8 aware. */
#include "config.h"

#define _XOPEN_SOURCE_EXTENDED 1
#include <curses.h>
#include <stdlib.h>
#include <string.h>

#include "core/sanitize.h"
#include "core/utf8.h"
#include "core/xalloc.h"
#include "keymaps/keymap.h"
#include "views/prompt.h"

#define CTRL(c)	((c) & 0x1f)

void
prompt_start(struct prompt *p, const char *label, const char *initial,
    prompt_cb cb, void *arg)
{
	prompt_clear(p);
	p->active = true;
	p->label = xstrdup(label);
	if (initial != NULL)
		sbuf_adds(&p->text, initial);
	p->cursor = p->text.len;
	p->cb = cb;
	p->arg = arg;
}

void
prompt_clear(struct prompt *p)
{
	free(p->label);
	sbuf_free(&p->text);
	memset(p, 0, sizeof *p);
	sbuf_init(&p->text);
}

static bool
is_cont(char c)
{
	return (((unsigned char)c & 0xc0) == 0x80);
}

static size_t
prev_char(const struct prompt *p, size_t at)
{
	if (at == 0)
		return (0);
	do
		at--;
	while (at > 0 && is_cont(p->text.s[at]));
	return (at);
}

static size_t
next_char(const struct prompt *p, size_t at)
{
	if (at >= p->text.len)
		return (p->text.len);
	do
		at++;
	while (at < p->text.len && is_cont(p->text.s[at]));
	return (at);
}

static void
delete_range(struct prompt *p, size_t from, size_t to)
{
	if (to <= from)
		return;
	memmove(p->text.s + from, p->text.s + to, p->text.len - to + 1);
	p->text.len -= to - from;
	p->cursor = from;
}

static void
insert_char(struct prompt *p, int c)
{
	char	buf[UTF8_MAX];
	size_t	n;

	n = utf8_encode(buf, (uint32_t)c);
	/* Grow through the buffer API, then open a gap at the cursor. */
	sbuf_add(&p->text, buf, n);
	memmove(p->text.s + p->cursor + n, p->text.s + p->cursor,
	    p->text.len - n - p->cursor);
	memcpy(p->text.s + p->cursor, buf, n);
	p->cursor += n;
}

static size_t
word_start(const struct prompt *p, size_t at)
{
	while (at > 0 && p->text.s[at - 1] == ' ')
		at--;
	while (at > 0 && p->text.s[at - 1] != ' ')
		at--;
	return (at);
}

enum prompt_result
prompt_key(struct prompt *p, int key)
{
	key = keymap_key_canonical(key);
	switch (key) {
	case '\r':
		return (PROMPT_ACCEPT);
	case 27:
	case CTRL('g'):
		return (PROMPT_CANCEL);
	case KEYMAP_KEYCODE(KEY_BACKSPACE):
		if (p->cursor == 0 && p->text.len == 0)
			return (PROMPT_CANCEL);
		delete_range(p, prev_char(p, p->cursor), p->cursor);
		break;
	case KEYMAP_KEYCODE(KEY_DC):
	case CTRL('d'):
		delete_range(p, p->cursor, next_char(p, p->cursor));
		break;
	case KEYMAP_KEYCODE(KEY_LEFT):
	case CTRL('b'):
		p->cursor = prev_char(p, p->cursor);
		break;
	case KEYMAP_KEYCODE(KEY_RIGHT):
	case CTRL('f'):
		p->cursor = next_char(p, p->cursor);
		break;
	case KEYMAP_KEYCODE(KEY_HOME):
	case CTRL('a'):
		p->cursor = 0;
		break;
	case KEYMAP_KEYCODE(KEY_END):
	case CTRL('e'):
		p->cursor = p->text.len;
		break;
	case CTRL('u'):
		delete_range(p, 0, p->cursor);
		break;
	case CTRL('k'):
		delete_range(p, p->cursor, p->text.len);
		break;
	case CTRL('w'):
		delete_range(p, word_start(p, p->cursor), p->cursor);
		break;
	default:
		/* Printable characters only; control keys are ignored. */
		if (!KEYMAP_IS_KEYCODE(key) && key >= 0x20 && key != 0x7f &&
		    !(key >= 0x80 && key < 0xa0) && key <= 0x10ffff)
			insert_char(p, key);
		break;
	}
	return (PROMPT_EDITING);
}

size_t
prompt_cursor_column(const struct prompt *p)
{
	return (sanitize_width(p->label, strlen(p->label)) +
	    sanitize_width(p->text.s, p->cursor));
}
