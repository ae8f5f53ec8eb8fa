// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * natc-translate: one iptables command as nft commands, compatible with
 * iptables-translate; natc-restore-translate: save files and shell scripts
 * as one idempotent nft script (backend/nft).
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli/cli.h"
#include "cli/diag.h"
#include "parser/parser.h"
#include "parser/script.h"
#include "ir/build.h"
#include "backend/nft/nft.h"

int nc_cli_translate(int argc, char **argv, const char *prog, uint8_t family)
{
	struct nc_err err = { 0 };
	struct nc_buf out = { 0 };
	struct nc_job *job = NULL;
	struct nc_cmd *cmd;
	char *text = NULL, why[256] = "";
	int status = 0;

	cmd = nc_parse_argv(argc - 1, argv + 1, &text, &err);
	if (cmd && cmd->kind == NC_CMD_HELP && !cmd->conflict) {
		printf("%s v%s (nf_tables)\n\nUsage: %s -[AIDNFXPELRS] chain ... "
		       "(an iptables -t nat command)\nwrites the nft commands "
		       "doing the same, as iptables-translate does.\n",
		       prog, NATC_VERSION, prog);
		goto out;
	}
	if (cmd && cmd->kind == NC_CMD_VERSION && !cmd->conflict) {
		printf("%s v%s (nf_tables)\n", prog, NATC_VERSION);
		goto out;
	}
	if (cmd)
		job = nc_build(cmd, family, &err);
	if (job && job->kind == NC_CMD_POLICY && job->policy != NF_ACCEPT) {
		nc_err_param(&err, NULL, NC_MSG_DROP);
		nc_job_free(job);
		job = NULL;
	}
	if (job && nc_nft_job(job, text, &out, why, sizeof(why)) != 0)
		status = NC_EOTHER;
	fwrite(nc_buf_str(&out), 1, out.len, stdout);
	if (status)
		fprintf(stderr, "%s\n", why);
	if (err.status != NC_OK)
		status = nc_diag_print(stderr, prog, &err, NULL, NULL);
out:
	if (fflush(stdout) != 0 && !status)
		status = NC_EOTHER;
	nc_job_free(job);
	nc_cmd_free(cmd);
	nc_buf_free(&out);
	free(text);
	return status;
}

/* --- natc-restore-translate ----------------------------------------- */

struct tr {
	struct nc_nft_script *s;
	uint8_t family;
	bool noflush;
	const char *file;
	const char *copy;	/* the input as read, for the lines kept */
	size_t len;
	size_t *off;		/* where each line starts (0-based index) */
	uint32_t nlines;
	uint32_t done;		/* lines up to this one are handled */
	uint32_t base;		/* line number the parser's line 1 is */
	bool in_table, skip_table;
	bool script;		/* a shell script: its reader says it all */
	char table[32];
	bool nat_failed;	/* an iptables nat command not translated */
	bool fatal;		/* out of memory */
};

static const char *line_text(const struct tr *t, uint32_t line, size_t *len)
{
	size_t a, b;

	if (line < 1 || line > t->nlines) {
		*len = 0;
		return "";
	}
	a = t->off[line - 1];
	b = line < t->nlines ? t->off[line] - 1 : t->len;
	if (b > a && t->copy[b - 1] == '\n')
		b--;
	if (b > a && t->copy[b - 1] == '\r')
		b--;
	*len = b - a;
	return t->copy + a;
}

/* Report line @line and keep it as a comment. */
static void report(struct tr *t, uint32_t line, const char *why, bool nat)
{
	struct nc_buf b = { 0 };
	size_t len;
	const char *l = line_text(t, line, &len);
	size_t w = strspn(why, "\n ");
	int wl = (int)strcspn(why + w, "\n");

	fprintf(stderr, "%s:%u: %.*s\n", t->file, line, wl, why + w);
	nc_buf_printf(&b, "# %.*s", (int)len, l);
	if (nc_buf_failed(&b) || nc_nft_script_note(t->s, nc_buf_str(&b), b.len) < 0)
		t->fatal = true;
	nc_buf_free(&b);
	if (nat)
		t->nat_failed = true;
}

/* Lines before @line no callback saw: comments are kept, lines of a
 * table left out and lines the parser skipped are reported. */
static void catch_up(struct tr *t, uint32_t line)
{
	for (uint32_t l = t->done + 1; !t->script && l < line && l <= t->nlines; l++) {
		size_t len;
		const char *s = line_text(t, l, &len);
		size_t lead = 0;

		while (lead < len && (s[lead] == ' ' || s[lead] == '\t'))
			lead++;
		if (lead == len)
			continue;
		if (s[lead] == '#') {
			if (nc_nft_script_note(t->s, s, len) < 0)
				t->fatal = true;
		} else if (t->skip_table) {
			report(t, l, "not the nat table: natc translates the nat table only",
			       false);
		} else {
			report(t, l, "line not read (not for iptables)", false);
		}
	}
	if (line > t->done)
		t->done = line;
}

