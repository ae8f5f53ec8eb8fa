// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * natc-translate: one command as iptables-translate 1.8.9 writes it, one
 * "nft ..." line per nft command.  Where iptables-translate is wrong natc
 * writes what is right: "-I CHAIN N" keeps its position (nft's "index"),
 * "-X" alone, "-D" and "-R" are refused rather than written as broken nft
 * commands, "-P CHAIN ACCEPT" and "-E" have their nft commands.
 */
#include <stdio.h>
#include <string.h>
#include "backend/nft/nft.h"

static int not_implemented(struct nc_buf *out, char *why, size_t whylen)
{
	nc_buf_puts(out, "nft ");
	snprintf(why, whylen, "Translation not implemented");
	return 1;
}

static int rules(const struct nc_job *job, const char *fam, const char *args,
		 struct nc_buf *out, char *why, size_t whylen)
{
	for (size_t i = 0; i < job->nrules; i++) {
		const char *verb = "add";
		size_t mark = out->len;

		if (job->kind == NC_CMD_INSERT && job->rulenum <= 1)
			verb = "insert";
		nc_buf_printf(out, "nft '%s rule %s nat %s ", verb, fam, job->chain);
		/* -I N: after the rule at 0-based index N-2 (the new rule
		 * becomes the Nth), each rule of a comma list in turn, as
		 * iptables inserts them */
		if (job->kind == NC_CMD_INSERT && job->rulenum > 1)
			nc_buf_printf(out, "index %zu ", job->rulenum - 2);
		if (nc_nft_rule(job->rules[i], out, why, whylen) < 0) {
			/* iptables-translate's form for what it cannot do */
			out->len = mark;
			out->s[mark] = '\0';
			nc_buf_printf(out, "nft # %s \n", args);
			return 1;
		}
		nc_buf_puts(out, "'\n");
	}
	return 0;
}

int nc_nft_job(const struct nc_job *job, const char *args, struct nc_buf *out,
	       char *why, size_t whylen)
{
	const char *fam = nc_nft_family(job->family);

	if (nc_nft_names_check(job, why, whylen)) {
		/* iptables-translate writes the name bare, which nft refuses */
		nc_buf_printf(out, "nft # %s \n", args);
		return 1;
	}
	switch (job->kind) {
	case NC_CMD_APPEND:
	case NC_CMD_INSERT:
		return rules(job, fam, args, out, why, whylen);
	case NC_CMD_NEW_CHAIN:
		nc_buf_printf(out, "nft add chain %s nat %s\n", fam, job->chain);
		return 0;
	case NC_CMD_FLUSH:
		if (job->chain[0])
			nc_buf_printf(out, "nft flush chain %s nat %s\n", fam, job->chain);
		else
			nc_buf_printf(out, "nft flush table %s nat\n", fam);
		return 0;
	case NC_CMD_DELETE_CHAIN:
		if (!job->chain[0])	/* iptables-translate: "... nat (null)" */
			return not_implemented(out, why, whylen);
		nc_buf_printf(out, "nft delete chain %s nat %s\n", fam, job->chain);
		return 0;
	case NC_CMD_LIST:
		if (job->chain[0])
			nc_buf_printf(out, "nft list chain %s nat %s\n", fam, job->chain);
		else
			nc_buf_printf(out, "nft list table %s nat\n", fam);
		return 0;
	case NC_CMD_POLICY:	/* only ACCEPT gets here in nat */
		nc_buf_printf(out, "nft 'add chain %s nat %s", fam, job->chain);
		nc_nft_chain_decl(job->chain, out);
		nc_buf_puts(out, "'\n");
		return 0;
	case NC_CMD_RENAME_CHAIN:
		nc_buf_printf(out, "nft rename chain %s nat %s %s\n", fam, job->chain,
			      job->newname);
		return 0;
	default:	/* -D -R -C -Z -S: nft needs handles, or has no such
			 * command */
		return not_implemented(out, why, whylen);
	}
}
