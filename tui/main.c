/* main.c: the command line. `sitrep` runs the console, `sitrep snapshot`
 * prints the state once, `sitrep check-config` validates a config. The
 * config is read and checked before the terminal is touched. */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "backends/backend.h"
#include "backends/source.h"
#include "backends/http.h"
#include "core/conf.h"
#include "core/log.h"
#include "core/model.h"
#include "core/secret.h"
#include "core/timeutil.h"
#include "core/worker.h"
#include "core/xalloc.h"
#include "keymaps/keyin.h"
#include "actions/actconf.h"
#include "actions/actlog.h"
#include "tui/app.h"
#include "views/draw.h"
#include "core/loop.h"
#include "tui/screen.h"
#include "tui/snapshot.h"
#include "views/term.h"

enum mode {
	MODE_CONSOLE,
	MODE_SNAPSHOT,
	MODE_CHECK
};

struct options {
	enum mode	 mode;
	const char	*config;
	bool		 demo;
	long		 seed;
	bool		 json;
	int64_t		 follow_ms;	/* snapshot --follow */
};

static void
usage(FILE *f)
{
	fprintf(f,
"usage: sitrep [--config FILE] [--demo [--seed N]]\n"
"       sitrep snapshot [--json] [--follow DURATION] [--config FILE]\n"
"                       [--demo [--seed N]]\n"
"       sitrep check-config [--config FILE]\n"
"\n"
"A terminal incident console: alerts (PagerDuty, Alertmanager), SLO burn\n"
"rates (Prometheus), recent deploys and streaming logs (Loki) on one screen.\n"
"\n"
"  -c, --config FILE  read FILE instead of $XDG_CONFIG_HOME/sitrep/config\n"
"  -d, --demo         play a built-in incident; no server, no account\n"
"  -s, --seed N       the demo's seed (default 1)\n"
"  -j, --json         snapshot: print JSON (see sitrep(1))\n"
"  -f, --follow DURATION  snapshot: keep the sources refreshing (the logs\n"
"                     following) for DURATION, e.g. 20s, then print\n"
"  -h, --help         show this help\n"
"  -V, --version      show the version\n"
"\n"
"Exit status: 0 all well, 1 a source failed, 2 usage or configuration\n"
"error. Keys: press ? in the console. See sitrep(1) and sitrep.conf(5).\n");
}

static void
no_config(const char *path)
{
	fprintf(stderr,
"sitrep: no configuration at %s\n"
"\n"
"Create it (or pass --config FILE) with a section per source, e.g.:\n"
"\n"
"  [sitrep]\n"
"  environment = prod\n"
"\n"
"  [alertmanager]\n"
"  url = http://alertmanager:9093\n"
"\n"
"  [prometheus]\n"
"  url = http://prometheus:9090\n"
"\n"
"sitrep.conf(5) describes every section. To look around first, run the\n"
"built-in demo, which needs no server and no account:\n"
"\n"
"  sitrep --demo\n", path);
}

