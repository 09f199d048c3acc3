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

static void
free_matches(struct prompt *p)
{
	size_t	i;

	for (i = 0; i < p->nmatches; i++)
		free(p->matches[i]);
	free(p->matches);
	p->matches = NULL;
	p->nmatches = 0;
}

void
prompt_clear(struct prompt *p)
{
	free(p->label);
	sbuf_free(&p->text);
	free_matches(p);
	free(p->draft);
	memset(p, 0, sizeof *p);
	sbuf_init(&p->text);
}

void
prompt_use(struct prompt *p, prompt_complete_cb complete,
    struct prompt_history *h)
{
	p->complete = complete;
	p->history = h;
	p->hist_at = h != NULL ? h->n : 0;
}

void
prompt_offer(struct prompt *p, const char *w)
{
	size_t	i;

	if (p->word == NULL || strncmp(w, p->word, p->wordlen) != 0)
		return;
	for (i = 0; i < p->nmatches; i++) {
		if (strcmp(p->matches[i], w) == 0)
			return;
	}
	p->matches = xreallocarray(p->matches, p->nmatches + 1,
	    sizeof *p->matches);
	p->matches[p->nmatches++] = xstrdup(w);
}

void
prompt_history_add(struct prompt_history *h, const char *line)
{
	if (*line == '\0' || (h->n > 0 && strcmp(h->v[h->n - 1], line) == 0))
		return;
	if (h->n == PROMPT_HISTORY_MAX) {
		free(h->v[0]);
		memmove(h->v, h->v + 1, (h->n - 1) * sizeof *h->v);
		h->n--;
	}
	h->v = xreallocarray(h->v, h->n + 1, sizeof *h->v);
	h->v[h->n++] = xstrdup(line);
}

void
prompt_history_free(struct prompt_history *h)
{
	size_t	i;

	for (i = 0; i < h->n; i++)
		free(h->v[i]);
	free(h->v);
	h->v = NULL;
	h->n = 0;
}

static void
set_text(struct prompt *p, const char *s)
{
	sbuf_reset(&p->text);
	sbuf_adds(&p->text, s != NULL ? s : "");
	p->cursor = p->text.len;
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
insert_bytes(struct prompt *p, const char *buf, size_t n)
{
	/* Grow through the buffer API, then open a gap at the cursor. */
	sbuf_add(&p->text, buf, n);
	memmove(p->text.s + p->cursor + n, p->text.s + p->cursor,
	    p->text.len - n - p->cursor);
	memcpy(p->text.s + p->cursor, buf, n);
	p->cursor += n;
}

static void
insert_char(struct prompt *p, int c)
{
	char	buf[UTF8_MAX];

	insert_bytes(p, buf, utf8_encode(buf, (uint32_t)c));
}

/* Replace text[from, to) with s; the cursor goes after it. */
static void
replace_range(struct prompt *p, size_t from, size_t to, const char *s)
{
	delete_range(p, from, to);
	insert_bytes(p, s, strlen(s));
}

static int
cmp_words(const void *a, const void *b)
{
	return (strcmp(*(char *const *)a, *(char *const *)b));
}

/* Tab: the word before the cursor grows to what every offered word
 * shares; one word left is completed, with a space after it. */
static void
complete(struct prompt *p)
{
	size_t	 ws = p->cursor, common, i;
	char	*prefix;

	if (p->complete == NULL)
		return;
	while (ws > 0 && p->text.s[ws - 1] != ' ')
		ws--;
	free_matches(p);
	p->word = p->text.s + ws;
	p->wordlen = p->cursor - ws;
	p->complete(p, p->text.s, ws);
	p->word = NULL;
	if (p->nmatches == 0)
		return;
	qsort(p->matches, p->nmatches, sizeof *p->matches, cmp_words);
	common = strlen(p->matches[0]);
	for (i = 1; i < p->nmatches; i++) {
		size_t k = 0;

		while (k < common && p->matches[i][k] == p->matches[0][k])
			k++;
		common = k;
	}
	prefix = xstrndup(p->matches[0], common);
	replace_range(p, ws, p->cursor, prefix);
	free(prefix);
	if (p->nmatches == 1) {
		if (p->cursor == p->text.len || p->text.s[p->cursor] != ' ')
			insert_char(p, ' ');
		else
			p->cursor++;
		free_matches(p);
	}
}

/* Up (delta -1) and Down (+1) through the history; past the newest line
 * is the one being typed. */
static void
recall(struct prompt *p, int delta)
{
	struct prompt_history	*h = p->history;

	if (h == NULL || (delta < 0 && p->hist_at == 0) ||
	    (delta > 0 && p->hist_at >= h->n))
		return;
	if (p->hist_at >= h->n) {
		free(p->draft);
		p->draft = xstrdup(p->text.s);
	}
	p->hist_at = delta < 0 ? p->hist_at - 1 : p->hist_at + 1;
	set_text(p, p->hist_at < h->n ? h->v[p->hist_at] : p->draft);
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
	if (key != '\t')
		free_matches(p);	/* it was for the word as it was */
	switch (key) {
	case '\t':
		complete(p);
		break;
	case KEYMAP_KEYCODE(KEY_UP):
	case CTRL('p'):
		recall(p, -1);
		break;
	case KEYMAP_KEYCODE(KEY_DOWN):
	case CTRL('n'):
		recall(p, 1);
		break;
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
