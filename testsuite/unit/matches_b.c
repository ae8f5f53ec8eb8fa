// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Reading back what other writers (nft, iptables-translate's texts) put in
 * the kernel for addrtype, conntrack, statistic and limit: expression lists
 * as nft writes them are raised and printed in -S form, or found
 * inexpressible when iptables has no such test.  (natc's own forms are in
 * roundtrip.c; the kernel side in native.t.)
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include "testsuite/unit/tap.h"
#include "ir/ext.h"
#include "ir/print.h"
#include "ir/build.h"
#include "ir/ext/lib/conntrack.h"
#include "parser/parser.h"

static struct nc_exprs ex;

static void start(void)
{
	nc_exprs_reset(&ex);
}

static void ct(uint32_t key, int32_t dir)
{
	struct nc_expr *x = nc_exprs_add(&ex, NC_E_CT);

	x->u.ct.key = key;
	x->u.ct.dreg = NFT_REG_1;
	x->u.ct.dir = dir;
}

static void byteorder(void)
{
	struct nc_expr *x = nc_exprs_add(&ex, NC_E_BYTEORDER);

	x->u.byteorder.sreg = x->u.byteorder.dreg = NFT_REG_1;
	x->u.byteorder.op = NFT_BYTEORDER_HTON;
	x->u.byteorder.len = x->u.byteorder.size = 4;
}

static void cmp32(uint32_t op, uint32_t v)
{
	nc_expr_cmp(&ex, op, &v, 4);
}

static void limit(uint64_t rate, uint64_t unit, uint32_t burst, uint32_t flags)
{
	struct nc_expr *x = nc_exprs_add(&ex, NC_E_LIMIT);

	x->u.limit.rate = rate;
	x->u.limit.unit = unit;
	x->u.limit.burst = burst;
	x->u.limit.type = NFT_LIMIT_PKTS;
	x->u.limit.flags = flags;
}

static void numgen(uint32_t type, uint32_t mod)
{
	struct nc_expr *x = nc_exprs_add(&ex, NC_E_NUMGEN);

	x->u.numgen.dreg = NFT_REG_1;
	x->u.numgen.type = type;
	x->u.numgen.modulus = mod;
}

static void fib(uint32_t flags)
{
	struct nc_expr *x = nc_exprs_add(&ex, NC_E_FIB);

	x->u.fib.flags = flags;
	x->u.fib.result = NFT_FIB_RESULT_ADDRTYPE;
	x->u.fib.dreg = NFT_REG_1;
}

/* Raise the list (a counter and "accept" appended) and compare its -S
 * form with @want, or expect it inexpressible when @want is NULL. */
static void check(const char *want, const char *name)
{
	struct nc_rule *r = nc_rule_new(AF_INET);
	struct nc_buf b = { 0 };
	bool good;

	nc_exprs_add(&ex, NC_E_COUNTER);
	nc_expr_imm_verdict(&ex, NF_ACCEPT, NULL);
	if (!r || nc_rule_delinearize(r, &ex, nc_parse_line) < 0) {
		ok(0, "%s: raised", name);
		nc_rule_free(r);
		return;
	}
	nc_print_rule_spec(r, "X", false, &b);
	good = want ? !r->unknown && !strcmp(nc_buf_str(&b), want) : r->unknown != NULL;
	ok(good, "%s", name);
	if (!good)
		printf("#   got: %s\n#  want: %s\n", nc_buf_str(&b), want ? want : "(inexpressible)");
	nc_rule_free(r);
	nc_buf_free(&b);
}

/* -m state has conntrack's kernel form: natc's userdata hint (comment.c)
 * makes it read back as state; without userdata (another tool wrote the
 * rule) it reads as conntrack --ctstate. */