static int
parse_args(int argc, char **argv, struct options *o)
{
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "demo", no_argument, NULL, 'd' },
		{ "seed", required_argument, NULL, 's' },
		{ "json", no_argument, NULL, 'j' },
		{ "follow", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	char	*end;
	int	 ch;

	memset(o, 0, sizeof *o);
	o->seed = 1;
	if (argc > 1 && strcmp(argv[1], "snapshot") == 0) {
		o->mode = MODE_SNAPSHOT;
		argv++, argc--;
	} else if (argc > 1 && strcmp(argv[1], "check-config") == 0) {
		o->mode = MODE_CHECK;
		argv++, argc--;
	}
	while ((ch = getopt_long(argc, argv, "c:ds:jf:hV", longopts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			o->config = optarg;
			break;
		case 'd':
			o->demo = true;
			break;
		case 's':
			errno = 0;
			o->seed = strtol(optarg, &end, 10);
			if (errno != 0 || *end != '\0' || end == optarg ||
			    o->seed < 0) {
				fprintf(stderr, "sitrep: --seed wants a number, "
				    "not \"%s\"\n", optarg);
				return (2);
			}
			break;
		case 'j':
			o->json = true;
			break;
		case 'f':
			if ((o->follow_ms = duration_parse_ms(optarg)) <= 0) {
				fprintf(stderr, "sitrep: --follow wants a "
				    "duration such as 20s, not \"%s\"\n",
				    optarg);
				return (2);
			}
			break;
		case 'h':
			usage(stdout);
			exit(0);
		case 'V':
			printf("sitrep %s\n", PACKAGE_VERSION);
			exit(0);
		default:
			usage(stderr);
			return (2);
		}
	}
	if (optind < argc) {
		fprintf(stderr, "sitrep: unexpected argument \"%s\"\n",
		    argv[optind]);
		usage(stderr);
		return (2);
	}
	if (o->json && o->mode != MODE_SNAPSHOT) {
		fprintf(stderr, "sitrep: --json goes with snapshot\n");
		return (2);
	}
	if (o->follow_ms > 0 && o->mode != MODE_SNAPSHOT) {
		fprintf(stderr, "sitrep: --follow goes with snapshot\n");
		return (2);
	}
	if (o->demo && o->mode == MODE_CHECK) {
		fprintf(stderr, "sitrep: --demo does not go with check-config\n");
		return (2);
	}
	return (0);
}

/* Source sections are dropped when --demo replaces them. */
static void
drop_sources(struct config *cfg)
{
	size_t	i;

	for (i = 0; i < cfg->nsections; i++) {
		struct config_section *s = &cfg->sections[i];
		size_t k;

		if (backend_find(s->type) != NULL) {
			for (k = 0; k < s->nentries; k++)
				s->entries[k].used = true;
			s->type[0] = '\0';	/* ignored from here on */
		}
	}
}

/* Load the config (or the demo's); on problems print them and return
 * false. */
static bool
load_config(struct config *cfg, const struct options *o)
{
	char	*path = NULL, *text;
	bool	 ok = true;

	memset(cfg, 0, sizeof *cfg);
	if (o->config != NULL)
		ok = config_load(cfg, o->config);
	else if (!o->demo) {
		path = config_default_path();
		if (access(path, F_OK) != 0 && errno == ENOENT) {
			no_config(path);
			free(path);
			return (false);
		}
		ok = config_load(cfg, path);
		free(path);
	}
	if (ok && o->demo) {
		drop_sources(cfg);
		text = xasprintf("[demo]\nseed = %ld\n", o->seed);
		if (cfg->path == NULL)
			cfg->path = xstrdup("--demo");
		ok = config_parse_string(cfg, cfg->path, text);
		free(text);
	}
	return (ok && cfg->nerrors == 0);
}

static void
print_errors(const struct config *cfg)
{
	size_t	i;

	for (i = 0; i < cfg->nerrors; i++)
		fprintf(stderr, "sitrep: %s\n", cfg->errors[i]);
	if (cfg->nerrors == 0)
		fprintf(stderr, "sitrep: the configuration is not usable\n");
}

static const char *
environment_of(struct config *cfg)
{
	struct config_section	*s = config_find(cfg, "sitrep", NULL);
	const char		*env;

	env = s != NULL ? config_str(s, "environment", NULL) : NULL;
	if (env == NULL)
		env = config_find(cfg, "demo", NULL) != NULL ? "demo" : "";
	return (env);
}

/* The console's signals, delivered in the loop. */
/* The terminal is gone: nothing to draw for, no key to read; a shell, or
 * a question in a child nobody can answer now, is hung up (term_hangup).
 * The actions' ends still matter (actlog_hangup waits for them). */
static void
console_gone(void)
{
	loop_set_paint(NULL, NULL);
	loop_unwatch(screen_input_fd());
	term_hangup();
}

static void
on_signal(int sig, void *arg)
{
	struct ui	*app = arg;
	int		 rows, cols;

	switch (sig) {
	case SIGWINCH:
		screen_resize(&rows, &cols);
		app_resize(app, rows, cols);
		break;
	case SIGTERM:
	case SIGINT:
		loop_quit(128 + sig);
		break;
	case SIGHUP:
		/* The terminal is gone; a running rollback still ends and is
		 * recorded before we go. A shell, or a question, nobody can
		 * answer now: term_hangup ends those. */
		console_gone();
		actlog_hangup(128 + sig);
		break;
	}
}

static void
on_key(const struct keyin_event *ev, void *arg)
{
	struct ui	*app = arg;

	if (ev->kind == KEYIN_MOUSE)
		app_mouse(app, ev);
	else
		app_key(app, ev->key);
}

static void
on_stdin(int fd, short revents, void *arg)
{
	if (revents & (POLLHUP | POLLERR | POLLNVAL)) {
		/* The terminal went away: nothing left to show. */
		console_gone();
		actlog_hangup(129);
		return;
	}
	screen_read_keys(on_key, arg);
}

static void
on_paint(void *arg)
{
	app_paint(arg);
}

static int
run_console(struct model *m, struct config *cfg, struct source **v, size_t n)
{
	struct ui	app;
	bool		color, utf8;
	int		rows, cols, status;

	if (!screen_init(&color, &utf8))
		return (2);
	fatal_set_cleanup(screen_restore);
	draw_init(color, utf8);
	app_init(&app, m, cfg, v, n);
	app.color = color;
	screen_size(&rows, &cols);
	app_resize(&app, rows, cols);
	loop_set_signal_handler(on_signal, &app);
	loop_set_paint(on_paint, &app);
	loop_watch(screen_input_fd(), POLLIN, on_stdin, &app);
	app_start(&app);
	sources_start(v, n);
	app_paint(&app);
	status = loop_run();
	loop_unwatch(screen_input_fd());
	term_shutdown();
	screen_restore();
	app_free(&app);
	return (status);
}

int
main(int argc, char **argv)
{
	struct options	  o;
	struct config	  cfg;
	struct model	  m;
	struct source	**v;
	size_t		  n;
	int		  status;

	setlocale(LC_ALL, "");
	if ((status = parse_args(argc, argv, &o)) != 0)
		return (status);
	if (!load_config(&cfg, &o)) {
		if (cfg.nerrors > 0 || cfg.path != NULL)
			print_errors(&cfg);
		config_free(&cfg);
		return (2);
	}
	/* Only the console needs a log file: the others print. */
	if (o.mode != MODE_CONSOLE)
		log_set_path(NULL);
	loop_init();
	http_global_init();
	model_init(&m, environment_of(&cfg));
	/* Before the first child (a token command) starts. */
	secret_hide_env(&cfg);
	v = sources_create(&cfg, &m, &n);
	actconf_load(&cfg, &m);
	actlog_set_environment(m.environment);
	if (o.mode == MODE_CONSOLE || o.mode == MODE_CHECK) {
		struct ui probe;

		/* Check user bindings before the terminal is touched, and
		 * for check-config, whose job is to find every problem. */
		app_init(&probe, &m, &cfg, v, n);
		app_free(&probe);
	}
	config_check_unused(&cfg);
	if (cfg.nerrors > 0) {
		print_errors(&cfg);
		status = 2;
	} else if (o.mode == MODE_CHECK) {
		printf("%s: ok (%zu source%s)\n", cfg.path, n,
		    n == 1 ? "" : "s");
		status = 0;
	} else if (o.mode == MODE_SNAPSHOT)
		status = snapshot_run(&m, v, n, o.json, 60000, o.follow_ms);
	else
		status = run_console(&m, &cfg, v, n);

	sources_free(v, n);
	worker_free();
	http_global_free();
	loop_free();
	model_free(&m);
	actconf_free();
	config_free(&cfg);
	log_close();
	return (status);
}
