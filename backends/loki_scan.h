/* loki_scan.h: a successful query_range "streams" answer read straight
 * into an arena, without building a jansson tree: the flood's fast path.
 * It takes exactly what the jansson path (backends/loki_parse.c) takes and
 * gives up on everything else, which that path then reads. */
#ifndef SITREP_LOKI_SCAN_H
#define SITREP_LOKI_SCAN_H

#include <stdbool.h>
#include <stddef.h>

#include "backends/loki_result.h"

/* true with r filled, or false with r empty: read it with the jansson
 * path (loki_parse_query_range does both). */
bool	 loki_scan_query_range(const char *, size_t, enum loki_direction,
	     struct loki_result *);

#endif
