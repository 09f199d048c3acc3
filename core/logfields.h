/*
 * logfields.h: the fields of one log line, recognized without allocating:
 * logfmt (key=value key="quoted value") or a flat JSON object
 * ({"level":"error","msg":"..."}); anything else is plain text. Pure: bytes
 * in, spans into those bytes out, so that the pane, the filters and the
 * benchmark call it per line and a fuzz target calls it with anything.
 *
 * Which field is the line's time, level and message is settled here (the
 * first field with one of the usual names: ts, time, timestamp; level,
 * lvl, severity; msg, message); a key given twice keeps both fields, the
 * first naming the role. A line that is almost JSON (an unclosed object, a
 * trailing comma, text after the brace) is plain text, shown as it is.
 */
#ifndef SITREP_LOGFIELDS_H
#define SITREP_LOGFIELDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct sbuf;

enum logfields_kind {
	LOGFIELDS_PLAIN,
	LOGFIELDS_LOGFMT,
	LOGFIELDS_JSON
};

#define LOGFIELD_QUOTED		0x01	/* a string: the quotes left out */
#define LOGFIELD_ESCAPED	0x02	/* has backslash escapes to undo */
#define LOGFIELD_BARE		0x04	/* logfmt: a key with no '=' */
#define LOGFIELD_RAW		0x08	/* JSON: a number, literal, object
					 * or array, as written */

struct logfield {
	uint32_t	 koff, klen;	/* the key, as written */
	uint32_t	 voff, vlen;	/* the value, inside any quotes */
	uint8_t		 kflags;	/* LOGFIELD_ESCAPED for the key */
	uint8_t		 flags;		/* LOGFIELD_* for the value */
};

/* Fields past this many are counted in `more`, not held. */
#define LOGFIELDS_MAX	64

struct logfields {
	enum logfields_kind	 kind;
	size_t			 n;
	size_t			 more;
	int			 time, level, msg;	/* index, or -1 */
	struct logfield		 v[LOGFIELDS_MAX];
};

/* Recognize a line; false (kind PLAIN, n 0) for plain text. */
bool	 logfields_parse(const char *, size_t, struct logfields *);
/* Field i's key and value with escapes undone, appended to sb (the raw
 * bytes otherwise: the sanitizer comes later). */
void	 logfields_key(const struct logfields *, const char *, size_t,
	     struct sbuf *);
void	 logfields_value(const struct logfields *, const char *, size_t,
	     struct sbuf *);
/* Undo backslash escapes (JSON's, Go's, LogQL's label values) into sb. */
void	 logfields_unescape(const char *, size_t, struct sbuf *);
/* Does field i's key read `key`? */
bool	 logfields_key_is(const struct logfields *, const char *, size_t,
	     const char *);
/* The index of the first field named key, or -1. */
int	 logfields_find(const struct logfields *, const char *, const char *);

/* A level value as one of the five words drawn ("ERROR", "WARN",
 * "INFO", "DEBUG", "TRACE"; "FATAL" for fatal, panic, critical), or NULL
 * for a value that is none of them. */
const char *logfields_level_word(const char *, size_t);

#endif
