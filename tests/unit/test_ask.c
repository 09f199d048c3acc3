/* test_ask.c: the one question before an action that changes the world,
 * as a person under stress meets it: only y confirms, a double press of
 * the key that asked changes nothing, any other key (Esc included) cancels
 * and says so, a protected environment wants the service name typed, and
 * keys typed ahead of the answer never reach what it started. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <curses.h>

#include "keymaps/keymap.h"
#include "views/ask.h"
#include "views/ui.h"

static int	ran, freed, cancelled;
static void	*ran_arg;

static void
yes(struct ui *app, void *arg)
{
	ran++;
	ran_arg = arg;
}

static void
on_cancel(struct ui *app, void *arg)
{
	cancelled++;
}

static void
free_arg(void *arg)
{
	freed++;
}

static const struct ask_choice yes_choice[] = {
	{ 'y', "y rolls back", yes },
};

static void
spec_init(struct ask_spec *s, const char *expect, bool grabs)
{
	static int	arg;

	memset(s, 0, sizeof *s);
	s->question = "Roll back checkout in prod?";
	s->choices = yes_choice;
	s->n = 1;
	s->what = "rollback";
	s->expect = expect;
	s->expect_what = "the service name";
	s->cancel = on_cancel;
	s->free_arg = free_arg;
	s->arg = &arg;
	s->grabs_keys = grabs;
	ran = freed = cancelled = 0;
	ran_arg = NULL;
}

static void
only_y_confirms(void **state)
{
	struct ask	q;
	struct ask_spec	s;
	ask_cb		fn;

	memset(&q, 0, sizeof q);
	spec_init(&s, NULL, false);
	ask_start(&q, &s, 'r');
	assert_int_equal(ask_key(&q, 'Y', 0, &fn), ASK_CHOSEN);
	assert_ptr_equal(fn, yes);
	ask_free_arg(s.free_arg, ask_end(&q));
	assert_false(q.active);
	assert_int_equal(freed, 1);
}

static void
the_key_that_asked_changes_nothing(void **state)
{
	struct ask	q;
	struct ask_spec	s;
	ask_cb		fn;

	memset(&q, 0, sizeof q);
	spec_init(&s, NULL, false);
	ask_start(&q, &s, 'r');
	assert_int_equal(ask_key(&q, 'r', 0, &fn), ASK_KEPT);
	assert_int_equal(ask_key(&q, 'r', 0, &fn), ASK_KEPT);
	assert_true(q.active);
	assert_true(q.hint);
	assert_null(fn);
	ask_clear(&q);
	assert_int_equal(freed, 1);
}

static void
any_other_key_cancels(void **state)
{
	static const int	keys[] = { 27, 'n', 'N', 'x', ' ', '\r', 'q',
	    KEYMAP_KEYCODE(KEY_DOWN) };
	struct ask		q;
	struct ask_spec		s;
	ask_cb			fn;
	size_t			i;

	for (i = 0; i < sizeof keys / sizeof keys[0]; i++) {
		memset(&q, 0, sizeof q);
		spec_init(&s, NULL, false);
		ask_start(&q, &s, 'r');
		assert_int_equal(ask_key(&q, keys[i], 0, &fn), ASK_CANCELLED);
		assert_null(fn);
		assert_string_equal(q.cancelled,
		    "rollback cancelled: nothing ran");
		ask_clear(&q);
	}
}

static void
type(struct ask *q, const char *s, int64_t now)
{
	ask_cb	fn;

	for (; *s != '\0'; s++)
		assert_int_equal(ask_key(q, (unsigned char)*s, now, &fn),
		    ASK_KEPT);
}

static void
a_protected_environment_wants_the_name_typed(void **state)
{
	struct ask	q;
	struct ask_spec	s;
	ask_cb		fn;

	memset(&q, 0, sizeof q);
	spec_init(&s, "checkout", false);
	ask_start(&q, &s, 'r');
	/* y is a letter of a name here, not a yes. */
	type(&q, "y", 0);
	assert_true(q.active);
	assert_int_equal(ask_key(&q, KEYMAP_KEYCODE(KEY_BACKSPACE), 0, &fn),
	    ASK_KEPT);
	type(&q, "checkou", 0);
	assert_int_equal(ask_key(&q, '\r', 0, &fn), ASK_MISMATCH);
	assert_null(fn);
	ask_clear(&q);

	spec_init(&s, "checkout", false);
	ask_start(&q, &s, 'r');
	type(&q, "checkout", 0);
	assert_int_equal(ask_cursor_column(&q),
	    (int)strlen("Roll back checkout in prod?checkout"));
	assert_int_equal(ask_key(&q, '\r', 0, &fn), ASK_CHOSEN);
	assert_ptr_equal(fn, yes);
	ask_clear(&q);

	spec_init(&s, "checkout", false);
	ask_start(&q, &s, 'r');
	type(&q, "check", 0);
	assert_int_equal(ask_key(&q, 27, 0, &fn), ASK_CANCELLED);
	ask_clear(&q);
}

