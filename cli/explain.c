// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * natc --explain [--json|--dot] [--packet SPEC] [--live] [--exit-zero]
 *        [-t nat] [FILE... | -A/-I rule-specification]
 * Audits a nat ruleset in plain language; never changes the kernel.
 * Files are save files or shell scripts; a command is explained in the
 * context of the live table; nothing means the live nat table of this
 * namespace.  Exit status: 0 no finding of severity warning or error
 * (or --exit-zero), 1 some, 2 bad input, 4 the kernel could not be read.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cli/cli.h"
#include "cli/diag.h"
#include "ir/chains.h"
#include "parser/parser.h"
#include "ir/build.h"
#include "backend/netlink/nl.h"
#include "backend/explain/explain.h"

struct xopts {
	bool json, dot, live, exit_zero;
	bool flagged;		/* a finding of severity warning or error */
	const char *packet;
	char **rest;
	int nrest;
};

static int usage_err(struct nc_err *err, const char *what)
{
	return nc_err_param(err, NULL, "--explain: %s", what);
}

static int parse_opts(int argc, char **argv, struct xopts *o, struct nc_err *err)
{
	o->rest = calloc((size_t)argc + 1, sizeof(*o->rest));
	if (!o->rest)
		return nc_err_set(err, NC_ERESOURCE, NULL, "out of memory");
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "--explain") || !strcmp(a, "--xt"))
			continue;
		if (!strcmp(a, "--json"))
			o->json = true;
		else if (!strcmp(a, "--dot"))
			o->dot = true;
		else if (!strcmp(a, "--live"))
			o->live = true;
		else if (!strcmp(a, "--exit-zero"))
			o->exit_zero = true;
		else if (!strncmp(a, "--packet=", 9))
			o->packet = a + 9;
		else if (!strcmp(a, "--packet")) {
			if (++i >= argc)
				return usage_err(err, "--packet needs \"PROTO SRC:PORT -> DST:PORT in|out IFACE\"");
			o->packet = argv[i];
		} else
			o->rest[o->nrest++] = argv[i];
	}
	if (o->json && o->dot)
		return usage_err(err, "--json and --dot do not go together");
	return 0;
}

/* "-t nat" / "--table nat" / "-tnat" at the front of a file list. */
static int strip_table(struct xopts *o, struct nc_err *err)
{
	const char *t = NULL;
	int skip = 0;

	if (o->nrest >= 2 && (!strcmp(o->rest[0], "-t") || !strcmp(o->rest[0], "--table"))) {
		t = o->rest[1];
		skip = 2;
	} else if (o->nrest >= 1 && !strncmp(o->rest[0], "-t", 2) && o->rest[0][2]) {
		t = o->rest[0] + 2;
		skip = 1;
	}
	if (!t)
		return 0;
	if (strcmp(t, NC_TABLE_NAT))
		return nc_err_param(err, NULL,
			"table `%s' is not handled by natc: it manages the nat table only", t);
	o->rest += skip;
	o->nrest -= skip;
	return skip;
}

static bool is_command(const struct xopts *o)
{
	for (int i = 0; i < o->nrest; i++) {
		const char *a = o->rest[i];

		if (a[0] == '-' && a[1] && strcmp(a, "-t") && strncmp(a, "--table", 7))
			return true;
	}
	return false;
}

/* The command's rules into the live ruleset @rs; they are marked later. */
static int add_command(struct xopts *o, struct nc_ruleset *rs, struct nc_job **jobp,
		       struct nc_err *err)
{
	char *text = NULL;
	struct nc_cmd *cmd = nc_parse_argv(o->nrest, o->rest, &text, err);
	struct nc_job *j = cmd ? nc_build(cmd, rs->family, err) : NULL;
	struct nc_chain *c;
	size_t pos;
	int rc = -1;

	*jobp = j;
	if (!j)
		goto out;
	if (j->kind != NC_CMD_APPEND && j->kind != NC_CMD_INSERT) {
		usage_err(err, "a command to explain is -A or -I");
		goto out;
	}
	c = nc_ruleset_find_chain(rs, j->chain);
	if (!c) {
		nc_err_set(err, NC_EOTHER, NULL, "Chain '%s' does not exist", j->chain);
		goto out;
	}
	/* where they go, as natc-restore and the loader put them */
	if (nc_chains_add_pos(j, c->nrules, &pos, NULL, err) < 0)
		goto out;
	for (size_t i = 0; i < j->nrules; i++) {
		if (nc_chain_insert(c, j->kind == NC_CMD_APPEND ? c->nrules : pos,
				    j->rules[i]) < 0) {
			/* nc_chain_insert() takes the rule even when it fails
			 * (ir/ir.h) and has freed it: the job must not free
			 * it again.  The rules after it are still the job's. */
			j->rules[i] = NULL;
			nc_err_set(err, NC_ERESOURCE, NULL, "out of memory");
			goto out;
		}
		/* the chain owns it now; the job keeps a borrowed pointer,
		 * which nc_cli_explain() drops before freeing the job */
	}
	rc = 0;
out:
	nc_cmd_free(cmd);
	free(text);
	return rc;
}

/* Free the command's job: the rules the ruleset took are the ruleset's
 * (the job kept borrowed pointers to them, to mark them new). */
static void job_free(struct nc_job *job, const struct nc_ruleset *rs)
{
	if (!job)
		return;
	for (size_t i = 0; rs && i < job->nrules; i++)
		for (size_t c = 0; c < rs->nchains; c++)
			for (size_t k = 0; k < rs->chains[c]->nrules; k++)
				if (rs->chains[c]->rules[k] == job->rules[i])
					job->rules[i] = NULL;
	nc_job_free(job);
}

