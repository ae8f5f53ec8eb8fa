// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libxtables extensions without the kernel (ir/ext/lib/xt.c, xtkind.c):
 *  - generic kinds (-m recent, ...) print back to text that parses to the
 *    same IR, and their xt expressions raise back to the same IR;
 *  - natc's native kinds written as iptables-nft does (--xt) raise back
 *    to the native IR, so -C/-D find rules iptables-nft wrote;
 *  - the scanner knows the options of extensions the command loaded;
 *  - an instance is named by the text it lists (-m recent --mask).
 */
#include <stdlib.h>
#include "testsuite/unit/tap.h"
#include "testsuite/unit/rules.h"
#include "parser/parser.h"
#include "ir/build.h"
#include "ir/print.h"
#include "ir/ext.h"
#include "ir/ext/lib/xt.h"

static const char *const rules[] = {
	"-A PREROUTING -m recent --rcheck --seconds 60 --name X --mask 255.255.255.255 --rsource -j FOO",
	"-A PREROUTING -p tcp -m multiport --dports 80,443 -m recent --set --name Y --mask 255.255.255.255 --rdest -j RETURN",
	"-A PREROUTING -p tcp -m string --string \"foo bar\" --algo bm --to 100 -j REDIRECT --to-ports 8080",
	"-A PREROUTING -m u32 ! --u32 \"0x6&0xff=0x1\" -j RETURN",
	"-A PREROUTING -m time --timestart 10:00:00 --timestop 12:00:00 --weekdays Mon,Tue --datestop 2038-01-19T03:14:07 -j RETURN",
	"-A PREROUTING -m conntrack --ctstate NEW -m addrtype --dst-type LOCAL -j FOO",
	"-A PREROUTING -m comment --comment \"a b\" -j RETURN",
	"-A OUTPUT -j LOG --log-prefix \"x: \"",
	"-A PREROUTING -j NETMAP --to 192.0.2.0/24",
};

/* native kinds: --xt writes them as xt targets */
static const char *const natives[] = {
	"-A PREROUTING -p tcp --dport 80 -j DNAT --to-destination 192.0.2.1:80",
	"-A PREROUTING -p udp -j DNAT --to-destination 192.0.2.1-192.0.2.9:100-200 --random --persistent",
	"-A POSTROUTING -o eth0 -j MASQUERADE --random-fully",
	"-A POSTROUTING -p udp -j MASQUERADE --to-ports 1000-2000 --random",
	"-A POSTROUTING -s 10.0.0.0/8 -j SNAT --to-source 192.0.2.1-192.0.2.9 --persistent",
	"-A OUTPUT -p tcp -j REDIRECT --to-ports 8080-8090 --random",
	"-A OUTPUT -j REDIRECT",
	"-A PREROUTING -p tcp -m recent --set -j DNAT --to-destination 192.0.2.1",
};

static void printer_round_trip(const char *line)
{
	struct nc_buf text = { 0 };
	bool back = prints_back(line, &text);

	ok(back && !strcmp(line, nc_buf_str(&text)),
	   "-S form is the extension's and parses back: %s", nc_buf_str(&text));
	nc_buf_free(&text);
}

static void kernel_round_trip(const char *line, bool xt)
{
	char chain[64];
	struct nc_rule *a = build_one(line, chain), *b = nc_rule_new(AF_INET);
	struct nc_exprs ex = { 0 };
	struct nc_buf tb = { 0 };
	bool same = false, has_xt = false;

	if (a && b && (xt ? nc_rule_linearize_xt : nc_rule_linearize)(a, &ex, nc_parse_line) == 0 &&
	    nc_rule_delinearize(b, &ex, nc_parse_line) == 0) {
		same = nc_rule_equal(a, b) && !b->unknown;
		nc_print_rule_spec(b, chain, false, &tb);
	}
	for (size_t i = 0; i < ex.n; i++)
		has_xt |= ex.v[i].type == NC_E_TARGET || ex.v[i].type == NC_E_MATCH;
	ok(same && (!xt || (has_xt && ex.compat)), "%s expressions raise back: %s",
	   xt ? "--xt" : "native", line);
	if (!same)
		printf("#   got: %s\n", b && b->unknown ? b->unknown : nc_buf_str(&tb));
	nc_rule_free(a);
	nc_rule_free(b);
	nc_exprs_free(&ex);
	nc_buf_free(&tb);
}

