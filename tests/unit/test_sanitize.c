/* test_sanitize.c: what a hostile log line, alert label or title turns into
 * on the user's screen. Each case is the bytes an attacker (or a broken
 * exporter) sends and the text the user must see instead. */
#include "config.h"

#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "core/sanitize.h"
#include "core/sbuf.h"

#define FFFD	"\xef\xbf\xbd"

/* Sanitize exactly len bytes of in and check the whole result. */
static void
check_n(const char *in, size_t len, const char *want)
{
	char	*out;
	size_t	 outlen;

	out = sanitize(in, len, &outlen);
	assert_string_equal(out, want);
	assert_int_equal(outlen, strlen(want));
	assert_false(sanitize_is_clean(in, len));
	free(out);
}

static void
check(const char *in, const char *want)
{
	check_n(in, strlen(in), want);
}

static void
check_clean(const char *in)
{
	char	*out;

	assert_true(sanitize_is_clean(in, strlen(in)));
	out = sanitize(in, strlen(in), NULL);
	assert_string_equal(out, in);
	free(out);
}

static void
test_escape_alone_is_visible(void **state)
{
	check("before\x1b" "after", "before^[after");
	check("\x1b", "^[");
}

static void
test_csi_clear_screen_is_shown_not_run(void **state)
{
	check("\x1b[2J\x1b[H", "^[[2J^[[H");
}

static void
test_osc_title_is_shown_not_run(void **state)
{
	check("\x1b]0;pwned\x07", "^[]0;pwned^G");
	/* The ST terminator too. */
	check("\x1b]2;pwned\x1b\\", "^[]2;pwned^[\\");
}

static void
test_osc52_clipboard_write_is_shown_not_run(void **state)
{
	check("\x1b]52;c;Y3VybCBldmlsLnNoIHwgc2g=\x07",
	    "^[]52;c;Y3VybCBldmlsLnNoIHwgc2g=^G");
}

static void
test_c0_and_del_use_caret_notation(void **state)
{
	check("a\x01" "b\x7f" "c", "a^Ab^?c");
	check_n("nul\0here", 8, "nul^@here");
	check("bell\x07", "bell^G");
	check("back\bspace", "back^Hspace");
	check("\x1f", "^_");
}

static void
test_newline_never_breaks_the_line(void **state)
{
	check("one\ntwo\r\nthree", "one^Jtwo^M^Jthree");
	check("a\x0b" "b\x0c" "c", "a^Kb^Lc");
}

static void
test_tab_becomes_one_space(void **state)
{
	check("key\tvalue", "key value");
	check("\t\t", "  ");
}

static void
test_c1_as_utf8_is_visible(void **state)
{
	/* U+009B is CSI for terminals that honour C1 controls. */
	check("\xc2\x9b" "2J", "<9b>2J");
	check("\xc2\x80\xc2\x9f", "<80><9f>");
	check("\xc2\x9d" "0;pwned\xc2\x9c", "<9d>0;pwned<9c>");
}

static void
test_c1_as_raw_byte_is_visible(void **state)
{
	check("\x9b" "2J", "<9b>2J");
	check("a\x80" "b\x9f", "a<80>b<9f>");
}

static void
test_lone_continuation_byte_is_replaced(void **state)
{
	check("a\xbf" "b", "a" FFFD "b");
	check("\xa0\xa0", FFFD FFFD);
}

static void
test_truncated_sequence_is_one_replacement(void **state)
{
	/* 日 is E6 97 A5; two of its three bytes, at the end and mid-line. */
	check("ok\xe6\x97", "ok" FFFD);
	check("\xe6\x97" "x", FFFD "x");
	check("\xf0\x9f\x98", FFFD);
	check("\xc3", FFFD);
}

static void
test_overlong_encodings_are_replaced(void **state)
{
	/* "/" spelt in two and three bytes: C0 and E0 80 never start a
	 * valid sequence, so no byte of either survives as a "/". */
	check("\xc0\xaf", FFFD FFFD);
	check("\xe0\x80\xaf", FFFD "<80>" FFFD);
	check("\xc1\xbf", FFFD FFFD);
	check("\xf0\x80\x80\xaf", FFFD "<80><80>" FFFD);
}

static void
test_surrogates_are_replaced(void **state)
{
	/* U+D800 in CESU style. */
	check("\xed\xa0\x80", FFFD FFFD "<80>");
	check("\xed\xbf\xbf", FFFD FFFD FFFD);
}

static void
test_beyond_unicode_is_replaced(void **state)
{
	/* U+110000 and bytes that can never appear in UTF-8. */
	check("\xf4\x90\x80\x80", FFFD "<90><80><80>");
	check("\xf5\xfe\xff", FFFD FFFD FFFD);
}

