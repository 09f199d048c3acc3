/* test_keymap.c: key names both ways, the rc parser's bindings and its
 * errors, lookup through a pane's table to global, and the compiled-in
 * defaults. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <curses.h>

#include "keymaps/keymap.h"

/* The commands the TUI implements, as far as these tests need them. */
static const char *const known_commands[] = {
	"focus-next", "focus-prev", "focus", "down", "up", "page-down",
	"page-up", "top", "bottom", "detail", "close", "zoom", "help", "quit",
	"toggle-clock", "redraw", "refresh", "search", "mark", "scroll-down",
	"acknowledge", "resolve", "note", "snooze", "reassign", "silence",
	"expire-silence", "filter-alerts", "sort-slos", "filter-slos",
	"burndown-period", "environment",
	"rollback", "runbook", "shell", "term", "term-leave", "term-close",
	"term-zoom", "term-scroll-up", "term-scroll-down",
	"search", "search-next", "search-prev", "filter-keep", "filter-hide",
	"filter-clear", "follow", "toggle-labels", "toggle-wrap",
	"scroll-left", "scroll-right", "jump-time", "edit-query",
	"command-prompt",
	"toggle-raw", "filter-field", "highlight", "highlight-clear",
	"narrow-query", "widen-query",
	"help-search", "help-search-next", "help-search-prev",
	"timeline", "status-update", "environment",
	NULL
};

static char	last_checked[64];

static bool
known_command(const char *name)
{
	size_t	i;

	snprintf(last_checked, sizeof last_checked, "%s", name);
	for (i = 0; known_commands[i] != NULL; i++) {
		if (strcmp(name, known_commands[i]) == 0)
			return (true);
	}
	return (false);
}

/* Load rc text that must parse, into a fresh keymap. */
static void
load_ok(struct keymap *km, const char *text)
{
	char	*err = NULL;
	bool	 ok;

	ok = keymap_load_rc(km, text, known_command, &err);
	if (!ok)
		fail_msg("rc failed: %s", err);
	assert_null(err);
}

/* Load rc text that must fail with exactly this message. */
static void
load_fails(struct keymap *km, const char *text, const char *want)
{
	char	*err = NULL;

	assert_false(keymap_load_rc(km, text, known_command, &err));
	assert_non_null(err);
	assert_string_equal(err, want);
	free(err);
}

static void
every_canonical_name_round_trips(void **state)
{
	static const char *const names[] = {
		"j", "?", "/", "G", "!", "#", "'", "\"", "~", "0", "é", "日",
		"\xf0\x9f\x98\x80",
		"Enter", "Tab", "S-Tab", "Esc", "Space", "Backspace",
		"Up", "Down", "Left", "Right", "Home", "End", "PgUp", "PgDn",
		"S-PgUp", "S-PgDn", "Insert", "Delete",
		"F1", "F2", "F3", "F4", "F5", "F6", "F7", "F8", "F9", "F10",
		"F11", "F12",
		"C-a", "C-b", "C-c", "C-d", "C-e", "C-f", "C-g", "C-k", "C-l",
		"C-n", "C-o", "C-p", "C-q", "C-r", "C-s", "C-t", "C-u", "C-v",
		"C-w", "C-x", "C-y", "C-z", "C-Space", "C-\\", "C-]", "C-^",
		"C-_",
	};
	size_t	i;
	int	key;

	for (i = 0; i < sizeof names / sizeof names[0]; i++) {
		key = keymap_key_parse(names[i]);
		if (key == -1)
			fail_msg("\"%s\" did not parse", names[i]);
		assert_string_equal(keymap_key_name(key), names[i]);
	}
}

static void
aliases_and_case_fold_to_the_canonical_name(void **state)
{
	static const char *const pairs[][2] = {
		{ "enter", "Enter" }, { "TAB", "Tab" }, { "s-tab", "S-Tab" },
		{ "Escape", "Esc" }, { "ESC", "Esc" }, { " ", "Space" },
		{ "backspace", "Backspace" },
		{ "PageUp", "PgUp" }, { "pgup", "PgUp" },
		{ "pagedown", "PgDn" }, { "PGDN", "PgDn" },
		{ "S-PageUp", "S-PgUp" }, { "s-pgdn", "S-PgDn" },
		{ "insert", "Insert" }, { "DELETE", "Delete" }, { "f5", "F5" },
		{ "c-a", "C-a" }, { "C-A", "C-a" }, { "C-@", "C-Space" },
		/* Control keys that are other keys on the wire. */
		{ "C-i", "Tab" }, { "C-m", "Enter" }, { "C-j", "Enter" },
		{ "C-h", "Backspace" }, { "C-?", "Backspace" },
		{ "C-[", "Esc" },
	};
	size_t	i;
	int	key;

	for (i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
		key = keymap_key_parse(pairs[i][0]);
		if (key == -1)
			fail_msg("\"%s\" did not parse", pairs[i][0]);
		assert_string_equal(keymap_key_name(key), pairs[i][1]);
	}
}

