/* test_prompt.c: the status line's editor, as a person types into it:
 * characters in, the cursor moving by character and word, the Emacs keys a
 * shell has, UTF-8 kept whole, control bytes refused, Enter and Escape. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <curses.h>

#include "keymaps/keymap.h"
#include "views/prompt.h"

#define CTRL(c)	((c) & 0x1f)

static void
type(struct prompt *p, const char *s)
{
	for (; *s != '\0'; s++)
		assert_int_equal(prompt_key(p, (unsigned char)*s),
		    PROMPT_EDITING);
}

static void
start(struct prompt *p, const char *initial)
{
	memset(p, 0, sizeof *p);
	prompt_start(p, "note: ", initial, NULL, NULL);
}

static void
typing_inserts_at_the_cursor(void **state)
{
	struct prompt	p;

	start(&p, NULL);
	type(&p, "rollback done");
	assert_string_equal(p.text.s, "rollback done");
	prompt_key(&p, KEYMAP_KEYCODE(KEY_HOME));
	type(&p, "ok: ");
	assert_string_equal(p.text.s, "ok: rollback done");
	assert_int_equal(p.cursor, 4);
	prompt_key(&p, CTRL('e'));
	type(&p, "!");
	assert_string_equal(p.text.s, "ok: rollback done!");
	prompt_clear(&p);
}

static void
words_and_lines_are_deleted_like_a_shell(void **state)
{
	struct prompt	p;

	start(&p, "silence checkout for 2h");
	prompt_key(&p, CTRL('w'));
	assert_string_equal(p.text.s, "silence checkout for ");
	prompt_key(&p, CTRL('a'));
	prompt_key(&p, CTRL('k'));
	assert_string_equal(p.text.s, "");
	type(&p, "abc");
	prompt_key(&p, CTRL('b'));
	prompt_key(&p, CTRL('u'));
	assert_string_equal(p.text.s, "c");
	prompt_key(&p, CTRL('d'));
	assert_string_equal(p.text.s, "");
	prompt_clear(&p);
}

static void
backspace_removes_a_whole_character(void **state)
{
	struct prompt	p;

	start(&p, "caf\xc3\xa9 \xe2\x9c\x93");	/* café ✓ */
	prompt_key(&p, KEYMAP_KEYCODE(KEY_BACKSPACE));
	assert_string_equal(p.text.s, "caf\xc3\xa9 ");
	prompt_key(&p, KEYMAP_KEYCODE(KEY_LEFT));
	prompt_key(&p, KEYMAP_KEYCODE(KEY_BACKSPACE));
	assert_string_equal(p.text.s, "caf ");
	/* Columns, not bytes, place the terminal's cursor. */
	assert_int_equal(prompt_cursor_column(&p), strlen("note: caf"));
	prompt_clear(&p);
}

static void
control_bytes_never_enter_the_text(void **state)
{
	struct prompt	p;

	start(&p, NULL);
	prompt_key(&p, 0x07);		/* BEL */
	prompt_key(&p, 0x7f);		/* DEL */
	prompt_key(&p, 0x85);		/* C1 NEL */
	prompt_key(&p, 0x9b);		/* C1 CSI */
	prompt_key(&p, KEYMAP_KEYCODE(KEY_F(5)));
	prompt_key(&p, 0x110000);	/* past Unicode */
	assert_string_equal(p.text.s, "");
	prompt_key(&p, 0x2713);		/* ✓ is text */
	assert_string_equal(p.text.s, "\xe2\x9c\x93");
	prompt_clear(&p);
}

static void
enter_accepts_and_escape_cancels(void **state)
{
	struct prompt	p;

	start(&p, "x");
	assert_int_equal(prompt_key(&p, '\r'), PROMPT_ACCEPT);
	assert_int_equal(prompt_key(&p, '\n'), PROMPT_ACCEPT);
	assert_int_equal(prompt_key(&p, 27), PROMPT_CANCEL);
	assert_int_equal(prompt_key(&p, CTRL('g')), PROMPT_CANCEL);
	prompt_clear(&p);
	/* Backspace on an empty line leaves it, as in a shell's search. */
	start(&p, NULL);
	assert_int_equal(prompt_key(&p, KEYMAP_KEYCODE(KEY_BACKSPACE)),
	    PROMPT_CANCEL);
	prompt_clear(&p);
}

/* A command line's words, as the console offers them. */
static void
offer_commands(struct prompt *p, const char *line, size_t ws)
{
	static const char *const names[] = { "focus", "focus-next",
	    "focus-prev", "follow", "quit", "zoom", NULL };
	size_t	i;

	for (i = 0; names[i] != NULL; i++)
		prompt_offer(p, names[i]);
}

static void
tab_completes_as_far_as_the_words_agree(void **state)
{
	struct prompt	p;

	start(&p, NULL);
	prompt_use(&p, offer_commands, NULL);
	type(&p, "fo");
	assert_int_equal(prompt_key(&p, '\t'), PROMPT_EDITING);
	assert_string_equal(p.text.s, "fo");
	assert_int_equal(p.nmatches, 4);	/* shown to choose from */
	assert_string_equal(p.matches[0], "focus");
	type(&p, "c");
	assert_int_equal(p.nmatches, 0);	/* typing hides the list */
	prompt_key(&p, '\t');
	assert_string_equal(p.text.s, "focus");
	assert_int_equal(p.nmatches, 3);
	type(&p, "-n");
	prompt_key(&p, '\t');
	assert_string_equal(p.text.s, "focus-next ");
	assert_int_equal(p.cursor, strlen("focus-next "));
	assert_int_equal(p.nmatches, 0);
	prompt_key(&p, CTRL('u'));
	type(&p, "zz");
	prompt_key(&p, '\t');			/* nothing fits: unchanged */
	assert_string_equal(p.text.s, "zz");
	prompt_clear(&p);
}

static void
up_and_down_walk_the_lines_typed_before(void **state)
{
	struct prompt_history	h = { NULL, 0 };
	struct prompt		p;

	prompt_history_add(&h, "focus logs");
	prompt_history_add(&h, "zoom");
	prompt_history_add(&h, "zoom");		/* not twice in a row */
	prompt_history_add(&h, "");
	assert_int_equal(h.n, 2);
	start(&p, NULL);
	prompt_use(&p, NULL, &h);
	type(&p, "qu");
	prompt_key(&p, KEYMAP_KEYCODE(KEY_UP));
	assert_string_equal(p.text.s, "zoom");
	prompt_key(&p, CTRL('p'));
	assert_string_equal(p.text.s, "focus logs");
	prompt_key(&p, KEYMAP_KEYCODE(KEY_UP));	/* the oldest stays */
	assert_string_equal(p.text.s, "focus logs");
	prompt_key(&p, KEYMAP_KEYCODE(KEY_DOWN));
	assert_string_equal(p.text.s, "zoom");
	prompt_key(&p, CTRL('n'));		/* back to what was typed */
	assert_string_equal(p.text.s, "qu");
	assert_int_equal(p.cursor, 2);
	prompt_clear(&p);
	prompt_history_free(&h);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(tab_completes_as_far_as_the_words_agree),
		cmocka_unit_test(up_and_down_walk_the_lines_typed_before),
		cmocka_unit_test(typing_inserts_at_the_cursor),
		cmocka_unit_test(words_and_lines_are_deleted_like_a_shell),
		cmocka_unit_test(backspace_removes_a_whole_character),
		cmocka_unit_test(control_bytes_never_enter_the_text),
		cmocka_unit_test(enter_accepts_and_escape_cancels),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