static void
test_bidi_controls_are_visible(void **state)
{
	/* A "Trojan Source" style line: RLO would show "txt.exe" as
	 * "exe.txt". */
	check("invoice\xe2\x80\xaetxt.exe", "invoice<U+202E>txt.exe");
	check("\xe2\x80\xaa\xe2\x80\xab\xe2\x80\xac\xe2\x80\xad",
	    "<U+202A><U+202B><U+202C><U+202D>");
	check("\xe2\x81\xa6\xe2\x81\xa7\xe2\x81\xa8\xe2\x81\xa9",
	    "<U+2066><U+2067><U+2068><U+2069>");
	check("\xe2\x80\x8e\xe2\x80\x8f\xd8\x9c",
	    "<U+200E><U+200F><U+061C>");
}

static void
test_plain_and_multibyte_text_unchanged(void **state)
{
	check_clean("");
	check_clean("GET /api/v1/alerts 200 12ms ~!@#$%^&*()_+{}|:\"<>?");
	check_clean("caf\xc3\xa9");			/* café */
	check_clean("\xe6\x97\xa5\xe6\x9c\xac");	/* 日本 */
	check_clean("fire \xf0\x9f\x94\xa5 done");	/* emoji */
	check_clean("\xc2\xa0\xef\xbf\xbd\xf4\x8f\xbf\xbf"); /* NBSP FFFD max */
	check_clean("\xe2\x80\x8b");			/* ZWSP: not bidi */
}

static void
test_append_adds_to_existing_text(void **state)
{
	struct sbuf	sb;

	sbuf_init(&sb);
	sbuf_adds(&sb, "[pod-1] ");
	sanitize_append(&sb, "\x1b[31mred", 8);
	assert_string_equal(sb.s, "[pod-1] ^[[31mred");
	assert_int_equal(sb.len, strlen(sb.s));
	sbuf_free(&sb);
}

static double
elapsed_ms(const struct timespec *a)
{
	struct timespec	b;

	clock_gettime(CLOCK_MONOTONIC, &b);
	return ((b.tv_sec - a->tv_sec) * 1e3 + (b.tv_nsec - a->tv_nsec) / 1e6);
}

static void
test_one_megabyte_line(void **state)
{
	const size_t	 size = 1024 * 1024;
	char		*in, *out;
	size_t		 outlen, i;
	struct timespec	 t0;

	in = malloc(size);
	assert_non_null(in);
	for (i = 0; i < size; i++)
		in[i] = 'a' + i % 26;
	memcpy(in + size / 2, "\x1b]0;x\x07", 6);
	memcpy(in + size - 2, "\xc3\xa9", 2);

	clock_gettime(CLOCK_MONOTONIC, &t0);
	out = sanitize(in, size, &outlen);
	/* Generous: a quadratic copy would take minutes. */
	assert_true(elapsed_ms(&t0) < 1000);

	assert_int_equal(outlen, size + 2);
	assert_memory_equal(out, in, size / 2);
	assert_memory_equal(out + size / 2, "^[]0;x^G", 8);
	assert_memory_equal(out + size / 2 + 8, in + size / 2 + 6,
	    size / 2 - 6);
	assert_int_equal(out[outlen], '\0');
	free(out);

	/* The worst case: every byte needs replacing. */
	memset(in, 0x1b, size);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	out = sanitize(in, size, &outlen);
	assert_true(elapsed_ms(&t0) < 1000);
	assert_int_equal(outlen, 2 * size);
	assert_memory_equal(out + outlen - 4, "^[^[", 4);
	free(out);
	free(in);
}

static char *
keep_sgr(const char *in)
{
	struct sbuf	sb;

	sbuf_init(&sb);
	sanitize_append_keep_sgr(&sb, in, strlen(in));
	return (sbuf_steal(&sb));
}

static void
check_sgr(const char *in, const char *want)
{
	char	*out;

	out = keep_sgr(in);
	assert_string_equal(out, want);
	free(out);
}