/* Configs written before the names changed keep working: the curses names
 * ("BTab", "NPage") still parse, to the same keys as the names people
 * write, and are shown in the new spelling. */
static void
old_curses_names_parse_to_the_keys_of_the_new_names(void **state)
{
	static const char *const pairs[][2] = {
		{ "BTab", "S-Tab" }, { "NPage", "PgDn" }, { "PPage", "PgUp" },
		{ "SPPage", "S-PgUp" }, { "SNPage", "S-PgDn" },
		{ "BSpace", "Backspace" }, { "IC", "Insert" },
		{ "DC", "Delete" }, { "Escape", "Esc" }, { "btab", "S-Tab" },
		{ "npage", "PgDn" },
	};
	struct keymap	km = { NULL, 0 };
	size_t		i;

	for (i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
		int old = keymap_key_parse(pairs[i][0]);
		int new = keymap_key_parse(pairs[i][1]);

		if (old == -1 || new == -1)
			fail_msg("\"%s\" or \"%s\" did not parse", pairs[i][0],
			    pairs[i][1]);
		assert_int_equal(old, new);
		assert_string_equal(keymap_key_name(old), pairs[i][1]);
	}
	/* In a bind line, old and new name one binding. */
	load_ok(&km, "bind BTab focus-prev\nbind -T term SPPage "
	    "term-scroll-up\nbind S-Tab up\nbind -T term S-PgUp "
	    "term-scroll-down\n");
	assert_int_equal(km.n, 2);
	assert_string_equal(keymap_lookup(&km, "alerts",
	    KEYMAP_KEYCODE(KEY_BTAB)), "up");
	assert_string_equal(keymap_lookup(&km, "term",
	    KEYMAP_KEYCODE(KEY_SPREVIOUS)), "term-scroll-down");
	keymap_free(&km);
}

static void
keys_parse_to_the_codes_the_tui_reads(void **state)
{
	assert_int_equal(keymap_key_parse("j"), 'j');
	assert_int_equal(keymap_key_parse("Enter"), '\r');
	assert_int_equal(keymap_key_parse("Tab"), '\t');
	assert_int_equal(keymap_key_parse("Escape"), 27);
	assert_int_equal(keymap_key_parse("Space"), ' ');
	assert_int_equal(keymap_key_parse("C-a"), 1);
	assert_int_equal(keymap_key_parse("C-z"), 26);
	assert_int_equal(keymap_key_parse("C-\\"), 28);
	assert_int_equal(keymap_key_parse("C-]"), 29);
	assert_int_equal(keymap_key_parse("Up"), KEYMAP_KEYCODE(KEY_UP));
	assert_int_equal(keymap_key_parse("BTab"), KEYMAP_KEYCODE(KEY_BTAB));
	assert_int_equal(keymap_key_parse("NPage"),
	    KEYMAP_KEYCODE(KEY_NPAGE));
	assert_int_equal(keymap_key_parse("F1"), KEYMAP_KEYCODE(KEY_F(1)));
	assert_int_equal(keymap_key_parse("F12"), KEYMAP_KEYCODE(KEY_F(12)));
	assert_int_equal(keymap_key_parse("é"), 0xe9);
	assert_int_equal(keymap_key_parse("日"), 0x65e5);
	assert_int_equal(keymap_key_parse("\xf0\x9f\x98\x80"), 0x1f600);
}

static void
single_characters_are_case_sensitive(void **state)
{
	assert_int_equal(keymap_key_parse("g"), 'g');
	assert_int_equal(keymap_key_parse("G"), 'G');
	assert_string_equal(keymap_key_name('G'), "G");
	assert_string_equal(keymap_key_name('g'), "g");
}

