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
#include "tui/report.h"
#include "backends/prometheus_parse.h"
#include "tui/demoplay.h"
#include "backends/demo.h"
#include "core/audit.h"
#include "core/sanitize.h"
#include "core/timeline.h"
#include "core/tlrecord.h"
#include "actions/actions.h"
#include "views/timeline.h"
#include "views/statusupd.h"
#include "views/term.h"

enum mode {
	MODE_CONSOLE,
	MODE_SNAPSHOT,
	MODE_CHECK,
	MODE_REPORT,
	MODE_TIMELINE
};

/* Long options with no letter of their own. */
enum {
	OPT_SERVICE = 256
};

enum tl_format {
	FORMAT_TEXT,
	FORMAT_MARKDOWN,
	FORMAT_JSON
};

struct options {
	enum mode	 mode;
	const char	*config;
	bool		 demo;
	long		 seed;
	bool		 json;
	int64_t		 follow_ms;	/* snapshot --follow */
	struct report_opts report;	/* sitrep report */
	int64_t		 report_since_ms;	/* report --since */
	const char	*from, *to;	/* report --from, --to */
	bool		 report_opt;	/* a report option was given */
	bool		 read_only;	/* --read-only */
	bool		 write;		/* --write */
	int64_t		 since_ms;	/* timeline --since, Unix ms */
	const char	*incident;	/* timeline --incident */
	const char	*service;	/* timeline --service */
	enum tl_format	 format;	/* timeline --format */
	const char	*environment;	/* --environment: shown first */
};

/* The console's timeline and what records into it. */
static struct {
	struct timeline	*tl;
	struct tlrecord	*rec;
	struct model	*m;
	struct ui	*app;
	void		(*model_changed)(void *);
	void		*model_arg;
} bridge;

