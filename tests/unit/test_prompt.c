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

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(typing_inserts_at_the_cursor),
		cmocka_unit_test(words_and_lines_are_deleted_like_a_shell),
		cmocka_unit_test(backspace_removes_a_whole_character),
		cmocka_unit_test(control_bytes_never_enter_the_text),
		cmocka_unit_test(enter_accepts_and_escape_cancels),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
