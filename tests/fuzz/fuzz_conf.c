/* fuzz_conf.c: fuzz target for the config file (core/conf.c): the bytes
 * as a config, then every entry through every typed getter, as a consumer
 * would read it, and the unknown-key report. Every error names the file
 * and a line. */
#include "config.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/conf.h"
#include "tests/fuzz/fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct config		 cfg;
	struct config_section	*sec;
	const char		*key;
	char			*text, **list, *label;
	size_t			 i, j, n;

	text = fuzz_string(data, size);
	memset(&cfg, 0, sizeof cfg);
	(void)config_parse_string(&cfg, "fuzz.conf", text);
	for (i = 0; i < cfg.nsections; i++) {
		sec = &cfg.sections[i];
		fuzz_check(sec->type != NULL);
		label = config_section_label(sec->type, sec->name);
		free(label);
		fuzz_check(config_find(&cfg, sec->type, sec->name) != NULL);
		for (j = 0; j < sec->nentries; j++) {
			key = sec->entries[j].key;
			fuzz_check(key != NULL && sec->entries[j].value != NULL);
			(void)config_str(sec, key, NULL);
			(void)config_duration_ms(&cfg, sec, key, 1000);
			(void)config_number(&cfg, sec, key, 1, 0, 100);
			(void)config_bool(&cfg, sec, key, false);
			list = config_list(sec, key, &n);
			fuzz_check(list == NULL || list[n] == NULL);
			config_list_free(list, n);
		}
		if (i % 2 == 0)
			(void)config_get(sec, "no-such-key");
	}
	config_check_unused(&cfg);
	for (i = 0; i < cfg.nerrors; i++)
		fuzz_check(strncmp(cfg.errors[i], "fuzz.conf:", 10) == 0);
	config_free(&cfg);
	free(text);
	return (0);
}
