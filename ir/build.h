/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The build pass: a parsed command (struct nc_cmd) becomes a checked job,
 * with iptables' rules for which options go with which command and its
 * messages.  Rules are fully built here; whatever needs the kernel's state
 * (does the chain exist, is the rule there) is the backend's to answer.
 *
 * A job owns its rules; free it with nc_job_free().
 */
#ifndef NATC_BUILD_H
#define NATC_BUILD_H

#include "ir/cmd.h"
#include "ir/err.h"

struct nc_job {
	enum nc_cmd_kind kind;
	uint8_t family;
	char chain[NC_CHAIN_MAXNAMELEN + 3];	/* "" when none was given */
	char newname[NC_CHAIN_MAXNAMELEN + 3];	/* -E */
	int policy;			/* -P: NF_ACCEPT or NF_DROP */
	size_t rulenum;			/* 1-based, 0 when none */
	unsigned fmt;			/* enum nc_fmt for -L, -S */
	bool verbose;
	bool zero;			/* -L/-S with -Z: zero after listing */
	struct nc_loc chain_loc;
	/* -A -I -D -C -R: one rule per source x destination address */
	struct nc_rule **rules;
	size_t nrules;
	/* the chain jumped to (-j CHAIN / -g CHAIN), to be checked */
	char jump[NC_CHAIN_MAXNAMELEN + 3];
	struct nc_loc jump_loc;
};

/* Build a job for a command run against @family's nat table; NULL with
 * @err set when the command is wrong. */
struct nc_job *nc_build(const struct nc_cmd *cmd, uint8_t family,
			struct nc_err *err);
void nc_job_free(struct nc_job *j);

/* iptables' checks of a new chain name; 0 or -1 with err. */
int nc_check_chain_name(const char *name, const struct nc_loc *loc,
			struct nc_err *err);

#endif
