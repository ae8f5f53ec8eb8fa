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
	uint32_t flags;			/* NF_NAT_RANGE_* */
	uint8_t given;			/* options seen, by option id bit */
};

/* "[addr[-addr]][:port[-port]]" (IPv6: "[addr]:port"). */
int nc_nat_parse_range(struct nc_nat *n, const struct nc_rule *r, const char *arg,
		       const char *what, const struct nc_loc *loc, struct nc_err *err);
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

#endif
