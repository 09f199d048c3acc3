/* actconf.c: rollback, runbook and environment sections, the [sitrep] keys
 * of the actions, and the variables a template and a child see. */
#include "config.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/argv.h"
#include "core/audit.h"
#include "core/conf.h"
#include "core/model.h"
#include "core/secret.h"
#include "core/template.h"
#include "core/xalloc.h"
#include "actions/actconf.h"
#include "core/timeline.h"
#include "actions/actlog.h"

struct named {
	char	*name;
	char	*command;
	char	*service;	/* runbooks: match by service too */
	bool	 dash_ok;	/* allow_dash_values = yes */
};

static struct named	*rollbacks, *runbooks;
static size_t		 nrollbacks, nrunbooks;
static char		**protected_envs;
static size_t		 nprotected;
static char		*open_command;
static bool		 osc52;
static bool		 read_only;
static char		*timeline_file;
static char		*status_template;
static int64_t		 timeline_max;
/* The demo's own rollback and runbook: sitrep itself in a hidden mode,
 * used when no [rollback] or [runbook] section matches. */
static char		*demo_self;
static const char	 demo_rollback[] =
    "sitrep demo-rollout $service $version $previous_revision";
static const char	 demo_runbook[] = "sitrep demo-runbook $alertname $service";

static const char *const rollback_vars[] = {
	"service", "revision", "previous_revision", "version", "environment",
	"author", "id"
};
static const char *const runbook_vars[] = {
	"service", "alertname", "id", "severity", "source", "environment",
	"title", "runbook_url"
};

/* Try a template with every variable set, to find typos now. */
static void
check_template(struct config *cfg, const struct config_entry *e,
    const char *const *names, size_t n)
{
	struct template_var	*v;
	char			*err = NULL, **argv;
	size_t			 i;

	v = xcalloc(n, sizeof *v);
	for (i = 0; i < n; i++) {
		v[i].name = names[i];
		v[i].value = "x";
	}
	if ((argv = template_expand(e->value, v, n, &err)) == NULL) {
		config_error(cfg, e->line, "%s: %s", e->key, err);
		free(err);
	}
	argv_free(argv);
	free(v);
}

static void
load_named(struct config *cfg, struct config_section *sec,
    struct named **list, size_t *n, const char *const *vars, size_t nvars)
{
	const struct config_entry	*e;
	struct named			*r;

	if (sec->name == NULL || *sec->name == '\0') {
		config_error(cfg, sec->line, "[%s] needs a name: [%s \"%s\"]",
		    sec->type, sec->type, strcmp(sec->type, "rollback") == 0 ?
		    "SERVICE" : "ALERTNAME");
		return;
	}
	if ((e = config_get(sec, "command")) == NULL) {
		config_error(cfg, sec->line, "[%s \"%s\"] needs a command",
		    sec->type, sec->name);
		return;
	}
	check_template(cfg, e, vars, nvars);
	*list = xreallocarray(*list, *n + 1, sizeof **list);
	r = &(*list)[(*n)++];
	r->name = xstrdup(sec->name);
	r->command = xstrdup(e->value);
	r->service = NULL;
	r->dash_ok = config_bool(cfg, sec, "allow_dash_values", false);
	if (strcmp(sec->type, "runbook") == 0)
		r->service = config_str(sec, "service", NULL) != NULL ?
		    xstrdup(config_str(sec, "service", NULL)) : NULL;
}

static void
load_environment(struct config *cfg, struct config_section *sec)
{
	if (sec->name == NULL || *sec->name == '\0') {
		config_error(cfg, sec->line,
		    "[environment] needs a name: [environment \"prod\"]");
		return;
	}
	if (!config_bool(cfg, sec, "protect", false))
		return;
	protected_envs = xreallocarray(protected_envs, nprotected + 1,
	    sizeof *protected_envs);
	protected_envs[nprotected++] = xstrdup(sec->name);
}

static void
load_sitrep(struct config *cfg, struct model *m)
{
	struct config_section		*top = config_find(cfg, "sitrep", NULL);
	const struct config_entry	*e;
	static const char *const	 url_var[] = { "url" };
	int64_t				 ms;
	enum severity			 sev;

	severity_set_unknown_after(SEV_UNKNOWN_AFTER_DEFAULT);
	if (top == NULL)
		return;
	if ((e = config_get(top, "unknown_severity_after")) != NULL) {
		/* The four words sitrep shows, not every vendor's alias. */
		sev = severity_parse(e->value);
		if (sev == SEV_UNKNOWN || strcasecmp(e->value,
		    severity_name(sev)) != 0)
			config_error(cfg, e->line, "unknown_severity_after: "
			    "\"%s\" is not critical, error, warning or info",
			    e->value);
		else
			severity_set_unknown_after(sev);
	}
	audit_set_path(config_str(top, "audit_log", NULL));
	ms = config_duration_ms(cfg, top, "suspect_window", 3600000);
	if (m != NULL && ms >= 0)
		m->suspect_window = (long)(ms / 1000);
	actlog_set_hangup_wait(config_duration_ms(cfg, top, "hangup_wait",
	    -1));
	if ((e = config_get(top, "open_command")) != NULL) {
		check_template(cfg, e, url_var, 1);
		open_command = xstrdup(e->value);
	}
	osc52 = config_bool(cfg, top, "osc52", false);
	read_only = config_bool(cfg, top, "read_only", false);
	if ((e = config_get(top, "status_template")) != NULL)
		status_template = xstrdup(e->value);
	if ((e = config_get(top, "timeline")) != NULL)
		timeline_file = *e->value == '~' && e->value[1] == '/' &&
		    getenv("HOME") != NULL ? xasprintf("%s%s",
		    getenv("HOME"), e->value + 1) : xstrdup(e->value);
	if ((e = config_get(top, "timeline_max")) != NULL &&
	    (timeline_max = timeline_parse_size(e->value)) < 4096)
		config_error(cfg, e->line, "timeline_max: give a size of at "
		    "least 4K, e.g. 8M, not \"%s\"", e->value);
}

