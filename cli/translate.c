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
#include <unistd.h>
#include "cli/cli.h"
#include "cli/diag.h"
#include "parser/parser.h"
#include "parser/savefile.h"
#include "parser/script.h"
#include "ir/build.h"
#include "backend/nft/nft.h"
#include "ir/ext/lib/xt.h"

int nc_cli_translate(int argc, char **argv, const char *prog, uint8_t family)
{
	struct nc_err err = { 0 };
	struct nc_buf out = { 0 };
	struct nc_job *job = NULL;
	struct nc_cmd *cmd;
	char *text = NULL, why[256] = "";
	int status = 0;

	nc_xt_system_libdir();	/* reading runs no code from elsewhere */
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
	/* before the translation: iptables-translate prints them as it
	 * parses */
	nc_diag_warnings(stderr, prog, &err, NULL, NULL);
	fwrite(nc_buf_str(&out), 1, out.len, stdout);
	if (status)
		fprintf(stderr, "%s\n", why);
	if (err.status != NC_OK)
		status = nc_diag_print(stderr, prog, &err, NULL, NULL);
out:
	nc_diag_warnings(stderr, prog, &err, NULL, NULL);	/* those not yet */
	if (fflush(stdout) != 0 && !status)
		status = NC_EOTHER;
	nc_job_free(job);
	nc_cmd_free(cmd);
	nc_buf_free(&out);
	free(text);
	return status;
}

/* --- natc-restore-translate ----------------------------------------- */

/* A line not translated: FILE:LINE: why (the first line of it). */
static void report(void *arg, uint32_t line, const char *why)
{
	const char *file = arg;
	size_t w = strspn(why, "\n ");
	int wl = (int)strcspn(why + w, "\n");

	if (line)
		fprintf(stderr, "%s:%u: %.*s\n", file, line, wl, why + w);
	else
		fprintf(stderr, "%s: %.*s\n", file, wl, why + w);
}

/* A warning at its line, with the line and a caret where its columns
 * are the line's. */
static void warn(void *arg, const struct nc_warn *w, const char *line, size_t len)
{
	nc_diag_warn_line(stderr, w, arg, line, len);
}

/* One input into the script: 0, 1 (a nat line not translated), -1 with
 * @err (out of memory, or the input could not be read). */
static int translate_file(struct nc_nft_script *s, FILE *f, const char *file,
			  const char *prog, uint8_t family, bool noflush,
			  struct nc_err *err)
{
	struct nc_save_parts parts = { 0 };
	struct nc_nft_input in = {
		.family = family, .prog = prog, .noflush = noflush,
		.report = report, .warn = warn, .arg = (void *)file, .parts_out = &parts,
	};
	struct nc_input input;
	char iface[16];
	int rc;

	in.interface = nc_wg_interface(file, iface);
	if (nc_input_read(&input, f) < 0)
		return nc_err_set(err, errno == ENOMEM ? NC_ERESOURCE : NC_EOTHER, NULL,
				  "%s", strerror(errno));
	rc = nc_nft_script_read(s, input.text, input.len, &in, err);
	if (getenv("NATC_PARTS") && parts.n) {
		/* for the tests: where the parts started */
		fprintf(stderr, "%s: %u parts at lines", prog, parts.n);
		for (unsigned k = 0; k < parts.n; k++)
			fprintf(stderr, " %u", parts.first[k]);
		fputc('\n', stderr);
	}
	nc_input_free(&input);
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
	struct nc_nft_script *script;
	bool noflush = false, failed = false;
	struct nc_buf out = { 0 };
	const char **files = calloc((size_t)argc + 1, sizeof(*files));
	size_t nfiles = 0;
	int c, status = 0;

	if (!files)
		return NC_ERESOURCE;
	nc_xt_system_libdir();	/* reading runs no code from elsewhere */
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":f:nhV", longopts, NULL)) != -1) {
		switch (c) {
		case 'f': files[nfiles++] = optarg; break;
		case 'n': noflush = true; break;
		case 'h':
			printf("Usage: %s [-n] [-f FILE]...\n\nTranslates iptables-save "
			       "files and shell scripts of iptables commands (the nat\n"
			       "table) into one nft script that can be loaded again and "
			       "again (nft -f);\nstandard input without -f.  What is not "
			       "translated is reported as FILE:LINE\nand kept as a comment.\n"
			       "  -n, --noflush   a save file adds to the table instead of "
			       "replacing it\n"
			       "A line longer than 32768 bytes or holding a NUL byte, and a "
			       "script whose\nvariables or words pass 32768 bytes or whose "
			       "expansions pass 64 MiB, are\nrefused at their line.  "
			       "Extensions are loaded from libxtables' own\ndirectory "
			       "only: XTABLES_LIBDIR is ignored (docs/limits.md).\n", prog);
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
	script = nc_nft_script_new(family);
	if (!script) {
		free(files);
		return NC_ERESOURCE;
	}
	for (size_t i = 0; i < (nfiles ? nfiles : 1) && !status; i++) {
		const char *file = nfiles && strcmp(files[i], "-") ? files[i] : "<stdin>";
		struct nc_err err = { 0 };
		FILE *f = stdin;
		int rc;

		if (nfiles && strcmp(files[i], "-") && !(f = fopen(files[i], "r"))) {
			fprintf(stderr, "%s: Can't open %s: %s\n", prog, files[i],
				strerror(errno));
			status = NC_EOTHER;
			break;
		}
		rc = translate_file(script, f, file, prog, family, noflush, &err);
		nc_diag_warnings(stderr, prog, &err, file, NULL);	/* those lost */
		if (rc < 0 && err.loc.line) {
			/* the input refused at its place (a NUL byte, a line
			 * too long, a script past its limits) */
			if (err.loc.first_col)
				fprintf(stderr, "%s:%u:%u: error: %s\n", file, err.loc.line,
					err.loc.first_col, err.msg);
			else
				fprintf(stderr, "%s:%u: error: %s\n", file, err.loc.line,
					err.msg);
		} else if (rc < 0) {
			fprintf(stderr, "%s: %s: %s\n", prog, file, err.msg);
		}
		if (rc < 0)
			status = err.status == NC_ERESOURCE ? NC_ERESOURCE :
				 err.input_refused ? NC_EPARAM : NC_EOTHER;
		failed |= rc > 0;
		if (f != stdin)
			fclose(f);
	}
	if (!status)
		failed |= nc_nft_script_finish(script) > 0;
	if (!status) {
		nc_buf_printf(&out, "# Translated by %s v%s\n", prog, NATC_VERSION);
		if (nc_buf_failed(&out) ||
		    nc_nft_script_write(script, nc_buf_str(&out), stdout) < 0)
			status = ferror(stdout) ? NC_EOTHER : NC_ERESOURCE;
		if (fflush(stdout) != 0)
			status = NC_EOTHER;
	}
	if (!status && failed)
		status = NC_EOTHER;
	nc_buf_free(&out);
	nc_nft_script_free(script);
	free(files);
	return status;
}