static void
keys_typed_ahead_do_not_reach_what_it_started(void **state)
{
	struct ask	q;
	struct ask_spec	s;
	ask_cb		fn;

	memset(&q, 0, sizeof q);
	spec_init(&s, NULL, true);
	ask_start(&q, &s, 'r');
	assert_int_equal(ask_key(&q, 'y', 1000, &fn), ASK_CHOSEN);
	ask_free_arg(s.free_arg, ask_end(&q));
	/* "y y y": the repeats are thrown away, not typed into the child. */
	assert_int_equal(ask_key(&q, 'y', 1100, &fn), ASK_DROPPED);
	assert_int_equal(ask_key(&q, 'y', 1000 + ASK_TYPEAHEAD_MS - 1, &fn),
	    ASK_DROPPED);
	assert_int_equal(ask_key(&q, 'y', 1000 + ASK_TYPEAHEAD_MS, &fn),
	    ASK_NOT_MINE);

	/* A question whose answer takes no keyboard lets the next key
	 * through at once; so does a cancelled one. */
	spec_init(&s, NULL, false);
	ask_start(&q, &s, 'R');
	assert_int_equal(ask_key(&q, 'y', 2000, &fn), ASK_CHOSEN);
	ask_free_arg(s.free_arg, ask_end(&q));
	assert_int_equal(ask_key(&q, 'R', 2001, &fn), ASK_NOT_MINE);
	spec_init(&s, NULL, true);
	ask_start(&q, &s, 'r');
	assert_int_equal(ask_key(&q, 'n', 3000, &fn), ASK_CANCELLED);
	ask_free_arg(s.free_arg, ask_end(&q));
	assert_int_equal(ask_key(&q, 'r', 3001, &fn), ASK_NOT_MINE);
}

/* Through the console's side: the message, the callbacks, the arg freed
 * once, the detail it owns closed. */
static void
the_console_says_what_happened(void **state)
{
	struct ui	app;
	struct ask_spec	s;

	memset(&app, 0, sizeof app);
	spec_init(&s, NULL, false);
	s.owns_overlay = true;
	app.overlay = OVERLAY_DETAIL;
	app.last_key = 'r';
	ui_ask(&app, &s);
	assert_true(ui_ask_key(&app, 'r'));
	assert_true(app.ask.active);
	assert_true(ui_ask_key(&app, 'x'));
	assert_false(app.ask.active);
	assert_string_equal(app.message, "rollback cancelled: nothing ran");
	assert_int_equal(app.overlay, OVERLAY_NONE);
	assert_int_equal(cancelled, 1);
	assert_int_equal(ran, 0);
	assert_int_equal(freed, 1);
	assert_false(ui_ask_key(&app, 'j'));

	spec_init(&s, "checkout", false);
	ui_ask(&app, &s);
	assert_true(ui_ask_key(&app, 'c'));
	assert_true(ui_ask_key(&app, '\r'));
	assert_string_equal(app.message, "rollback cancelled: \"c\" is not "
	    "the service name; nothing ran");
	assert_true(app.message_error);
	assert_int_equal(ran, 0);
	assert_int_equal(freed, 1);

	spec_init(&s, NULL, false);
	ui_ask(&app, &s);
	assert_true(ui_ask_key(&app, 'y'));
	assert_int_equal(ran, 1);
	assert_ptr_equal(ran_arg, s.arg);
	assert_int_equal(freed, 1);
	assert_int_equal(cancelled, 0);

	/* The item it was about vanished: cancelled, and said. */
	spec_init(&s, NULL, false);
	ui_ask(&app, &s);
	ui_ask_cancel(&app, "(the deploy is gone)");
	assert_false(app.ask.active);
	assert_string_equal(app.message, "rollback cancelled: nothing ran "
	    "(the deploy is gone)");
	assert_int_equal(freed, 1);
	free(app.message);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(only_y_confirms),
		cmocka_unit_test(the_key_that_asked_changes_nothing),
		cmocka_unit_test(any_other_key_cancels),
		cmocka_unit_test(a_protected_environment_wants_the_name_typed),
		cmocka_unit_test(keys_typed_ahead_do_not_reach_what_it_started),
		cmocka_unit_test(the_console_says_what_happened),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