static void
function_keys_never_collide_with_characters(void **state)
{
	/* KEY_UP is 0403, and U+0103 is "ă". */
	assert_int_not_equal(KEYMAP_KEYCODE(KEY_UP), KEY_UP);
	assert_true(KEYMAP_IS_KEYCODE(KEYMAP_KEYCODE(KEY_UP)));
	assert_false(KEYMAP_IS_KEYCODE(KEY_UP));
	assert_false(KEYMAP_IS_KEYCODE(-1));
	assert_string_equal(keymap_key_name(KEY_UP), "ă");
	assert_string_equal(keymap_key_name(KEYMAP_KEYCODE(KEY_UP)), "Up");
	assert_int_equal(keymap_key_parse("ă"), KEY_UP);
}

static void
unknown_key_names_are_refused(void **state)
{
	static const char *const bad[] = {
		"", "Foo", "jj", "F0", "F13", "F01", "F1x", "C-", "C-1",
		"C-Up", "C-aa", "Enterr", "\t", "\x7f", "\x80", "\xc3",
		"\xc0\xaf", "\xed\xa0\x80", "\xf4\x90\x80\x80", "é!",
		"\xc2\x85",
	};
	size_t	i;

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		if (keymap_key_parse(bad[i]) != -1)
			fail_msg("bad key name #%zu parsed", i);
	}
	assert_int_equal(keymap_key_parse(NULL), -1);
}

static void
codes_without_a_name_say_unknown(void **state)
{
	assert_string_equal(keymap_key_name(-1), "Unknown");
	assert_string_equal(keymap_key_name(0x110000), "Unknown");
	assert_string_equal(keymap_key_name(0xd800), "Unknown");
	assert_string_equal(keymap_key_name(KEYMAP_KEYCODE(KEY_RESIZE)),
	    "Unknown");
	assert_string_equal(keymap_key_name(KEYMAP_KEYCODE(KEY_F(13))),
	    "Unknown");
}

static void
enter_arrives_in_three_forms_and_finds_one_binding(void **state)
{
	struct keymap	km = { NULL, 0 };

	load_ok(&km, "bind Enter detail\nbind BSpace close\n");
	assert_string_equal(keymap_lookup(&km, "alerts", '\r'), "detail");
	assert_string_equal(keymap_lookup(&km, "alerts", '\n'), "detail");
	assert_string_equal(keymap_lookup(&km, "alerts",
	    KEYMAP_KEYCODE(KEY_ENTER)), "detail");
	assert_string_equal(keymap_lookup(&km, NULL, 127), "close");
	assert_string_equal(keymap_lookup(&km, NULL, 8), "close");
	assert_string_equal(keymap_lookup(&km, NULL,
	    KEYMAP_KEYCODE(KEY_BACKSPACE)), "close");
	assert_int_equal(km.n, 2);
	keymap_free(&km);

	/* Bound by code, from the form that came off the wire. */
	keymap_bind(&km, NULL, '\n', "detail", 0);
	assert_int_equal(km.v[0].key, '\r');
	assert_string_equal(keymap_lookup(&km, NULL, '\r'), "detail");
	keymap_free(&km);
}

static void
home_and_end_from_a_vt220_keypad(void **state)
{
	struct keymap	km = { NULL, 0 };

	load_ok(&km, "bind Home top\nbind End bottom\n");
	assert_string_equal(keymap_lookup(&km, NULL,
	    KEYMAP_KEYCODE(KEY_FIND)), "top");
	assert_string_equal(keymap_lookup(&km, NULL,
	    KEYMAP_KEYCODE(KEY_SELECT)), "bottom");
	keymap_free(&km);
}

static void
a_command_keeps_its_arguments(void **state)
{
	struct keymap	km = { NULL, 0 };

	load_ok(&km, "bind 1   focus alerts   # jump to alerts\n");
	assert_string_equal(last_checked, "focus");
	assert_string_equal(keymap_lookup(&km, NULL, '1'), "focus alerts");
	assert_int_equal(km.v[0].line, 1);
	assert_string_equal(km.v[0].table, "global");
	keymap_free(&km);
}

static void
comments_and_blank_lines_are_skipped(void **state)
{
	struct keymap	km = { NULL, 0 };

	load_ok(&km, "# my keys\n\n   \n\t# indented\nbind q quit # bye\n"
	    "bind x search a#b\n");
	assert_int_equal(km.n, 2);
	assert_string_equal(keymap_lookup(&km, NULL, 'q'), "quit");
	assert_int_equal(km.v[0].line, 5);
	/* '#' inside a word is not a comment. */
	assert_string_equal(keymap_lookup(&km, NULL, 'x'), "search a#b");
	keymap_free(&km);
}

