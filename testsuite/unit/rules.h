/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests: a rule from one iptables command line. */
#ifndef NATC_UNIT_RULES_H
#define NATC_UNIT_RULES_H

#include <stdio.h>
#include <string.h>
#include "parser/parser.h"
#include "ir/build.h"
#include "ir/print.h"

/* The one rule @line builds (its chain copied to @chain, 64 bytes), or
 * NULL with the reason printed as a TAP comment.  The caller frees it. */
static inline struct nc_rule *build_one(const char *line, char *chain)
{
	struct nc_err err = { 0 };
	struct nc_cmd *cmd = nc_parse_line(line, 1, &err);
	struct nc_job *job = cmd ? nc_build(cmd, AF_INET, &err) : NULL;
	struct nc_rule *r = NULL;

	if (job && job->nrules == 1) {
		r = job->rules[0];
		job->nrules = 0;
		strcpy(chain, job->chain);
	} else if (job) {
		printf("# %s: builds %zu rules, not one\n", line, job->nrules);
	} else {
		printf("# %s: %s\n", line, err.msg);
	}
	nc_job_free(job);
	nc_cmd_free(cmd);
	return r;
}

/* @line built, printed in -S form into @text, and that built again:
 * whether both give the same rule in the same chain. */
static inline bool prints_back(const char *line, struct nc_buf *text)
{
	char chain[64], chain2[64];
	struct nc_rule *a = build_one(line, chain), *b = NULL;
	bool same;

	if (a) {
		nc_print_rule_spec(a, chain, false, text);
		b = build_one(nc_buf_str(text), chain2);
	}
	same = a && b && nc_rule_equal(a, b) && !strcmp(chain, chain2);
	nc_rule_free(a);
	nc_rule_free(b);
	return same;
}

#endif