static int on_table(void *user, const char *name, const struct nc_loc *loc)
{
	struct tr *t = user;
	uint32_t l = t->base + loc->line - 1;

	catch_up(t, l);
	snprintf(t->table, sizeof(t->table), "%s", name);
	t->in_table = true;
	t->skip_table = strcmp(name, NC_TABLE_NAT) != 0;
	if (t->skip_table) {
		report(t, l, "not the nat table: natc translates the nat table only", false);
		return 1;
	}
	if (!t->noflush)
		nc_nft_script_replace_table(t->s);
	return 0;
}

static int on_chain(void *user, const char *name, const char *policy,
		    const char *counters, const struct nc_loc *loc)
{
	struct tr *t = user;
	uint32_t l = t->base + loc->line - 1;
	char why[256];

	catch_up(t, l);
	if (!t->in_table) {
		report(t, l, "chain line outside a table", true);
		return 0;
	}
	if (policy && strcmp(policy, "-") && strcmp(policy, "ACCEPT")) {
		report(t, l, nc_builtin_find(name) ? NC_MSG_DROP :
		       "Bad built-in chain name", true);
		return 0;
	}
	if (nc_nft_script_chain(t->s, name, why, sizeof(why)) < 0)
		t->fatal = true;
	return t->fatal ? -1 : 0;
}

static int on_commit(void *user, const struct nc_loc *loc)
{
	struct tr *t = user;
	uint32_t l = t->base + loc->line - 1;

	catch_up(t, l);
	if (t->skip_table)
		report(t, l, "not the nat table: natc translates the nat table only", false);
	if (!t->in_table)
		report(t, l, "COMMIT outside a table", true);
	t->in_table = t->skip_table = false;
	return 0;
}

/* A command of the nat table: built and applied to the model. */
static void translate(struct tr *t, const struct nc_cmd *cmd, uint32_t l, const char *src)
{
	struct nc_err err = { 0 };
	struct nc_job *job = nc_build(cmd, t->family, &err);
	char why[256] = "";
	int rc;

	if (!job) {
		report(t, l, err.msg, true);
		return;
	}
	rc = nc_nft_script_job(t->s, job, src, why, sizeof(why));
	if (rc < 0)
		t->fatal = true;
	else if (rc > 0) {
		fprintf(stderr, "%s:%u: %s\n", t->file, l, why);
		t->nat_failed = true;
	}
	nc_job_free(job);
}

static int on_command(void *user, struct nc_cmd *cmd, const char *counters)
{
	struct tr *t = user;
	uint32_t l = t->base + cmd->loc.line - 1;
	size_t len;
	const char *s;
	char *src;

	catch_up(t, l);
	if (!t->in_table) {
		report(t, l, "no table: a `*nat' line must come first", true);
		nc_cmd_free(cmd);
		return 0;
	}
	s = line_text(t, l, &len);
	src = strndup(s, len);
	if (!src) {
		nc_cmd_free(cmd);
		return -1;
	}
	translate(t, cmd, l, src);
	free(src);
	nc_cmd_free(cmd);
	return t->fatal ? -1 : 0;
}

static const struct nc_file_ops save_ops = {
	.table = on_table, .chain = on_chain, .commit = on_commit,
	.command = on_command,
};

/* A save file; after a line the parser refuses, reading goes on with the
 * next line. */
static int read_save(struct tr *t, char *text, size_t len)
{
	uint32_t start = 1;

	while (start <= t->nlines) {
		struct nc_err err = { 0 };
		size_t off = t->off[start - 1];
		uint32_t bad;

		t->base = start;
		if (nc_parse_file(text + off, len - off, &save_ops, t, &err) == 0)
			break;
		if (t->fatal || err.status == NC_ERESOURCE || !err.loc.line)
			return -1;
		bad = t->base + err.loc.line - 1;
		catch_up(t, bad);
		report(t, bad, err.msg, t->in_table && !t->skip_table);
		start = bad + 1;
	}
	catch_up(t, t->nlines + 1);
	if (t->in_table && !t->skip_table) {
		fprintf(stderr, "%s:%u: COMMIT expected: table `%s' is not committed\n",
			t->file, t->nlines, t->table);
		t->nat_failed = true;
	}
	return 0;
}

/* --- shell scripts --- */

static bool table_is_nat(const struct nc_cmd *cmd, const char **table)
{
	*table = "filter";	/* iptables' default */
	for (size_t i = 0; i < cmd->nopts; i++)
		if (cmd->opts[i].kind == NC_OPT_TABLE && cmd->opts[i].arg)
			*table = cmd->opts[i].arg;
	return !strcmp(*table, NC_TABLE_NAT);
}

static int sh_command(void *user, int argc, char **argv, uint32_t line)
{
	struct tr *t = user;
	struct nc_err err = { 0 };
	struct nc_cmd *cmd;
	char *text = NULL, *src = NULL;
	const char *table;

	catch_up(t, line);
	cmd = nc_parse_argv(argc, argv, &text, &err);
	if (!text)
		return -1;
	if (asprintf(&src, "iptables %s", text) < 0) {
		src = NULL;
		t->fatal = true;
	} else if (!cmd) {
		report(t, line, err.msg, true);
	} else if (!table_is_nat(cmd, &table)) {
		char why[96];

		snprintf(why, sizeof(why), "table `%s': natc translates the nat table only",
			 table);
		report(t, line, why, false);
	} else {
		translate(t, cmd, line, src);
	}
	nc_cmd_free(cmd);
	free(text);
	free(src);
	return t->fatal ? -1 : 0;
}