static int explain_one(struct nc_ruleset *rs, const char *file, const char *source,
		       struct xopts *o, const struct nc_xp_live *live,
		       const struct nc_xp_live *ctx,
		       const struct nc_job *j, char **notes, size_t nnotes,
		       struct nc_err *err)
{
	struct nc_xp xp;
	struct nc_buf out = { 0 };
	int rc = 0;

	if (nc_xp_init(&xp, rs, live) < 0) {
		nc_xp_free(&xp);
		return nc_err_set(err, NC_ERESOURCE, NULL, "out of memory");
	}
	xp.file = file;
	xp.ctx = ctx;
	xp.source = source;
	for (size_t i = 0; j && i < xp.nrules; i++)
		for (size_t k = 0; k < j->nrules; k++)
			if (xp.rules[i].r == j->rules[k])
				xp.rules[i].is_new = true;
	for (size_t i = 0; i < nnotes; i++)
		nc_xp_note(&xp, "%s", notes[i]);
	nc_xp_check(&xp);
	for (size_t i = 0; i < xp.nf; i++)
		if (xp.f[i].sev >= NC_XP_WARNING)
			o->flagged = true;
	if (o->packet && nc_xp_trace(&xp, o->packet, err) < 0)
		rc = -1;
	if (!rc) {
		if (o->json)
			nc_xp_print_json(&xp, &out);
		else if (o->dot)
			nc_xp_print_dot(&xp, &out);
		else
			nc_xp_print_text(&xp, isatty(STDOUT_FILENO) && !getenv("NO_COLOR"), &out);
		if (xp.failed || nc_buf_failed(&out))
			rc = nc_err_set(err, NC_ERESOURCE, NULL, "out of memory");
		else if (out.len)
			fwrite(out.s, 1, out.len, stdout);
	}
	nc_buf_free(&out);
	nc_xp_free(&xp);
	return rc;
}

int nc_cli_explain(int argc, char **argv, const char *prog, uint8_t family)
{
	struct xopts o = { 0 };
	struct nc_err err = { 0 };
	struct nc_xp_live live = { 0 };
	struct nc_ruleset *rs = NULL;
	struct nc_job *job = NULL;
	struct nc_nl *nl = NULL;
	char **rest0 = NULL;
	const char *errfile = NULL;
	bool use_live, have_live = false;
	int status = 0, skipped;

	skipped = parse_opts(argc, argv, &o, &err);
	rest0 = o.rest;		/* freed at out, on an error too */
	if (skipped < 0)
		goto out;
	skipped = is_command(&o) ? 0 : strip_table(&o, &err);
	if (skipped < 0)
		goto out;
	use_live = o.live || !o.nrest || is_command(&o);
	if (use_live || o.packet) {
		if (nc_xp_live_read(&live) < 0) {
			nc_err_set(&err, NC_ERESOURCE, NULL, "out of memory");
			goto out;
		}
		have_live = true;
	}
	if (!o.nrest || is_command(&o)) {
		nl = nc_nl_open(family, NC_TABLE_NAT, &err);
		if (!nl || nc_nl_dump(nl, NULL, true, &rs, &err) < 0 ||
		    nc_ruleset_add_builtins(rs) < 0) {
			if (err.status == NC_OK)
				nc_err_set(&err, NC_ERESOURCE, NULL, "out of memory");
			goto out;
		}
		if (o.nrest && add_command(&o, rs, &job, &err) < 0)
			goto out;
		nc_diag_warnings(stderr, prog, &err, NULL, NULL);
		explain_one(rs, NULL, o.nrest ?
			    "the command line's rule, in the live nat table of this network namespace" :
			    "the live nat table of this network namespace",
			    &o, have_live ? &live : NULL, have_live ? &live : NULL, job,
			    NULL, 0, &err);
		goto out;
	}
	for (int i = 0; i < o.nrest && err.status == NC_OK; i++) {
		char source[4096], **notes = NULL;
		size_t nnotes = 0;

		errfile = o.rest[i];
		rs = nc_xp_load_file(o.rest[i], family, &notes, &nnotes, &err);
		if (!rs)
			break;	/* printed with the error, at this file */
		/* at this file's lines, before what is said about it */
		nc_diag_warnings(stderr, prog, &err, o.rest[i], NULL);
		snprintf(source, sizeof(source), "file %s%s", o.rest[i],
			 o.live ? ", with this host's live state" : "");
		if (i && !o.json && !o.dot)
			fputc('\n', stdout);
		explain_one(rs, o.rest[i], source, &o, o.live ? &live : NULL,
			    have_live ? &live : NULL, NULL, notes, nnotes, &err);
		for (size_t k = 0; k < nnotes; k++)
			free(notes[k]);
		free(notes);
		nc_ruleset_free(rs);
		rs = NULL;
	}
	if (err.status == NC_OK)
		errfile = NULL;
out:
	/* as linters do: 1 for what the audit found, 2 for bad input (a
	 * file natc cannot read is one), 4 for the kernel */
	if (err.status != NC_OK)
		status = nc_diag_print(stderr, prog, &err, errfile && err.loc.line ? errfile : NULL, NULL);
	else	/* the command line's */
		nc_diag_warnings(stderr, prog, &err, NULL, NULL);
	if (status == NC_EOTHER)
		status = NC_EPARAM;
	if (fflush(stdout) != 0 && !status)
		status = NC_ERESOURCE;
	if (!status && o.flagged && !o.exit_zero)
		status = 1;
	job_free(job, rs);
	nc_ruleset_free(rs);
	nc_nl_close(nl);
	if (have_live)
		nc_xp_live_free(&live);
	free(rest0);
	return status;
}