static void
test_keep_sgr_keeps_colours_only(void **state)
{
	check_sgr("\x1b[1;31mERROR\x1b[0m disk full",
	    "\x1b[1;31mERROR\x1b[0m disk full");
	check_sgr("\x1b[mreset", "\x1b[mreset");
	check_sgr("\x1b[38;5;208morange\x1b[39m",
	    "\x1b[38;5;208morange\x1b[39m");
	/* Not colour: shown, not run. */
	check_sgr("\x1b[2J\x1b[31mx", "^[[2J\x1b[31mx");
	check_sgr("\x1b]0;pwned\x07", "^[]0;pwned^G");
	check_sgr("\x1b[?1049h", "^[[?1049h");
	/* Incomplete at the end of the line. */
	check_sgr("red\x1b[31", "red^[[31");
	/* C1 CSI is never a kept SGR. */
	check_sgr("\xc2\x9b" "31m", "<9b>31m");
	check_sgr("\x9b" "31m", "<9b>31m");
	/* The rest is sanitized as usual. */
	check_sgr("\x1b[32mok\tdone\n", "\x1b[32mok done^J");
}

static void
test_keep_sgr_refuses_absurd_lengths(void **state)
{
	char	in[200], want[210];

	memset(in, 0, sizeof in);
	memcpy(in, "\x1b[", 2);
	memset(in + 2, '1', 100);
	in[102] = 'm';
	snprintf(want, sizeof want, "^[%s", in + 1);
	check_sgr(in, want);
}

static void
test_width_counts_columns(void **state)
{
	assert_int_equal(sanitize_width("", 0), 0);
	assert_int_equal(sanitize_width("hello", 5), 5);
	/* Wide CJK takes two columns each. */
	assert_int_equal(sanitize_width("\xe6\x97\xa5\xe6\x9c\xac", 6), 4);
	/* A combining acute adds nothing to the e it sits on. */
	assert_int_equal(sanitize_width("e\xcc\x81", 3), 1);
	assert_int_equal(sanitize_width("caf\xc3\xa9", 5), 4);
	/* A length shorter than the string is honoured. */
	assert_int_equal(sanitize_width("abcdef", 3), 3);
}

static void
test_width_of_raw_text_is_width_of_what_is_shown(void **state)
{
	static const char	*cases[] = {
		"\x1b]0;pwned\x07",
		("a\x9b" "b"),
		"x\xe2\x80\xaey",
		"bad\xc0\xaf",
		"tab\there",
		"\xe6\x97\xa5\x1b[2J",
	};
	size_t			 i, outlen;
	char			*out;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		out = sanitize(cases[i], strlen(cases[i]), &outlen);
		assert_int_equal(sanitize_width(cases[i], strlen(cases[i])),
		    sanitize_width(out, outlen));
		free(out);
	}
	assert_int_equal(sanitize_width("\x1b", 1), 2);	/* ^[ */
	assert_int_equal(sanitize_width("\xc0", 1), 1);	/* U+FFFD */
}

int
main(void)
{
	const struct CMUnitTest	tests[] = {
		cmocka_unit_test(test_escape_alone_is_visible),
		cmocka_unit_test(test_csi_clear_screen_is_shown_not_run),
		cmocka_unit_test(test_osc_title_is_shown_not_run),
		cmocka_unit_test(test_osc52_clipboard_write_is_shown_not_run),
		cmocka_unit_test(test_c0_and_del_use_caret_notation),
		cmocka_unit_test(test_newline_never_breaks_the_line),
		cmocka_unit_test(test_tab_becomes_one_space),
		cmocka_unit_test(test_c1_as_utf8_is_visible),
		cmocka_unit_test(test_c1_as_raw_byte_is_visible),
		cmocka_unit_test(test_lone_continuation_byte_is_replaced),
		cmocka_unit_test(test_truncated_sequence_is_one_replacement),
		cmocka_unit_test(test_overlong_encodings_are_replaced),
		cmocka_unit_test(test_surrogates_are_replaced),
		cmocka_unit_test(test_beyond_unicode_is_replaced),
		cmocka_unit_test(test_bidi_controls_are_visible),
		cmocka_unit_test(test_plain_and_multibyte_text_unchanged),
		cmocka_unit_test(test_append_adds_to_existing_text),
		cmocka_unit_test(test_one_megabyte_line),
		cmocka_unit_test(test_keep_sgr_keeps_colours_only),
		cmocka_unit_test(test_keep_sgr_refuses_absurd_lengths),
		cmocka_unit_test(test_width_counts_columns),
		cmocka_unit_test(test_width_of_raw_text_is_width_of_what_is_shown),
	};

	/* The TUI sets the user's locale; widths need a UTF-8 one. */
	if (setlocale(LC_CTYPE, "C.UTF-8") == NULL &&
	    setlocale(LC_CTYPE, "en_US.UTF-8") == NULL) {
		fprintf(stderr, "test_sanitize: no UTF-8 locale\n");
		return (77);	/* automake: skipped */
	}
	return (cmocka_run_group_tests(tests, NULL, NULL));
}
