/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What DNAT, SNAT, MASQUERADE and REDIRECT share: a range of addresses
 * and ports with NF_NAT_RANGE_* flags, how a range is written and how it
 * travels through registers into the kernel's nat, masq and redir
 * expressions.  Each target keeps its own options and checks in its file.
 */
#ifndef NATC_EXT_NAT_H
#define NATC_EXT_NAT_H

#include "ir/ir.h"
#include <linux/netfilter/nf_nat.h>
#include "ir/ext.h"

struct nc_nat {
	union nc_addr min_addr, max_addr;
	uint16_t min_port, max_port;	/* host order */
	uint16_t base_port;		/* NF_NAT_RANGE_PROTO_OFFSET: DNAT's
					 * shifted port map ":A-B/BASE" */
	uint32_t flags;			/* NF_NAT_RANGE_* */
	uint8_t given;			/* options seen, by option id bit */
};

/* "[addr[-addr]][:port[-port[/base]]]" (IPv6: "[addr]:port"); the
 * "/base" of a shifted port map only when @offset_ok (DNAT). */
int nc_nat_parse_range(struct nc_nat *n, const struct nc_rule *r, const char *arg,
		       bool offset_ok, const struct nc_loc *loc, struct nc_err *err);
/* "port[-port]" for --to-ports. */
int nc_nat_parse_ports(struct nc_nat *n, const struct nc_rule *r, const char *arg,
		       const struct nc_loc *loc, struct nc_err *err);
/* Once-only options: -1 with iptables' message when @bit was seen. */
int nc_nat_once(struct nc_nat *n, const struct nc_ext *e, unsigned bit,
		const char *optname, const struct nc_loc *loc, struct nc_err *err);
/* Whether the rule's protocol has ports NAT can map. */
bool nc_nat_proto_has_ports(const struct nc_rule *r);

/* "addr[-addr][:port[-port]]" as iptables prints it. */
void nc_nat_print_range(const struct nc_nat *n, uint8_t family, struct nc_buf *b);
void nc_nat_print_ports(const struct nc_nat *n, struct nc_buf *b);

/* Registers: immediates for the range, then the expression itself. */
int nc_nat_linearize(const struct nc_nat *n, uint8_t family, enum nc_expr_type type,
		     uint32_t nat_type, struct nc_exprs *out);
/*
 * Recognise immediates followed by an expression of @type (and, for
 * NC_E_NAT, nat type @nat_type) at the cursor; fills @n.  1, 0 or -1.
 */
int nc_nat_delinearize(struct nc_nat *n, uint8_t family, enum nc_expr_type type,
		       uint32_t nat_type, struct nc_expr_cursor *c);

/*
 * The four NAT targets share their callbacks; what differs is described
 * in a struct nc_nat_kind that their ops table points to (priv).
 */
enum { NC_NAT_O_TO, NC_NAT_O_RANDOM, NC_NAT_O_RANDOM_FULLY, NC_NAT_O_PERSISTENT };

struct nc_nat_kind {
	enum nc_expr_type expr;		/* NC_E_NAT, NC_E_MASQ, NC_E_REDIR */
	/* --explain: what it does, and to which address when it names
	 * none ("the outgoing interface's address") */
	const char *says;		/* "destination rewritten to" */
	const char *own_addr;		/* NULL: the address is in the rule */
	enum nc_pkt_act act;		/* NC_ACT_DNAT or NC_ACT_SNAT */
	uint32_t nat_type;		/* NFT_NAT_DNAT / NFT_NAT_SNAT */
	const char *to_opt;		/* "to-destination", "to-ports", ... */
	const char *list_to;		/* -L: "to:", " masq ports: ", ... */
	const char *nft;		/* nft's statement: "dnat", ... */
	bool port_offset;		/* takes a shifted port map (DNAT) */
};

int nc_nat_target_parse(struct nc_ext *e, struct nc_rule *r,
			const struct nc_ext_opt *opt, bool inv, const char *arg,
			const struct nc_loc *loc, struct nc_err *err);
int nc_nat_target_check(struct nc_ext *e, const struct nc_rule *r,
			struct nc_err *err);
void nc_nat_target_save(const struct nc_ext *e, const struct nc_rule *r,
			struct nc_buf *b);
void nc_nat_target_print(const struct nc_ext *e, const struct nc_rule *r,
			 struct nc_buf *b, unsigned fmt);
int nc_nat_target_xlate(const struct nc_ext *e, const struct nc_rule *r,
			struct nc_xlate *x);
int nc_nat_target_linearize(const struct nc_ext *e, const struct nc_rule *r,
			    struct nc_exprs *out);
void nc_nat_target_describe(const struct nc_ext *e, const struct nc_rule *r,
			    struct nc_buf *b);
int nc_nat_target_packet(const struct nc_ext *e, const struct nc_rule *r,
			 struct nc_pkt *p);
int nc_nat_target_delinearize(const struct nc_ext_ops *ops, struct nc_rule *r,
			      struct nc_expr_cursor *c);

#define NC_NAT_TARGET_OPS(kind_desc, tname)			\
	.name = tname,						\
	.priv = &(kind_desc),						\
	.kind = NC_EXT_TARGET,					\
	.families = NC_FAMILY_IPV4 | NC_FAMILY_IPV6,		\
	.size = sizeof(struct nc_nat),				\
	.parse = nc_nat_target_parse,				\
	.check = nc_nat_target_check,				\
	.save = nc_nat_target_save,				\
	.print = nc_nat_target_print,				\
	.linearize = nc_nat_target_linearize,			\
	.xlate = nc_nat_target_xlate,				\
	.describe = nc_nat_target_describe,			\
	.packet = nc_nat_target_packet

#endif