static void
quoted_keys_bind_hash_and_quotes(void **state)
{
	struct keymap	km = { NULL, 0 };

	load_ok(&km, "bind '#' mark\n"
	    "bind \"\\\"\" mark\n"
	    "bind '\"' search\n"
	    "bind \"'\" zoom\n"
	    "bind \"\\\\\" help\n"
	    "bind '-' up\n");
	assert_string_equal(keymap_lookup(&km, NULL, '#'), "mark");
	assert_string_equal(keymap_lookup(&km, NULL, '"'), "search");
	assert_string_equal(keymap_lookup(&km, NULL, '\''), "zoom");
	assert_string_equal(keymap_lookup(&km, NULL, '\\'), "help");
	assert_string_equal(keymap_lookup(&km, NULL, '-'), "up");
	keymap_free(&km);
}

static void
windows_line_endings_are_tolerated(void **state)
{
	struct keymap	km = { NULL, 0 };

	load_ok(&km, "bind j down\r\nbind k up\r\n");
	assert_string_equal(keymap_lookup(&km, NULL, 'j'), "down");
	assert_string_equal(keymap_lookup(&km, NULL, 'k'), "up");
	keymap_free(&km);
}

static void
rebinding_a_key_replaces_it(void **state)
{
	struct keymap	km = { NULL, 0 };

	load_ok(&km, "bind j down\nbind k up\nbind j page-down\n");
	assert_int_equal(km.n, 2);
	assert_string_equal(keymap_lookup(&km, NULL, 'j'), "page-down");
	assert_int_equal(km.v[0].line, 3);
	/* The same key in another table is another binding. */
	load_ok(&km, "bind -T logs j scroll-down\n");
	assert_int_equal(km.n, 3);
	assert_string_equal(keymap_lookup(&km, NULL, 'j'), "page-down");
	keymap_free(&km);
}

static void
unbind_and_none_remove_a_binding(void **state)
{
	struct keymap	km = { NULL, 0 };

	load_ok(&km, "bind j down\nbind k up\nbind -T logs j scroll-down\n"
	    "bind l zoom\n");
	load_ok(&km, "unbind j\nbind k none\nunbind -T alerts q\n");
	assert_null(keymap_lookup(&km, NULL, 'j'));
	assert_null(keymap_lookup(&km, NULL, 'k'));
	assert_string_equal(keymap_lookup(&km, "logs", 'j'), "scroll-down");
	/* Order is kept for the help screen. */
	assert_int_equal(km.n, 2);
	assert_int_equal(km.v[0].key, 'j');
	assert_int_equal(km.v[1].key, 'l');
	load_ok(&km, "unbind -Tlogs j\n");
	assert_null(keymap_lookup(&km, "logs", 'j'));
	keymap_free(&km);
	assert_int_equal(km.n, 0);
	assert_null(km.v);
}

static void
a_pane_table_shadows_global_and_falls_back_to_it(void **state)
{
	struct keymap	km = { NULL, 0 };

	load_ok(&km, "bind j down\nbind q quit\n"
	    "bind -T logs j scroll-down\nbind -T logs / search\n");
	assert_string_equal(keymap_lookup(&km, "logs", 'j'), "scroll-down");
	assert_string_equal(keymap_lookup(&km, "logs", 'q'), "quit");
	assert_string_equal(keymap_lookup(&km, "logs", '/'), "search");
	assert_string_equal(keymap_lookup(&km, "alerts", 'j'), "down");
	assert_null(keymap_lookup(&km, "alerts", '/'));
	assert_string_equal(keymap_lookup(&km, NULL, 'j'), "down");
	assert_null(keymap_lookup(&km, NULL, 'x'));
	keymap_free(&km);
}

static void
errors_name_the_line_and_the_problem(void **state)
{
	static const char *const cases[][2] = {
		{ "bind j down\nbind Foo up\n", "2: unknown key \"Foo\"" },
		{ "bind j down\n\nbind k frobnicate now\n",
		    "3: unknown command \"frobnicate\"" },
		{ "bind -T nowhere j down", "1: unknown table \"nowhere\"" },
		{ "unbind -T nowhere j", "1: unknown table \"nowhere\"" },
		{ "# keys\nbindd j down", "2: unknown directive \"bindd\"" },
		{ "bind", "1: bind needs a key and a command" },
		{ "unbind", "1: unbind needs a key" },
		{ "bind j", "1: bind needs a command after \"j\"" },
		{ "bind j # down", "1: bind needs a command after \"j\"" },
		{ "bind -T", "1: -T needs a table name" },
		{ "bind -x j down", "1: unknown option \"-x\"" },
		{ "unbind j k", "1: unexpected \"k\" after the key" },
		{ "bind 'j down", "1: unterminated quote" },
		{ "bind j none extra", "1: unknown command \"none\"" },
	};
	struct keymap	km = { NULL, 0 };
	size_t		i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		load_fails(&km, cases[i][0], cases[i][1]);
		keymap_free(&km);
	}
}

