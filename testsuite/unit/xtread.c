// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Kernel forms natc does not write but must read: iptables-nft 1.8.9's xt
 * tcp, udp and comment matches, and a comment nft wrote (userdata TLV 0
 * only), each raised to a rule and printed as iptables-nft prints it;
 * the line printed names the rule again (-C, -D).
 */
#include <stdlib.h>
#include <string.h>
#include "testsuite/unit/tap.h"
#include "testsuite/unit/rules.h"
#include "ir/print.h"
#include "ir/ext.h"
#include "parser/parser.h"

static void l4proto(struct nc_exprs *l, uint8_t proto)
{
	uint32_t p = proto;

	nc_expr_meta(l, NFT_META_L4PROTO);
	nc_expr_cmp(l, NFT_CMP_EQ, &p, 1);
}

static void tail_accept(struct nc_exprs *l)
{
	nc_exprs_add(l, NC_E_COUNTER);
	nc_expr_imm_verdict(l, NF_ACCEPT, NULL);
}

static void expect(const struct nc_exprs *l, const char *want, const char *what)
{
	struct nc_rule *r = nc_rule_new(AF_INET), *typed = NULL;
	struct nc_buf b = { 0 };
	char chain[64];

	if (r && nc_rule_delinearize(r, l, nc_parse_line) == 0)
		nc_print_rule_spec(r, "PREROUTING", false, &b);
	ok(!strcmp(nc_buf_str(&b), want), "%s: %s", what, nc_buf_str(&b));
	if (strcmp(nc_buf_str(&b), want))
		printf("#   want: %s\n", want);
	/* a rule natc cannot express is no line to name it by */
	if (r && !r->unknown) {
		typed = build_one(nc_buf_str(&b), chain);
		ok(typed && nc_rule_equal(r, typed), "%s: its line names it", what);
	}
	nc_rule_free(typed);
	nc_rule_free(r);
	nc_buf_free(&b);
}

int main(void)
{
	struct nc_exprs l = { 0 };
	uint16_t tcp[6] = { 0, 65535, 0, 65535, 0, 0 };	/* xt_tcp, 12 bytes */
	uint16_t udp[5] = { 0, 65535, 53, 53, 0x0002 };	/* xt_udp, ! --dport 53 */
	char comment[256] = "default/kubernetes:https cluster IP";
	uint8_t *flags;

	l4proto(&l, IPPROTO_TCP);
	nc_expr_xt(&l, NC_E_MATCH, "comment", 0, comment, sizeof(comment));
	nc_expr_xt(&l, NC_E_MATCH, "tcp", 0, tcp, sizeof(tcp));
	tail_accept(&l);
	expect(&l, "-A PREROUTING -p tcp -m comment --comment \"default/kubernetes:https cluster IP\" -m tcp -j ACCEPT",
	       "xt comment then empty xt tcp");

	nc_exprs_reset(&l);
	l4proto(&l, IPPROTO_TCP);
	flags = (uint8_t *)&tcp[4];
	flags[1] = 0x17;	/* flg_mask */
	tcp[5] = 0x0402;	/* flg_cmp SYN, invflags XT_TCP_INV_FLAGS */
	memcpy(&tcp[2], (uint16_t[]){ 80, 80 }, 4);
	nc_expr_xt(&l, NC_E_MATCH, "tcp", 0, tcp, sizeof(tcp));
	tail_accept(&l);
	expect(&l, "-A PREROUTING -p tcp -m tcp --dport 80 ! --tcp-flags FIN,SYN,RST,ACK SYN -j ACCEPT",
	       "xt tcp with a port and flags");

	nc_exprs_reset(&l);
	l4proto(&l, IPPROTO_TCP);
	flags[0] = 2;		/* --tcp-option 2: not expressible natively */
	nc_expr_xt(&l, NC_E_MATCH, "tcp", 0, tcp, sizeof(tcp));
	tail_accept(&l);
	expect(&l, "# rule natc cannot express in iptables syntax: [meta load l4proto] [cmp eq 0x06] [match name tcp rev 0] [counter] [immediate verdict 1]",
	       "xt tcp with --tcp-option is not taken");

	nc_exprs_reset(&l);
	l4proto(&l, IPPROTO_UDP);
	nc_expr_xt(&l, NC_E_MATCH, "udp", 0, udp, sizeof(udp));
	tail_accept(&l);
	expect(&l, "-A PREROUTING -p udp -m udp ! --dport 53 -j ACCEPT", "xt udp");

	nc_exprs_reset(&l);
	nc_expr_xt(&l, NC_E_MATCH, "udp", 0, udp, sizeof(udp));
	tail_accept(&l);
	expect(&l, "# rule natc cannot express in iptables syntax: [match name udp rev 0] [counter] [immediate verdict 1]",
	       "xt udp without -p udp is not taken");

	/* xt multiport rev 1 (struct xt_multiport_v1) in iptables-nft's
	 * order, which natc lists as it is, but sorts what is typed */
	nc_exprs_reset(&l);
	l4proto(&l, IPPROTO_TCP);
	{
		struct {
			uint8_t flags, count;
			uint16_t ports[15];
			uint8_t pflags[15];
			uint8_t invert;
		} mp = { .flags = 1, .count = 4, .ports = { 443, 80, 3, 4 },
			 .pflags = { 0, 0, 1, 0 } };

		nc_expr_xt(&l, NC_E_MATCH, "multiport", 1, &mp, sizeof(mp));
	}
	tail_accept(&l);
	expect(&l, "-A PREROUTING -p tcp -m multiport --dports 443,80,3:4 -j ACCEPT",
	       "xt multiport, ports unsorted");

	nc_exprs_reset(&l);
	l4proto(&l, IPPROTO_TCP);
	nc_expr_payload(&l, NFT_PAYLOAD_TRANSPORT_HEADER, 2, 2);
	nc_expr_cmp(&l, NFT_CMP_EQ, (uint8_t[]){ 0, 80 }, 2);
	tail_accept(&l);
	nc_exprs_set_comment(&l, "from nft");
	expect(&l, "-A PREROUTING -p tcp -m tcp --dport 80 -m comment --comment \"from nft\" -j ACCEPT",
	       "nft's comment (TLV 0 only) comes last");

	nc_exprs_reset(&l);
	tail_accept(&l);
	nc_exprs_set_comment(&l, "a");
	nc_exprs_add_udata(&l, NC_UDATA_NATC, "\x01" "c\x07\x00" "e\x00\x03tcp" "Z\x00\x00", 12);
	expect(&l, "-A PREROUTING -m comment --comment a -j ACCEPT",
	       "natc hints that do not fit the rule are ignored");

	nc_exprs_free(&l);
	return tap_done();
}