/* Callers without natc's parser: an xt target of a native kind read
 * back keeps the kernel's bytes; --xt writes the kind natively. */
static void no_parser(void)
{
	char chain[64];
	struct nc_rule *a = build_one(natives[0], chain), *b = nc_rule_new(AF_INET);
	struct nc_exprs ex = { 0 };
	bool kept = false, has_xt = true;

	if (a && b && nc_rule_linearize_xt(a, &ex, nc_parse_line) == 0 &&
	    nc_rule_delinearize(b, &ex, NULL) == 0)
		kept = !b->unknown && b->target.ops == &nc_ext_xt_target;
	ok(kept, "without a parser an xt DNAT keeps the kernel's bytes");
	nc_exprs_reset(&ex);
	if (a && nc_rule_linearize_xt(a, &ex, NULL) == 0) {
		has_xt = false;
		for (size_t i = 0; i < ex.n; i++)
			has_xt |= ex.v[i].type == NC_E_TARGET;
	}
	ok(!has_xt, "without a parser --xt writes DNAT natively");
	nc_rule_free(a);
	nc_rule_free(b);
	nc_exprs_free(&ex);
}

static void scanner(void)
{
	const char *recent[] = { "recent" };
	const char *string[] = { "string" };
	char chain[64];
	struct nc_rule *r;

	ok(nc_xt_opt_takes_arg(recent, 1, "name") == 1, "recent --name takes an argument");
	ok(nc_xt_opt_takes_arg(recent, 1, "rcheck") == 0, "recent --rcheck takes none");
	ok(nc_xt_opt_takes_arg(recent, 1, "bogus") == -1, "recent has no --bogus");
	ok(nc_xt_opt_takes_arg(string, 1, "algo=bm") == 1, "string --algo=bm");
	/* --set is recent's here, not a prefix of --set-counters */
	r = build_one("-A PREROUTING -m recent --set -j RETURN", chain);
	ok(r && r->nmatches == 1 && r->packets == 0, "-m recent --set is recent's option");
	nc_rule_free(r);
	r = build_one("-A PREROUTING -m nosuch -j RETURN", chain);
	ok(!r, "an unknown match is refused");
	nc_rule_free(r);
}

/* A rule is named by its -S text: -m recent without --mask (init() sets
 * 16 bytes of it) and with the "--mask 255.255.255.255" -S prints (4 of
 * them) are the same rule; another --mask, name or side is another. */
static void named_by_text(void)
{
	static const struct {
		const char *a, *b;
		bool same;
	} t[] = {
		{ "-A PREROUTING -m recent --set --name portscan --rsource -j RETURN",
		  "-A PREROUTING -m recent --set --name portscan --mask 255.255.255.255 --rsource -j RETURN", true },
		{ "-A PREROUTING -p tcp -m recent --rcheck -j RETURN",
		  "-A PREROUTING -p tcp -m recent --rcheck --mask 255.255.255.255 -j RETURN", true },
		{ "-A PREROUTING -m recent --set --name portscan -j RETURN",
		  "-A PREROUTING -m recent --set --name portscan --mask 255.255.255.0 -j RETURN", false },
		{ "-A PREROUTING -m recent --set --name portscan -j RETURN",
		  "-A PREROUTING -m recent --set --name other --mask 255.255.255.255 -j RETURN", false },
		{ "-A PREROUTING -m recent --set --name portscan -j RETURN",
		  "-A PREROUTING -m recent --set --name portscan --mask 255.255.255.255 --rdest -j RETURN", false },
	};
	char chain[64];

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct nc_rule *a = build_one(t[i].a, chain), *b = build_one(t[i].b, chain);

		ok(a && b && nc_rule_equal(a, b) == t[i].same && nc_rule_equal(b, a) == t[i].same,
		   "%s %s %s", t[i].a, t[i].same ? "names" : "is not", t[i].b);
		nc_rule_free(a);
		nc_rule_free(b);
	}
}

int main(void)
{
	for (size_t i = 0; i < sizeof(rules) / sizeof(rules[0]); i++) {
		printer_round_trip(rules[i]);
		kernel_round_trip(rules[i], false);
		kernel_round_trip(rules[i], true);
	}
	for (size_t i = 0; i < sizeof(natives) / sizeof(natives[0]); i++)
		kernel_round_trip(natives[i], true);
	no_parser();
	scanner();
	named_by_text();
	return tap_done();
}