void
actconf_load(struct config *cfg, struct model *m)
{
	struct config_section	*sec;
	size_t			 i;

	actconf_free();
	load_sitrep(cfg, m);
	for (i = 0; i < cfg->nsections; i++) {
		sec = &cfg->sections[i];
		if (strcmp(sec->type, "rollback") == 0)
			load_named(cfg, sec, &rollbacks, &nrollbacks,
			    rollback_vars, sizeof rollback_vars /
			    sizeof rollback_vars[0]);
		else if (strcmp(sec->type, "runbook") == 0)
			load_named(cfg, sec, &runbooks, &nrunbooks,
			    runbook_vars, sizeof runbook_vars /
			    sizeof runbook_vars[0]);
		else if (strcmp(sec->type, "environment") == 0)
			load_environment(cfg, sec);
	}
}

static void
named_free(struct named *v, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		free(v[i].name);
		free(v[i].command);
		free(v[i].service);
	}
	free(v);
}

void
actconf_free(void)
{
	size_t	i;

	named_free(rollbacks, nrollbacks);
	named_free(runbooks, nrunbooks);
	rollbacks = runbooks = NULL;
	nrollbacks = nrunbooks = 0;
	for (i = 0; i < nprotected; i++)
		free(protected_envs[i]);
	free(protected_envs);
	protected_envs = NULL;
	nprotected = 0;
	free(open_command);
	open_command = NULL;
	osc52 = false;
	read_only = false;
	free(timeline_file);
	timeline_file = NULL;
	free(status_template);
	status_template = NULL;
	timeline_max = 0;
	free(demo_self);
	demo_self = NULL;
}

void
actconf_demo(const char *self)
{
	xstrset(&demo_self, self);
}

/* A demo template's argv runs this very program. */
static char **
demo_argv(const char *tmpl, char **argv)
{
	if (argv != NULL && demo_self != NULL &&
	    (tmpl == demo_rollback || tmpl == demo_runbook)) {
		free(argv[0]);
		argv[0] = xstrdup(demo_self);
	}
	return (argv);
}

const char *
actconf_rollback(const char *service)
{
	size_t	i;

	for (i = 0; service != NULL && i < nrollbacks; i++) {
		if (strcmp(rollbacks[i].name, service) == 0)
			return (rollbacks[i].command);
	}
	for (i = 0; i < nrollbacks; i++) {
		if (strcmp(rollbacks[i].name, "*") == 0)
			return (rollbacks[i].command);
	}
	return (NULL);
}

const char *
actconf_demo_rollback(const struct deploy *d)
{
	if (demo_self == NULL || d->source == NULL ||
	    strncmp(d->source, "demo", 4) != 0)
		return (NULL);
	return (demo_rollback);
}

bool
actconf_protected(const char *env)
{
	size_t	i;

	for (i = 0; env != NULL && i < nprotected; i++) {
		if (strcmp(protected_envs[i], env) == 0)
			return (true);
	}
	return (false);
}

const char *
actconf_runbook(const struct alert *a, const char **name)
{
	const char	*alertname = kvlist_get(&a->labels, "alertname");
	size_t		 i;

	for (i = 0; i < nrunbooks; i++) {
		if ((alertname != NULL &&
		    strcmp(runbooks[i].name, alertname) == 0) ||
		    (a->title != NULL && strcmp(runbooks[i].name, a->title) == 0)) {
			*name = runbooks[i].name;
			return (runbooks[i].command);
		}
	}
	for (i = 0; a->service != NULL && i < nrunbooks; i++) {
		if (runbooks[i].service != NULL &&
		    strcmp(runbooks[i].service, a->service) == 0) {
			*name = runbooks[i].name;
			return (runbooks[i].command);
		}
	}
	/* The demo's runbook only where the config has none of its own (a
	 * config with runbooks keeps the links of the others). */
	if (demo_self != NULL && nrunbooks == 0 && alertname != NULL &&
	    a->source != NULL &&
	    strncmp(a->source, "demo", 4) == 0) {
		*name = alertname;
		return (demo_runbook);
	}
	return (NULL);
}

const char *
actconf_open_command(void)
{
	return (open_command);
}

const char *
actconf_status_template(void)
{
	return (status_template);
}

