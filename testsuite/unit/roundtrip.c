// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Round trips without the kernel, for every rule of a small corpus:
 *  - the printer's -S output parses back to the same IR (pfctl regress);
 *  - lowering to kernel expressions and raising them again gives the
 *    same IR, so -D/-C find what -A wrote.
 */
#include <stdlib.h>
#include "testsuite/unit/tap.h"
#include "testsuite/unit/rules.h"
#include "testsuite/unit/corpus.h"
#include "parser/parser.h"
#include "ir/build.h"
#include "ir/print.h"
#include "ir/ext.h"

static void printer_round_trip(const char *line)
{
	struct nc_buf text = { 0 };
	bool back = prints_back(line, &text);

	ok(back, "-S form parses back: %s", nc_buf_str(&text));
	nc_buf_free(&text);
}

static void kernel_form_round_trip(const char *line)
{
	char chain[64];
	struct nc_rule *a = build_one(line, chain), *b = nc_rule_new(AF_INET);
	struct nc_exprs ex = { 0 };
	struct nc_buf ta = { 0 }, tb = { 0 };
	bool same = false;

	if (a && b && nc_rule_linearize(a, &ex, nc_parse_line) == 0 &&
	    nc_rule_delinearize(b, &ex, nc_parse_line) == 0) {
		same = nc_rule_equal(a, b) && !b->unknown;
		nc_print_rule_spec(a, chain, false, &ta);
		nc_print_rule_spec(b, chain, false, &tb);
	}
	ok(same, "expressions raise back: %s", line);
	if (!same)
		printf("#   got: %s\n", b && b->unknown ? b->unknown : nc_buf_str(&tb));
	nc_rule_free(a);
	nc_rule_free(b);
	nc_exprs_free(&ex);
	nc_buf_free(&ta);
	nc_buf_free(&tb);
}

int main(void)
{
	for (size_t i = 0; i < sizeof(unit_rules) / sizeof(unit_rules[0]); i++) {
		printer_round_trip(unit_rules[i]);
		kernel_form_round_trip(unit_rules[i]);
	}
	return tap_done();
}
