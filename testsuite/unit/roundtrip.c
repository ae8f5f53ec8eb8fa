// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Round trips without the kernel, for every rule of a small corpus:
 *  - the printer's -S output parses back to the same IR (pfctl regress);
 *  - lowering to kernel expressions and raising them again gives the
 *    same IR, so -D/-C find what -A wrote.
 */
#include <stdlib.h>
#include <string.h>
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

/*
 * A kind given twice: natc's userdata says where the second instance
 * starts (ir/ext/comment.c: version 1, then 'b' at expression 3, the
 * first iprange being a load and two compares); without it (nft or
 * iptables-nft wrote the rule) the expressions read as one match.
 */
static void kind_twice_userdata(void)
{
	static const char line[] = "-A PREROUTING -m iprange --src-range 192.0.2.1-192.0.2.2 "
				   "-m iprange --dst-range 198.51.100.2-198.51.100.3";
	static const uint8_t want[] = { 1, 'b', 3, 0 };
	char chain[64];
	struct nc_rule *a = build_one(line, chain), *b = nc_rule_new(AF_INET);
	struct nc_exprs ex = { 0 };
	struct nc_buf tb = { 0 };
	const uint8_t *v = NULL;
	size_t n = 0;

	if (a && nc_rule_linearize(a, &ex, nc_parse_line) == 0)
		v = nc_exprs_udata(&ex, NC_UDATA_NATC, &n);
	ok(v && n == sizeof(want) && !memcmp(v, want, n),
	   "a kind twice: natc's userdata marks where the second starts");
	ex.udata_len = 0;	/* as nft writes it */
	if (b && nc_rule_delinearize(b, &ex, nc_parse_line) == 0)
		nc_print_rule_spec(b, chain, false, &tb);
	is_str(nc_buf_str(&tb), "-A PREROUTING -m iprange --src-range 192.0.2.1-192.0.2.2 "
	   "--dst-range 198.51.100.2-198.51.100.3",
	   "a kind twice without natc's userdata: read as one match, as before");
	nc_rule_free(a);
	nc_rule_free(b);
	nc_exprs_free(&ex);
	nc_buf_free(&tb);
}

int main(void)
{
	kind_twice_userdata();
	for (size_t i = 0; i < sizeof(unit_rules) / sizeof(unit_rules[0]); i++) {
		printer_round_trip(unit_rules[i]);
		kernel_form_round_trip(unit_rules[i]);
	}
	return tap_done();
}
