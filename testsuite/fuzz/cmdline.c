// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Fuzzing the command line: the scanner, the grammar and the build pass
 * (nc_parse_line, nc_parse_argv, nc_build), then the printers on every
 * rule built.  The input is one line of text, built for IPv4; and the same
 * bytes as argv (words split at NUL bytes when there are any, else at
 * blanks), built for IPv6.
 *
 * Oracle: "the printer's -S output parses back to the same IR"
 * (docs/architecture.md): an IPv4 rule printed with -S is built again
 * and must equal the first.  Not for rules holding libxtables' generic
 * kinds: their bytes are the extension's, and its text does not always
 * give them back (-m recent without --mask: init() sets 16 mask bytes,
 * the printed "--mask 255.255.255.255" 4 of them), as in iptables; nor
 * for names -S prints as they are, as iptables does, which a line cannot
 * give back (a chain or interface named with blanks or quotes, a chain
 * named "", which cannot exist: iptables' "No chain/target/match").
 */
#include <arpa/inet.h>
#include "testsuite/fuzz/fuzz.h"
#include "parser/parser.h"
#include "ir/build.h"
#include "ir/print.h"
#include "ir/ext/lib/xt.h"

/* Whether @r holds a kind only libxtables knows. */
static bool has_xt(const struct nc_rule *r)
{
	for (size_t i = 0; i < r->nmatches; i++)
		if (r->matches[i].ops == &nc_ext_xt_match)
			return true;
	return r->target.ops == &nc_ext_xt_target;
}

/* Whether -S prints @name so that it reads back: no blanks, quotes or
 * backslashes, no leading '-' or '!' (iptables' own -N refuses them). */
static bool typable(const char *name)
{
	return !strpbrk(name, " \t\n\v\f\r\"'\\") && name[0] != '-' && name[0] != '!';
}

/* The one rule @text builds in @chain, or NULL. */
static struct nc_rule *build_one(const char *text, uint8_t family, char *chain,
				 size_t size)
{
	struct nc_err err = { 0 };
	struct nc_cmd *cmd = nc_parse_line(text, 1, &err);
	struct nc_job *job = cmd ? nc_build(cmd, family, &err) : NULL;
	struct nc_rule *r = NULL;

	if (job && job->nrules == 1) {
		r = job->rules[0];
		job->nrules = 0;
		snprintf(chain, size, "%s", job->chain);
	}
	nc_job_free(job);
	nc_cmd_free(cmd);
	return r;
}

static void print_job(const struct nc_job *job, bool roundtrip)
{
	struct nc_buf b = { 0 };

	for (size_t i = 0; i < job->nrules; i++) {
		const struct nc_rule *r = job->rules[i];
		struct nc_rule *again;
		char chain[64];

		nc_buf_reset(&b);
		nc_print_rule_brief(r, &b);
		nc_buf_reset(&b);
		nc_print_rule_spec(r, job->chain, true, &b);
		nc_buf_reset(&b);
		nc_print_rule_spec(r, job->chain, false, &b);
		if (!roundtrip || nc_buf_failed(&b) || has_xt(r) ||
		    !job->chain[0] || !typable(job->chain) || !typable(job->jump) ||
		    !typable(r->in.name) || !typable(r->out.name))
			continue;
		again = build_one(nc_buf_str(&b), r->family, chain, sizeof(chain));
		fuzz_assert(again && nc_rule_equal(r, again) && !strcmp(chain, job->chain),
			    "-S does not build back to the same rule: '%s'", nc_buf_str(&b));
		nc_rule_free(again);
	}
	nc_buf_free(&b);
}

static void run(struct nc_cmd *cmd, uint8_t family, struct nc_err *err, bool roundtrip)
{
	struct nc_job *job = cmd ? nc_build(cmd, family, err) : NULL;

	if (job)
		print_job(job, roundtrip);
	nc_job_free(job);
	nc_cmd_free(cmd);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_cstr(data, size);
	char *words = fuzz_cstr(data, size);
	char **argv = calloc(size + 1, sizeof(*argv));
	bool nul = memchr(data, '\0', size) != NULL;
	struct nc_err err = { 0 };
	char *joined = NULL;
	int argc = 0;

	if (!argv)
		abort();
	run(nc_parse_line(text, 1, &err), AF_INET, &err, true);

	/* argv: words at NULs (each may hold blanks and quotes, which
	 * nc_parse_argv quotes again), or at blanks */
	for (size_t i = 0; i < size; ) {
		size_t n = nul ? strnlen(words + i, size - i) : strcspn(words + i, " \t\n");

		if (nul || n)
			argv[argc++] = words + i;
		words[i + n] = '\0';
		i += n + 1;
	}
	memset(&err, 0, sizeof(err));
	run(nc_parse_argv(argc, argv, &joined, &err), AF_INET6, &err, false);
	free(joined);
	free(argv);
	free(words);
	free(text);
	return 0;
}
