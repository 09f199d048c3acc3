/* argv.c: command lines split into words the way a user means them, with
 * no expansion of any kind (see argv.h). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "core/argv.h"
#include "core/xalloc.h"

void
argv_free(char **argv)
{
	size_t	 i;

	if (argv == NULL)
		return;
	for (i = 0; argv[i] != NULL; i++)
		free(argv[i]);
	free(argv);
}

static int
argv_blank(int c)
{
	return (c == ' ' || c == '\t' || c == '\n' || c == '\r');
}

/*
 * The inside of "...", from after the opening quote: a backslash escapes
 * only " \ $ and ` (as in sh), and is kept before anything else. Returns the
 * position after the closing quote, NULL if there is none.
 */
static const char *
argv_dquote(const char *s, char *word, size_t *len)
{
	for (; *s != '"'; s++) {
		if (*s == '\0')
			return (NULL);
		if (*s == '\\' && s[1] != '\0' &&
		    strchr("\"\\$`", s[1]) != NULL)
			s++;
		word[(*len)++] = *s;
	}
	return (s + 1);
}

/* One word into word[]; returns where it ends, NULL with *err on error. */
static const char *
argv_word(const char *s, char *word, size_t *len, const char **err)
{
	const char	*end;

	*len = 0;
	while (*s != '\0' && !argv_blank((unsigned char)*s)) {
		switch (*s) {
		case '\'':
			if ((end = strchr(s + 1, '\'')) == NULL) {
				*err = "unterminated single quote";
				return (NULL);
			}
			memcpy(word + *len, s + 1, end - s - 1);
			*len += end - s - 1;
			s = end + 1;
			break;
		case '"':
			if ((s = argv_dquote(s + 1, word, len)) == NULL) {
				*err = "unterminated double quote";
				return (NULL);
			}
			break;
		case '\\':
			if (s[1] == '\0') {
				*err = "backslash at the end of the command";
				return (NULL);
			}
			word[(*len)++] = s[1];
			s += 2;
			break;
		default:
			word[(*len)++] = *s++;
			break;
		}
	}
	return (s);
}

char **
argv_split(const char *s, char **err)
{
	char		**argv;
	char		 *word;
	const char	 *why = NULL;
	size_t		  argc = 0, len;

	argv = xcalloc(1, sizeof *argv);
	word = xmalloc(strlen(s) + 1);
	for (;;) {
		while (argv_blank((unsigned char)*s))
			s++;
		if (*s == '\0')
			break;
		if ((s = argv_word(s, word, &len, &why)) == NULL)
			break;
		argv = xreallocarray(argv, argc + 2, sizeof *argv);
		argv[argc++] = xstrndup(word, len);
		argv[argc] = NULL;
	}
	free(word);
	if (why != NULL) {
		argv_free(argv);
		if (err != NULL)
			*err = xstrdup(why);
		return (NULL);
	}
	return (argv);
}