static void state_hint(void)
{
	struct nc_err err = { 0 };
	struct nc_cmd *cmd = nc_parse_line("-A X -m state ! --state NEW,RELATED -j ACCEPT",
					   1, &err);
	struct nc_job *job = cmd ? nc_build(cmd, AF_INET, &err) : NULL;
	struct nc_rule *a = job && job->nrules == 1 ? job->rules[0] : NULL;
	struct nc_rule *b = nc_rule_new(AF_INET), *c = nc_rule_new(AF_INET);
	struct nc_exprs l = { 0 };
	bool hinted = false, raised = false, same = false;

	if (a && b && c && nc_rule_linearize(a, &l, nc_parse_line) == 0 &&
	    nc_rule_delinearize(b, &l, nc_parse_line) == 0 && !b->unknown && b->nmatches == 1)
		hinted = nc_rule_equal(a, b);
	l.udata_len = 0;	/* as nft or iptables-nft would have written it */
	if (a && b && c && nc_rule_delinearize(c, &l, nc_parse_line) == 0 && !c->unknown &&
	    c->nmatches == 1) {
		raised = c->matches[0].ops == &nc_ext_conntrack &&
			 nc_ct_is_state(&c->matches[0]);
		c->matches[0].ops = &nc_ext_state;
		same = nc_rule_equal(a, c);
	}
	ok(hinted, "-m state reads back as -m state through natc's userdata hint");
	ok(raised, "without userdata it is raised as a conntrack state test");
	ok(same, "... which is the state match again once its ops are changed");
	nc_rule_free(b);
	nc_rule_free(c);
	nc_exprs_free(&l);
	nc_job_free(job);
	nc_cmd_free(cmd);
}