static int sh_comment(void *user, const char *text, size_t len, uint32_t line)
{
	struct tr *t = user;

	catch_up(t, line);
	if (nc_nft_script_note(t->s, text, len) < 0)
		return -1;
	return 0;
}

static int sh_skipped(void *user, uint32_t line, const char *why, bool iptables)
{
	struct tr *t = user;

	catch_up(t, line);
	report(t, line, why, iptables);
	return t->fatal ? -1 : 0;
}

static const struct nc_script_ops script_ops = {
	.command = sh_command, .comment = sh_comment, .skipped = sh_skipped,
};

static int translate_file(struct tr *t, FILE *f)
{
	size_t len = 0, n = 0;
	char *text = nc_read_all(f, &len), *copy = NULL;
	int rc = -1;

	if (!text)
		return -1;
	copy = malloc(len + 1);
	t->off = malloc((len / 2 + 2) * sizeof(*t->off));
	if (!copy || !t->off)
		goto out;
	memcpy(copy, text, len + 1);
	t->copy = copy;
	t->len = len;
	for (size_t i = 0; i < len; n++) {
		const char *nl = memchr(text + i, '\n', len - i);

		t->off[n] = i;
		i = nl ? (size_t)(nl - text) + 1 : len;
	}
	t->nlines = (uint32_t)n;
	t->done = 0;
	t->in_table = t->skip_table = false;
	t->script = nc_text_is_script(text, len);
	if (t->script) {
		rc = nc_parse_script(text, len, &script_ops, t);
		if (rc == 0)
			catch_up(t, t->nlines + 1);
	} else {
		rc = read_save(t, text, len);
	}
out:
	free(t->off);
	t->off = NULL;
	free(copy);
	free(text);
	return rc;
}

int nc_cli_restore_translate(int argc, char **argv, const char *prog, uint8_t family)
{
	static const struct option longopts[] = {
		{ "file", required_argument, NULL, 'f' },
		{ "noflush", no_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	struct tr t = { .family = family };
	struct nc_buf out = { 0 };
	const char **files = calloc((size_t)argc + 1, sizeof(*files));
	size_t nfiles = 0;
	int c, status = 0;

	if (!files)
		return NC_ERESOURCE;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":f:nhV", longopts, NULL)) != -1) {
		switch (c) {
		case 'f': files[nfiles++] = optarg; break;
		case 'n': t.noflush = true; break;
		case 'h':
			printf("Usage: %s [-n] [-f FILE]...\n\nTranslates iptables-save "
			       "files and shell scripts of iptables commands (the nat\n"
			       "table) into one nft script that can be loaded again and "
			       "again (nft -f);\nstandard input without -f.  What is not "
			       "translated is reported as FILE:LINE\nand kept as a comment.\n"
			       "  -n, --noflush   a save file adds to the table instead of "
			       "replacing it\n", prog);
			free(files);
			return 0;
		case 'V':
			printf("%s v%s (nf_tables)\n", prog, NATC_VERSION);
			free(files);
			return 0;
		default:
			fprintf(stderr, "%s v%s (nf_tables): unknown option \"%s\"\n",
				prog, NATC_VERSION, argv[optind - 1]);
			free(files);
			return NC_EPARAM;
		}
	}
	for (; optind < argc; optind++)
		files[nfiles++] = argv[optind];
	t.s = nc_nft_script_new(family);
	if (!t.s) {
		free(files);
		return NC_ERESOURCE;
	}
	for (size_t i = 0; i < (nfiles ? nfiles : 1) && !status; i++) {
		FILE *f = stdin;

		t.file = nfiles && strcmp(files[i], "-") ? files[i] : "<stdin>";
		if (nfiles && strcmp(files[i], "-") && !(f = fopen(files[i], "r"))) {
			fprintf(stderr, "%s: Can't open %s: %s\n", prog, files[i],
				strerror(errno));
			status = NC_EOTHER;
			break;
		}
		if (translate_file(&t, f) < 0) {
			fprintf(stderr, "%s: %s: %s\n", prog, t.file,
				t.fatal || errno == ENOMEM ? "out of memory" : strerror(errno));
			status = NC_ERESOURCE;
		}
		if (f != stdin)
			fclose(f);
	}
	if (!status) {
		nc_buf_printf(&out, "# Translated by %s v%s\n", prog, NATC_VERSION);
		if (nc_nft_script_write(t.s, &out) < 0)
			status = NC_ERESOURCE;
		else
			fwrite(out.s, 1, out.len, stdout);
		if (fflush(stdout) != 0)
			status = NC_EOTHER;
	}
	if (!status && t.nat_failed)
		status = NC_EOTHER;
	nc_buf_free(&out);
	nc_nft_script_free(t.s);
	free(files);
	return status;
}