const char *
actconf_timeline(int64_t *max)
{
	*max = timeline_max > 0 ? timeline_max : TIMELINE_MAX_DEFAULT;
	return (timeline_file);
}

bool
actconf_read_only(void)
{
	return (read_only);
}

bool
actconf_osc52(void)
{
	return (osc52);
}

/* The flags for a template that actconf_rollback or actconf_runbook
 * returned: is it from a section that set allow_dash_values? */
static int
template_flags(const char *tmpl, const struct named *list, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		if (list[i].command == tmpl)
			return (list[i].dash_ok ? TEMPLATE_DASH_VALUES : 0);
	}
	return (0);
}

static const char *
env_of(const char *own, const char *console_env)
{
	return (own != NULL && *own != '\0' ? own : console_env);
}

char **
actconf_rollback_argv(const char *tmpl, const struct deploy *d,
    const char *console_env, char **err)
{
	const struct template_var v[] = {
		{ "service", d->service },
		{ "revision", d->revision },
		{ "previous_revision", d->previous_revision },
		{ "version", d->version },
		{ "environment", env_of(d->environment, console_env) },
		{ "author", d->author },
		{ "id", d->id },
	};

	return (demo_argv(tmpl, template_expand_flags(tmpl, v,
	    sizeof v / sizeof v[0], template_flags(tmpl, rollbacks,
	    nrollbacks), err)));
}

char **
actconf_runbook_argv(const char *tmpl, const struct alert *a,
    const char *console_env, char **err)
{
	const struct template_var v[] = {
		{ "service", a->service },
		{ "alertname", kvlist_get(&a->labels, "alertname") },
		{ "id", a->id },
		{ "severity", severity_name(a->severity) },
		{ "source", a->source },
		{ "environment", console_env },
		{ "title", a->title },
		{ "runbook_url", a->runbook_url },
	};

	return (demo_argv(tmpl, template_expand_flags(tmpl, v,
	    sizeof v / sizeof v[0], template_flags(tmpl, runbooks,
	    nrunbooks), err)));
}

/* SITREP_ALERT_<NAME>: upper case, anything else an underscore. */
static char *
env_name(const char *prefix, const char *key)
{
	char	*name = xasprintf("%s%s", prefix, key), *p;

	for (p = name + strlen(prefix); *p != '\0'; p++) {
		if (isalnum((unsigned char)*p))
			*p = (char)toupper((unsigned char)*p);
		else
			*p = '_';
	}
	return (name);
}

void
actconf_alert_env(const struct alert *a, const char *console_env,
    struct kvlist *env)
{
	char	*name;
	size_t	 i;

	kvlist_add_if(env, "SITREP_ENVIRONMENT", console_env);
	kvlist_add_if(env, "SITREP_SERVICE", a->service);
	kvlist_add_if(env, "SITREP_SOURCE", a->source);
	kvlist_add_if(env, "SITREP_ALERT_ID", a->id);
	kvlist_add_if(env, "SITREP_ALERT_TITLE", a->title);
	kvlist_add_if(env, "SITREP_ALERT_SEVERITY", severity_name(a->severity));
	kvlist_add_if(env, "SITREP_ALERT_STATUS", alert_status_name(a->status));
	kvlist_add_if(env, "SITREP_ALERT_URL", a->url);
	kvlist_add_if(env, "SITREP_RUNBOOK_URL", a->runbook_url);
	kvlist_add_if(env, "SITREP_DASHBOARD_URL", a->dashboard_url);
	kvlist_add_if(env, "SITREP_SUSPECT_DEPLOY", a->suspect);
	/* A label named like a fixed variable (id, status ...) must not
	 * change what the runbook is told about the alert: those win. */
	for (i = 0; i < a->labels.n; i++) {
		name = env_name("SITREP_ALERT_", a->labels.v[i].key);
		if (kvlist_get(env, name) == NULL)
			kvlist_add_if(env, name, a->labels.v[i].value);
		free(name);
	}
	for (i = 0; i < a->annotations.n; i++) {
		name = env_name("SITREP_ANNOTATION_", a->annotations.v[i].key);
		kvlist_add_if(env, name, a->annotations.v[i].value);
		free(name);
	}
}

void
actconf_deploy_env(const struct deploy *d, const char *console_env,
    struct kvlist *env)
{
	kvlist_add_if(env, "SITREP_ENVIRONMENT", env_of(d->environment,
	    console_env));
	kvlist_add_if(env, "SITREP_SERVICE", d->service);
	kvlist_add_if(env, "SITREP_SOURCE", d->source);
	kvlist_add_if(env, "SITREP_DEPLOY_ID", d->id);
	kvlist_add_if(env, "SITREP_DEPLOY_VERSION", d->version);
	kvlist_add_if(env, "SITREP_DEPLOY_REVISION", d->revision);
	kvlist_add_if(env, "SITREP_DEPLOY_PREVIOUS_REVISION",
	    d->previous_revision);
	kvlist_add_if(env, "SITREP_DEPLOY_AUTHOR", d->author);
	kvlist_add_if(env, "SITREP_DEPLOY_URL", d->url);
}