static void
an_error_stops_the_file_but_keeps_what_came_before(void **state)
{
	struct keymap	km = { NULL, 0 };

	load_fails(&km, "bind j down\nbind k nope\nbind q quit\n",
	    "2: unknown command \"nope\"");
	assert_string_equal(keymap_lookup(&km, NULL, 'j'), "down");
	assert_null(keymap_lookup(&km, NULL, 'k'));
	assert_null(keymap_lookup(&km, NULL, 'q'));
	keymap_free(&km);
}

static void
without_a_check_any_command_is_taken(void **state)
{
	struct keymap	km = { NULL, 0 };

	assert_true(keymap_load_rc(&km, "bind j whatever you like\n", NULL,
	    NULL));
	assert_string_equal(keymap_lookup(&km, NULL, 'j'),
	    "whatever you like");
	assert_true(keymap_load_rc(&km, "", NULL, NULL));
	assert_false(keymap_load_rc(&km, "bind Nope x\n", NULL, NULL));
	keymap_free(&km);
}

static void
the_default_bindings_parse_and_cover_the_basics(void **state)
{
	struct keymap	km = { NULL, 0 };

	load_ok(&km, keymap_default_rc);
	assert_string_equal(keymap_lookup(&km, NULL, 'q'), "quit");
	assert_string_equal(keymap_lookup(&km, NULL, '?'), "help");
	assert_string_equal(keymap_lookup(&km, NULL, '\t'), "focus-next");
	assert_string_equal(keymap_lookup(&km, "logs",
	    KEYMAP_KEYCODE(KEY_BTAB)), "focus-prev");
	assert_string_equal(keymap_lookup(&km, NULL, '1'), "focus alerts");
	assert_string_equal(keymap_lookup(&km, NULL, '4'), "focus logs");
	assert_string_equal(keymap_lookup(&km, NULL, '\n'), "detail");
	assert_string_equal(keymap_lookup(&km, NULL, 27), "close");
	assert_string_equal(keymap_lookup(&km, NULL,
	    KEYMAP_KEYCODE(KEY_DOWN)), "down");
	assert_string_equal(keymap_lookup(&km, NULL, 4), "page-down");
	assert_string_equal(keymap_lookup(&km, NULL, 'G'), "bottom");
	assert_string_equal(keymap_lookup(&km, NULL, 'g'), "top");
	assert_string_equal(keymap_lookup(&km, NULL, 12), "redraw");
	assert_string_equal(keymap_lookup(&km, NULL, 18), "refresh");
	assert_string_equal(keymap_lookup(&km, NULL,
	    KEYMAP_KEYCODE(KEY_F(5))), "refresh");
	keymap_free(&km);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_canonical_name_round_trips),
		cmocka_unit_test(aliases_and_case_fold_to_the_canonical_name),
		cmocka_unit_test(keys_parse_to_the_codes_the_tui_reads),
		cmocka_unit_test(single_characters_are_case_sensitive),
		cmocka_unit_test(function_keys_never_collide_with_characters),
		cmocka_unit_test(unknown_key_names_are_refused),
		cmocka_unit_test(
		    old_curses_names_parse_to_the_keys_of_the_new_names),
		cmocka_unit_test(codes_without_a_name_say_unknown),
		cmocka_unit_test(
		    enter_arrives_in_three_forms_and_finds_one_binding),
		cmocka_unit_test(home_and_end_from_a_vt220_keypad),
		cmocka_unit_test(a_command_keeps_its_arguments),
		cmocka_unit_test(comments_and_blank_lines_are_skipped),
		cmocka_unit_test(quoted_keys_bind_hash_and_quotes),
		cmocka_unit_test(windows_line_endings_are_tolerated),
		cmocka_unit_test(rebinding_a_key_replaces_it),
		cmocka_unit_test(unbind_and_none_remove_a_binding),
		cmocka_unit_test(
		    a_pane_table_shadows_global_and_falls_back_to_it),
		cmocka_unit_test(errors_name_the_line_and_the_problem),
		cmocka_unit_test(
		    an_error_stops_the_file_but_keeps_what_came_before),
		cmocka_unit_test(without_a_check_any_command_is_taken),
		cmocka_unit_test(
		    the_default_bindings_parse_and_cover_the_basics),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