static void
usage(FILE *f)
{
	fprintf(f,
"usage: sitrep [--config FILE] [--environment NAME] [--demo [--seed N]]\n"
"              [--read-only | --write]\n"
"       sitrep snapshot [--json] [--follow DURATION] [--config FILE]\n"
"                       [--environment NAME] [--demo [--seed N]]\n"
"       sitrep check-config [--config FILE]\n"
"       sitrep report [--since DURATION | --from TIME --to TIME]\n"
"                     [--format text|markdown|json|csv|html] [--slo GLOB]\n"
"                     [--config FILE] [--environment NAME]\n"
"                     [--demo [--seed N]]\n"
"       sitrep timeline [--since DURATION|TIME] [--incident ID]\n"
"                       [--service NAME] [--format text|markdown|json]\n"
"                       [--config FILE] [--environment NAME] [--demo]\n"
"\n"
"A terminal incident console: alerts (PagerDuty, Alertmanager), SLO burn\n"
"rates (Prometheus), recent deploys and streaming logs (Loki) on one screen.\n"
"\n"
"  -c, --config FILE  read FILE instead of $XDG_CONFIG_HOME/sitrep/config\n"
"  -d, --demo         play a built-in incident; no server, no account\n"
"  -s, --seed N       the demo's seed (default 1)\n"
"  -r, --read-only    a seat that looks and does not act: every command that\n"
"                     changes the world is refused\n"
"  -w, --write        act even where the config says read_only = yes\n"
"  -e, --environment NAME  show only the alerts, SLOs and deploys of the\n"
"                     sources in environment NAME (all: every one);\n"
"                     report: only its SLOs; timeline: only its events\n"
"  -j, --json         snapshot: print JSON (see sitrep(1))\n"
"  -f, --follow DURATION  snapshot: keep the sources refreshing (the logs\n"
"                     following) for DURATION, e.g. 20s, then print\n"
"  -S, --since DURATION|TIME  timeline: events since then, e.g. 2h or\n"
"                     2026-12-02T14:00:00Z; report: the period ending now\n"
"                     (a duration, default 7d)\n"
"  --from TIME, --to TIME  report: the period (RFC 3339 or unix seconds;\n"
"                     --to defaults to now)\n"
"  -i, --incident ID  timeline: one incident's (or alert's) events\n"
"      --service NAME timeline: one service's events\n"
"  -F, --format FMT   timeline: text (default), markdown or json;\n"
"                     report: also csv or html\n"
"  --slo GLOB         report: only the SLOs whose name matches\n"
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

/* sitrep report's options. */
static int
report_option(struct options *o, int ch, const char *arg)
{
	o->report_opt = true;
	switch (ch) {
	case 1001:
		if ((o->report_since_ms = duration_parse_ms(arg)) <= 0) {
			fprintf(stderr, "sitrep: --since wants a duration such "
			    "as 7d, not \"%s\"\n", arg);
			return (2);
		}
		break;
	case 1002:
		o->from = arg;
		break;
	case 1003:
		o->to = arg;
		break;
	case 1004:
		if (!report_format_parse(arg, &o->report.format)) {
			fprintf(stderr, "sitrep: --format wants text, markdown, "
			    "json, csv or html, not \"%s\"\n", arg);
			return (2);
		}
		break;
	default:
		o->report.glob = arg;
		break;
	}
	return (0);
}

/* The report's period: --since, or --from and --to, or the last 7 days. */
static int
report_period(struct options *o)
{
	double	now = (double)time_wall();

	if (o->report_since_ms > 0 && (o->from != NULL || o->to != NULL)) {
		fprintf(stderr, "sitrep: --since or --from/--to: not both\n");
		return (2);
	}
	o->report.to = now;
	if (o->to != NULL && !prom_parse_time(o->to, &o->report.to)) {
		fprintf(stderr, "sitrep: --to wants RFC 3339 "
		    "(2026-11-26T14:00:00Z) or unix seconds, not \"%s\"\n",
		    o->to);
		return (2);
	}
	if (o->from != NULL) {
		if (!prom_parse_time(o->from, &o->report.from)) {
			fprintf(stderr, "sitrep: --from wants RFC 3339 or "
			    "unix seconds, not \"%s\"\n", o->from);
			return (2);
		}
	} else
		o->report.from = o->report.to - (o->report_since_ms > 0 ?
		    (double)(o->report_since_ms / 1000) : 7 * 86400.0);
	if (!(o->report.to - o->report.from >= 3600) ||
	    o->report.to - o->report.from > 400 * 86400.0) {
		fprintf(stderr, "sitrep: the report's period must be between "
		    "1h and 400d, and --from before --to\n");
		return (2);
	}
	return (0);
}

/* --since: a duration back from now (2h), or a time (RFC 3339). */
static bool
parse_since(const char *arg, int64_t *ms)
{
	int64_t	d = duration_parse_ms(arg), ns;

	if (d > 0) {
		*ms = time_wall_ns() / 1000000 - d;
		return (true);
	}
	if (time_parse_iso(arg, &ns)) {
		*ms = ns / 1000000;
		return (true);
	}
	fprintf(stderr, "sitrep: --since wants a duration such as 2h or a "
	    "time such as 2026-12-02T14:00:00Z, not \"%s\"\n", arg);
	return (false);
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
		{ "read-only", no_argument, NULL, 'r' },
		{ "write", no_argument, NULL, 'w' },
		{ "since", required_argument, NULL, 'S' },
		{ "incident", required_argument, NULL, 'i' },
		{ "service", required_argument, NULL, OPT_SERVICE },
		{ "format", required_argument, NULL, 'F' },
		{ "environment", required_argument, NULL, 'e' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ "from", required_argument, NULL, 1002 },
		{ "to", required_argument, NULL, 1003 },
		{ "slo", required_argument, NULL, 1005 },
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
	} else if (argc > 1 && strcmp(argv[1], "report") == 0) {
		o->mode = MODE_REPORT;
		argv++, argc--;
	} else if (argc > 1 && strcmp(argv[1], "timeline") == 0) {
		o->mode = MODE_TIMELINE;
		argv++, argc--;
	}
	while ((ch = getopt_long(argc, argv, "c:ds:jf:rwS:i:e:F:hV",
	    longopts, NULL)) != -1) {
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
		case 'r':
			o->read_only = true;
			break;
		case 'S':
			if (o->mode == MODE_REPORT) {
				if (report_option(o, 1001, optarg) != 0)
					return (2);
			} else if (!parse_since(optarg, &o->since_ms))
				return (2);
			break;
		case 'i':
			o->incident = optarg;
			break;
		case OPT_SERVICE:
			o->service = optarg;
			break;
		case 'F':
			if (o->mode == MODE_REPORT) {
				if (report_option(o, 1004, optarg) != 0)
					return (2);
			} else if (strcmp(optarg, "text") == 0)
				o->format = FORMAT_TEXT;
			else if (strcmp(optarg, "markdown") == 0)
				o->format = FORMAT_MARKDOWN;
			else if (strcmp(optarg, "json") == 0)
				o->format = FORMAT_JSON;
			else {
				fprintf(stderr, "sitrep: --format is text, "
				    "markdown or json, not \"%s\"\n", optarg);
				return (2);
			}
			break;
		case 'w':
			o->write = true;
			break;
		case 'e':
			o->environment = optarg;
			break;
		case 'f':
			if ((o->follow_ms = duration_parse_ms(optarg)) <= 0) {
				fprintf(stderr, "sitrep: --follow wants a "
				    "duration such as 20s, not \"%s\"\n",
				    optarg);
				return (2);
			}
			break;
		case 1001: case 1002: case 1003: case 1004: case 1005:
			if (report_option(o, ch, optarg) != 0)
				return (2);
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
	if (o->report_opt && o->mode != MODE_REPORT) {
		fprintf(stderr, "sitrep: --from, --to and --slo go with report\n");
		return (2);
	}
	if (o->read_only && o->write) {
		fprintf(stderr, "sitrep: --read-only and --write contradict "
		    "each other\n");
		return (2);
	}
	if ((o->since_ms != 0 || o->incident != NULL || o->service != NULL ||
	    o->format != FORMAT_TEXT) && o->mode != MODE_TIMELINE) {
		fprintf(stderr, "sitrep: --since, --incident, --service and "
		    "--format go with timeline (--since and --format with "
		    "report too)\n");
		return (2);
	}
	if ((o->read_only || o->write) && o->mode != MODE_CONSOLE) {
		fprintf(stderr, "sitrep: --read-only and --write go with the "
		    "console\n");
		return (2);
	}
	if (o->environment != NULL && o->mode == MODE_CHECK) {
		fprintf(stderr, "sitrep: --environment does not go with "
		    "check-config\n");
		return (2);
	}
	if (o->demo && o->mode == MODE_CHECK) {
		fprintf(stderr, "sitrep: --demo does not go with check-config\n");
		return (2);
	}
	if (o->mode == MODE_REPORT)
		return (report_period(o));
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
print_errors(struct config *cfg)
{
	size_t	i;

	config_sort_errors(cfg);
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

/* The environments the configuration names: [sitrep]'s and its source
 * sections' (pointers into cfg; heap). Before drop_sources. */
static const char **
config_environments(struct config *cfg, size_t *n)
{
	const char	**v = xreallocarray(NULL, cfg->nsections + 1,
			    sizeof *v);
	const char	 *e;
	size_t		  i;

	*n = 0;
	v[(*n)++] = environment_of(cfg);
	for (i = 0; i < cfg->nsections; i++) {
		if (backend_find(cfg->sections[i].type) != NULL &&
		    (e = config_str(&cfg->sections[i], "environment",
		    NULL)) != NULL)
			v[(*n)++] = e;
	}
	return (v);
}

/* This program's path, for the demo's rollback and runbook. */
static const char *
self_path(const char *argv0)
{
	static char	buf[4096];
	ssize_t		n;

	if ((n = readlink("/proc/self/exe", buf, sizeof buf - 1)) > 0) {
		buf[n] = '\0';
		return (buf);
	}
	return (strchr(argv0, '/') != NULL ? argv0 : "sitrep");
}

/* A timeline write failed: said once on the status line (or logged). */
static void
bridge_warn(char *w)
{
	if (w == NULL)
		return;
	log_msg("%s", w);
	if (bridge.app != NULL)
		ui_message(bridge.app, true, "%s", w);
	free(w);
}

static void
bridge_add(struct tl_event *ev)
{
	char	*w = NULL;

	if (bridge.tl == NULL)
		return;
	timeline_add(bridge.tl, ev, &w);
	bridge_warn(w);
}

/* How an action ended, for people: "exit 0", "HTTP 201", the error. */
static char *
action_result(const struct audit_result *r)
{
	if (r->error != NULL)
		return (xasprintf("failed: %s", r->error));
	if (r->process && r->signal != 0)
		return (xasprintf("killed by signal %d", r->signal));
	if (r->process)
		return (xasprintf("exit %d", r->exit_status));
	if (r->http_status == 0)
		return (xstrdup("done"));	/* no request: a copy */
	return (xasprintf("HTTP %ld", r->http_status));
}

/* An action's target names its incident ("... demo/demo-1") or service
 * ("checkout v2.14.0"). */
static void
action_subject(const struct audit_event *ev, struct tl_event *te,
    char **service)
{
	const char	*last = strrchr(ev->target, ' ');

	last = last != NULL ? last + 1 : ev->target;
	if (strchr(last, '/') != NULL)
		te->incident = (char *)last;
	else if (*ev->target != '\0') {
		*service = xstrndup(ev->target, strcspn(ev->target, " "));
		te->service = *service;
	}
}

/* Every action's audit lines: into the timeline with who and how it
 * ended; the demo plays a rollback's effect. */
static void
on_action(void *arg, const struct audit_event *ev,
    const struct audit_result *r)
{
	struct tl_event	 te;
	char		*key, *text, *result = NULL, *service = NULL;
	bool		 ok;

	memset(&te, 0, sizeof te);
	key = xasprintf("action|%s|%s", ev->id, r == NULL ? "start" : "end");
	text = xasprintf("%s %s", ev->action, ev->target);
	te.kind = (char *)(r == NULL ? TL_ACTION_START : TL_ACTION_END);
	te.key = key;
	te.t_ms = time_wall_ns() / 1000000;
	te.who = (char *)ev->user;
	te.text = text;
	/* The environment of the item acted on (the file's if none). */
	if (ev->environment != NULL && *ev->environment != '\0')
		te.environment = (char *)ev->environment;
	action_subject(ev, &te, &service);
	if (r != NULL)
		te.result = result = action_result(r);
	bridge_add(&te);
	free(key);
	free(text);
	free(result);
	free(service);
	if (r == NULL)
		return;
	ok = r->error == NULL && (r->process ? r->exit_status == 0 &&
	    r->signal == 0 : r->http_status >= 200 && r->http_status < 300);
	demo_action_ended(ev->action, ev->target, ok);
	if (bridge.app != NULL)
		statusupd_action_ended(bridge.app, ev->action, ok);
}

/* A note typed into sitrep, into the timeline. */
static void
on_note(void *arg, const char *source, const char *id, const char *text)
{
	struct tl_event	 te;
	char		*key, *incident;

	memset(&te, 0, sizeof te);
	te.t_ms = time_wall_ns() / 1000000;
	incident = xasprintf("%s/%s", source, id != NULL ? id : "");
	key = xasprintf("note|%s|%lld", incident, (long long)te.t_ms);
	te.kind = (char *)TL_NOTE;
	te.key = key;
	te.incident = incident;
	te.who = (char *)audit_user();
	te.text = (char *)text;
	te.environment = (char *)model_source_env(bridge.m, source);
	bridge_add(&te);
	free(key);
	free(incident);
}

/* The model changed: record what is new, then the console's own hook. */
static void
on_model_changed(void *arg)
{
	char	*w = NULL;

	if (bridge.rec != NULL) {
		tlrecord_model(bridge.rec, bridge.m, &w);
		bridge_warn(w);
	}
	if (bridge.model_changed != NULL)
		bridge.model_changed(bridge.model_arg);
}

/* sitrep --demo plays a new incident each time: its timeline starts
 * fresh (the default file only, and only a regular one), so that a second
 * run's status update does not report the first run's rollback. */
static void
demo_fresh_timeline(const char *env)
{
	struct stat	 st;
	char		*path = timeline_default_path(env), *old;

	old = xasprintf("%s.1", path);
	if (lstat(path, &st) == 0 && S_ISREG(st.st_mode))
		unlink(path);
	if (lstat(old, &st) == 0 && S_ISREG(st.st_mode))
		unlink(old);
	free(old);
	free(path);
}

static void
bridge_start(struct model *m, bool demo)
{
	const char	*path;
	int64_t		 max;
	char		*w = NULL;

	path = actconf_timeline(&max);
	if (demo && path == NULL)
		demo_fresh_timeline(m->environment);
	bridge.m = m;
	bridge.tl = timeline_open(path, m->environment, max, &w);
	bridge_warn(w);
	bridge.rec = tlrecord_new(bridge.tl);
	tlview_set(bridge.tl);
	actions_on_note(on_note, NULL);
}

static void
bridge_stop(void)
{
	actions_on_note(NULL, NULL);
	actlog_observe(NULL, NULL);
	tlview_free();
	statusupd_free();
	tlrecord_free(bridge.rec);
	timeline_close(bridge.tl);
	memset(&bridge, 0, sizeof bridge);
}

/* A name that is no environment: said with the ones there are. */
static void
unknown_environment(const char *name, const char *where, const char **v,
    size_t n)
{
	size_t	i;

	fprintf(stderr, "sitrep: no %s is in environment \"%s\"; the "
	    "environments:", where, name);
	for (i = 0; i < n; i++)
		fprintf(stderr, "%s %s", i > 0 ? "," : "",
		    *v[i] != '\0' ? v[i] : "(none)");
	fprintf(stderr, "%sall\n", n > 0 ? ", " : " ");
}

/* The environments a timeline knows: the configuration's (envs[0..nenv))
 * and those its events name, once each (pointers into both; heap). */
static const char **
timeline_environments(const struct tl_event *v, size_t n,
    const char **envs, size_t nenv, size_t *nout)
{
	const char	**out = xreallocarray(NULL, n + nenv + 1, sizeof *out);
	const char	 *e;
	size_t		  i, j;

	*nout = 0;
	for (i = 0; i < nenv + n; i++) {
		e = i < nenv ? envs[i] : v[i - nenv].environment;
		for (j = 0; e != NULL && j < *nout; j++) {
			if (strcmp(out[j], e) == 0)
				break;
		}
		if (e != NULL && j == *nout)
			out[(*nout)++] = e;
	}
	return (out);
}

/* sitrep timeline: the events for the postmortem, of one environment
 * (--environment) or of all the file holds, each then naming its own when
 * there are several. envs: the configuration's environments. */
static int
print_timeline(const struct options *o, const char *env, const char **envs,
    size_t nenv)
{
	struct tl_filter	 f;
	struct timeline		*tl;
	const struct tl_event	*v;
	const char		*path, *title, **known;
	int64_t			 max;
	size_t			 n, i, nknown, shown = 0;
	char			*w = NULL, *line;
	bool			 with_env, found;

	path = actconf_timeline(&max);
	tl = timeline_open(path, env, max, &w);
	if (w != NULL) {
		fprintf(stderr, "sitrep: %s\n", w);
		free(w);
	}
	v = timeline_events(tl, &n);
	memset(&f, 0, sizeof f);
	f.since_ms = o->since_ms;
	f.incident = o->incident;
	f.service = o->service;
	if (o->environment != NULL && strcmp(o->environment, "all") != 0) {
		known = timeline_environments(v, n, envs, nenv, &nknown);
		for (i = 0, found = false; i < nknown && !found; i++)
			found = strcmp(known[i], o->environment) == 0;
		if (!found)
			unknown_environment(o->environment, "source or "
			    "timeline event", known, nknown);
		free(known);
		if (!found) {
			timeline_close(tl);
			return (2);
		}
		f.environment = o->environment;
	}
	with_env = f.environment == NULL && timeline_several_envs(v, n, &f);
	title = f.environment != NULL ? f.environment : with_env ?
	    "every environment" : env;
	if (o->format == FORMAT_MARKDOWN) {
		line = sanitize(title, strlen(title), NULL);
		w = timeline_markdown_head(false, with_env);
		printf("## Timeline of %s\n\n%s", *line != '\0' ? line :
		    "the default environment", w);
		free(w);
		free(line);
	}
	else if (o->format == FORMAT_JSON) {
		line = timeline_json_head(f.environment != NULL ?
		    f.environment : env);
		printf("%s", line);
		free(line);
	}
	for (i = 0; i < n; i++) {
		if (!timeline_match(&v[i], &f))
			continue;
		if (o->format == FORMAT_MARKDOWN)
			line = timeline_format_markdown(&v[i], false, with_env);
		else if (o->format == FORMAT_JSON)
			line = timeline_format_json(&v[i]);
		else
			line = timeline_format_text(&v[i], false, with_env);
		printf("%s%s%s", o->format == FORMAT_JSON && shown > 0 ?
		    "," : "", line, o->format == FORMAT_JSON ? "" : "\n");
		free(line);
		shown++;
	}
	if (o->format == FORMAT_JSON)
		printf("]}\n");
	else if (shown == 0)
		fprintf(stderr, "sitrep: no events in %s\n",
		    timeline_path(tl));
	timeline_close(tl);
	return (fflush(stdout) == 0 ? 0 : 1);
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
	tlview_refresh(arg);
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
	/* The timeline sees each change first, then the console. */
	bridge.app = &app;
	bridge.model_changed = m->on_change;
	bridge.model_arg = m->on_change_arg;
	m->on_change = on_model_changed;
	m->on_change_arg = NULL;
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
	bridge.app = NULL;
	m->on_change = bridge.model_changed;
	m->on_change_arg = bridge.model_arg;
	app_free(&app);
	return (status);
}

/* --environment NAME: one the sources are in, or all. */
static bool
show_environment(struct model *m, const char *name)
{
	const char	**v;
	size_t		  n, i;
	bool		  found = strcmp(name, "all") == 0;

	v = model_environments(m, &n);
	for (i = 0; i < n && !found; i++)
		found = strcmp(v[i], name) == 0;
	if (!found)
		unknown_environment(name, "source", v, n);
	else if (strcmp(name, "all") != 0)
		model_show_environment(m, name);
	free(v);
	return (found);
}

int
main(int argc, char **argv)
{
	struct options	  o;
	struct config	  cfg;
	struct model	  m;
	struct source	**v;
	const char	**envs = NULL;
	size_t		  n, nenv = 0;
	int		  status;

	setlocale(LC_ALL, "");
	if (argc > 1 && strncmp(argv[1], "demo-", 5) == 0)
		return (demoplay_main(argc, argv));
	if ((status = parse_args(argc, argv, &o)) != 0)
		return (status);
	/* check-config goes on past a file's problems (once it was read)
	 * to find the others: unknown keys, bad bindings. */
	if (!load_config(&cfg, &o) &&
	    (o.mode != MODE_CHECK || cfg.nfiles == 0)) {
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
	/* The timeline only reads its file: no source starts, no token
	 * command runs. */
	if (o.mode == MODE_TIMELINE) {
		envs = config_environments(&cfg, &nenv);
		drop_sources(&cfg);
	}
	v = sources_create(&cfg, &m, &n);
	actconf_load(&cfg, &m);
	actlog_set_environment(m.environment);
	if (demo_running())
		actconf_demo(self_path(argv[0]));
	actlog_observe(on_action, NULL);
	/* --write wins over read_only = yes; --read-only over the config. */
	actlog_set_read_only(!o.write && (o.read_only || actconf_read_only()));
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
	} else if (o.environment != NULL && o.mode != MODE_TIMELINE &&
	    !show_environment(&m, o.environment))
		status = 2;
	else if (o.mode == MODE_CHECK) {
		printf("%s: ok (%zu source%s)\n", cfg.path, n,
		    n == 1 ? "" : "s");
		status = 0;
	} else if (o.mode == MODE_REPORT) {
		o.report.environment = m.shown_env;
		status = report_run(&m, v, n, &o.report, 900000, stdout);
	}
	else if (o.mode == MODE_SNAPSHOT)
		status = snapshot_run(&m, v, n, o.json, 60000, o.follow_ms);
	else if (o.mode == MODE_TIMELINE)
		status = print_timeline(&o, m.environment, envs, nenv);
	else {
		bridge_start(&m, o.demo);
		status = run_console(&m, &cfg, v, n);
	}

	free(envs);
	sources_free(v, n);
	bridge_stop();
	worker_free();
	http_global_free();
	loop_free();
	model_free(&m);
	actconf_free();
	config_free(&cfg);
	log_close();
	return (status);
}
