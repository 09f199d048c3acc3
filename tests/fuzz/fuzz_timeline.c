/* fuzz_timeline.c: fuzz target for the timeline's lines
 * (core/timeline.c). An input is one line's bytes: it is an event or it is
 * not (torn, not JSON, a field missing or mistyped); an event written back
 * reads back the same, and every way of showing it holds. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "core/timeline.h"
#include "tests/fuzz/fuzz.h"

static int
same(const char *a, const char *b)
{
	return ((a == NULL && b == NULL) ||
	    (a != NULL && b != NULL && strcmp(a, b) == 0));
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tl_event	 ev, back;
	char		*line, *s;

	if (!timeline_parse_line((const char *)data, size, &ev))
		return (0);
	fuzz_check(ev.kind != NULL && ev.key != NULL && ev.t_ms >= 0);
	line = timeline_line(&ev);
	fuzz_check(strchr(line, '\n') == line + strlen(line) - 1);
	fuzz_check(timeline_parse_line(line, strlen(line) - 1, &back));
	fuzz_check(back.t_ms == ev.t_ms && back.source_clock ==
	    ev.source_clock && same(back.kind, ev.kind) &&
	    same(back.key, ev.key) && same(back.text, ev.text) &&
	    same(back.service, ev.service) && same(back.who, ev.who) &&
	    same(back.environment, ev.environment));
	s = timeline_format_text(&ev, false, true);
	fuzz_check(strchr(s, '\n') == NULL);
	free(s);
	s = timeline_format_markdown(&ev, false, true);
	fuzz_check(strchr(s, '\n') == NULL);
	free(s);
	free(timeline_format_json(&ev));
	tl_event_free(&back);
	tl_event_free(&ev);
	free(line);
	return (0);
}