int main(void)
{
	state_hint();
	struct nc_expr *x;
	int set;
	uint32_t t;

	start();	/* numgen random mod 2^31 < K: kube-proxy's 1/3 */
	numgen(NFT_NG_RANDOM, 0x80000000u);
	byteorder();
	cmp32(NFT_CMP_LT, htonl(715827883));
	check("-A X -m statistic --mode random --probability 0.33333333349 -j ACCEPT",
	      "numgen random mod 2147483648 < 715827883 is --probability");

	start();
	numgen(NFT_NG_RANDOM, 3);
	byteorder();
	cmp32(NFT_CMP_LT, htonl(1));
	check(NULL, "numgen random mod 3 < 1 is no threshold of 2^31");

	start();
	numgen(NFT_NG_INCREMENTAL, 4);
	cmp32(NFT_CMP_EQ, 4);
	check(NULL, "numgen inc mod 4 == 4 never matches: not an nth test");

	start();	/* nft's `ct state != invalid` */
	ct(NFT_CT_STATE, -1);
	cmp32(NFT_CMP_NEQ, 1);
	check("-A X -m conntrack ! --ctstate INVALID -j ACCEPT",
	      "ct state != invalid is ! --ctstate INVALID");

	start();
	ct(NFT_CT_STATE, -1);
	cmp32(NFT_CMP_EQ, 8);
	check("-A X -m conntrack --ctstate NEW -j ACCEPT", "ct state == new");

	start();
	ct(NFT_CT_STATE, -1);
	cmp32(NFT_CMP_EQ, 10);
	check(NULL, "ct state == 10 (two states at once) is no state test");

	start();	/* iptables-translate's `ct expiration 10-20`: 20 s 0 ms */
	ct(NFT_CT_EXPIRATION, -1);
	byteorder();
	cmp32(NFT_CMP_GTE, htonl(10000));
	cmp32(NFT_CMP_LTE, htonl(20000));
	check(NULL, "ct expiration 10000-20000 ms is not whole seconds");

	start();
	ct(NFT_CT_EXPIRATION, -1);
	byteorder();
	cmp32(NFT_CMP_GTE, htonl(10000));
	cmp32(NFT_CMP_LTE, htonl(20999));
	check("-A X -m conntrack --ctexpire 10:20 -j ACCEPT",
	      "ct expiration 10s-20s999ms is --ctexpire 10:20");

	start();	/* what natc writes (nft 1.0.6 lists 10s-20s999ms as 10s-20s) */
	ct(NFT_CT_EXPIRATION, -1);
	byteorder();
	cmp32(NFT_CMP_GTE, htonl(10000));
	ct(NFT_CT_EXPIRATION, -1);
	byteorder();
	cmp32(NFT_CMP_LT, htonl(21000));
	check("-A X -m conntrack --ctexpire 10:20 -j ACCEPT",
	      "ct expiration >= 10s ct expiration < 21s is --ctexpire 10:20");

	start();
	ct(NFT_CT_EXPIRATION, -1);
	byteorder();
	cmp32(NFT_CMP_LT, htonl(6000));
	check("-A X -m conntrack --ctexpire 0:5 -j ACCEPT",
	      "ct expiration < 6s is --ctexpire 0:5");

	start();
	ct(NFT_CT_EXPIRATION, -1);
	byteorder();
	cmp32(NFT_CMP_LT, htonl(6500));
	check(NULL, "ct expiration < 6s500ms is not whole seconds");

	start();
	ct(NFT_CT_EXPIRATION, -1);
	byteorder();
	cmp32(NFT_CMP_GTE, htonl(7000));
	check("-A X -m conntrack --ctexpire 7:4294967295 -j ACCEPT",
	      "ct expiration >= 7s is --ctexpire 7:");

	start();	/* `ct original ip saddr`, as natc writes it */
	ct(NFT_CT_SRC_IP, 0);
	nc_expr_cmp(&ex, NFT_CMP_EQ, "\xc0\x00\x02", 3);
	ct(NFT_CT_DST_IP, 1);
	nc_expr_cmp(&ex, NFT_CMP_NEQ, "\xc0\x00\x02\x01", 4);
	check("-A X -m conntrack --ctorigsrc 192.0.2.0/24 ! --ctrepldst 192.0.2.1 -j ACCEPT",
	      "ct original ip saddr, ct reply ip daddr");

	start();	/* nft's `ct original saddr` */
	ct(NFT_CT_SRC, 0);
	nc_expr_cmp(&ex, NFT_CMP_EQ, "\xc0\x00\x02", 3);
	check("-A X -m conntrack --ctorigsrc 192.0.2.0/24 -j ACCEPT",
	      "ct original saddr");

	start();
	ct(NFT_CT_SRC_IP6, 0);
	nc_expr_cmp(&ex, NFT_CMP_EQ, "\xc0\x00\x02", 3);
	check(NULL, "an IPv6 ct address in an IPv4 rule is no test");

	start();	/* ct protocol without a direction, as nft lists it */
	ct(NFT_CT_PROTOCOL, -1);
	nc_expr_cmp(&ex, NFT_CMP_EQ, "\x11", 1);
	ct(NFT_CT_PROTO_DST, 1);
	check(NULL, "a ct load with nothing to compare is not a test");

	start();
	limit(7, 604800, 5, 0);
	check("-A X -m limit --limit 1/day -j ACCEPT", "limit rate 7/week is 1/day");

	start();
	limit(1, 604800, 5, 0);
	check(NULL, "limit rate 1/week is slower than iptables can say");

	start();
	limit(5, 1, 5, NFT_LIMIT_F_INV);
	check(NULL, "limit rate over is not iptables' limit");

	start();
	limit(5, 1, 0, 0);
	check("-A X -m limit --limit 5/sec --limit-burst 0 -j ACCEPT",
	      "nft's burst 0 is listed as it is");

	start();	/* a one-element set */
	fib(NFTA_FIB_F_DADDR | NFTA_FIB_F_IIF);
	set = nc_exprs_add_set(&ex, NFT_SET_ANONYMOUS | NFT_SET_CONSTANT, 38, 4, 0, 0);
	t = 2;
	memcpy(nc_set_add_elem(&ex, (uint32_t)set)->key, &t, 4);
	x = nc_exprs_add(&ex, NC_E_LOOKUP);
	x->u.lookup.sreg = NFT_REG_1;
	x->u.lookup.set = (uint32_t)set;
	check("-A X -m addrtype --dst-type LOCAL --limit-iface-in -j ACCEPT",
	      "fib daddr . iif type { local }");

	start();
	fib(NFTA_FIB_F_DADDR | NFTA_FIB_F_PRESENT);
	cmp32(NFT_CMP_EQ, 2);
	check(NULL, "fib with the present flag is not addrtype");

	start();
	fib(NFTA_FIB_F_DADDR);
	cmp32(NFT_CMP_EQ, 12);
	check(NULL, "fib type 12 has no iptables name");

	start();	/* destination before source: two matches */
	fib(NFTA_FIB_F_DADDR);
	cmp32(NFT_CMP_EQ, 2);
	fib(NFTA_FIB_F_SADDR);
	cmp32(NFT_CMP_NEQ, 1);
	check("-A X -m addrtype --dst-type LOCAL -m addrtype ! --src-type UNICAST -j ACCEPT",
	      "fib daddr then fib saddr");

	nc_exprs_free(&ex);
	return tap_done();
}
