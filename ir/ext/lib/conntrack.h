/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Connection tracking tests, shared by the conntrack match (all of them)
 * and the state match (--state only).  Both lower to nft's native ct
 * expressions (see ir/ext/conntrack.c).
 */
#ifndef NATC_EXT_CONNTRACK_H
#define NATC_EXT_CONNTRACK_H

#include "ir/ext.h"

/* Which tests a rule has, in the order -S prints them. */
enum {
	NC_CT_STATE = 1 << 0,
	NC_CT_PROTO = 1 << 1,
	NC_CT_ORIGSRC = 1 << 2,
	NC_CT_ORIGDST = 1 << 3,
	NC_CT_REPLSRC = 1 << 4,
	NC_CT_REPLDST = 1 << 5,
	NC_CT_ORIGSRCPORT = 1 << 6,
	NC_CT_ORIGDSTPORT = 1 << 7,
	NC_CT_REPLSRCPORT = 1 << 8,
	NC_CT_REPLDSTPORT = 1 << 9,
	NC_CT_STATUS = 1 << 10,
	NC_CT_EXPIRE = 1 << 11,
	NC_CT_DIR = 1 << 12,
};

struct nc_conntrack {
	uint32_t have, inv;		/* NC_CT_* */
	uint32_t state;			/* conntrack directions (IP_CT_DIR_*) */
#define CT_DIR_ORIGINAL 0
#define CT_DIR_REPLY 1

/* nft's ct state bits */
	uint32_t status;		/* IPS_* bits */
	uint8_t proto;
	uint8_t dir;			/* CT_DIR_ORIGINAL / _REPLY */
	union nc_addr addr[4], mask[4];	/* origsrc, origdst, replsrc, repldst */
	uint16_t ports[4][2];		/* same order, lo and hi */
	uint32_t expire[2];		/* seconds, min and max */
};

/* nft's ct state bits */
#define NC_CTS_INVALID 1u
#define NC_CTS_ESTABLISHED 2u
#define NC_CTS_RELATED 4u
#define NC_CTS_NEW 8u
#define NC_CTS_UNTRACKED 64u
/* xt_conntrack's two states that are status bits (IPS_SRC_NAT, _DST_NAT) */
#define NC_CTS_SNAT 0x100u
#define NC_CTS_DNAT 0x200u

#define STATES_ALL (NC_CTS_INVALID | NC_CTS_ESTABLISHED | NC_CTS_RELATED | \
		    NC_CTS_NEW | NC_CTS_UNTRACKED)
#define STATUS_ALL 15u
#define NAT_STATES (NC_CTS_SNAT | NC_CTS_DNAT)
#define IPS_NAT_BITS 48u	/* IPS_SRC_NAT | IPS_DST_NAT */

/* The conntrack match's kernel form (ir/ext/lib/conntrack_expr.c) */
int nc_ct_linearize(const struct nc_ext *e, const struct nc_rule *r,
		    struct nc_exprs *out);
int nc_ct_delinearize(struct nc_rule *r, struct nc_expr_cursor *c);

/* "--state"/"--ctstate" list: -1 with iptables' message "Bad @what". */
int nc_ct_parse_states(const char *arg, const char *what, bool snat_dnat,
		       uint32_t *mask, const struct nc_loc *loc, struct nc_err *err);
void nc_ct_put_states(struct nc_buf *b, uint32_t mask);
/* Whether @e (a conntrack or state instance) tests the state alone, so
 * that it may be either kind: a reader of layout hints may then set
 * e->ops to &nc_ext_state (the data is the same). */
bool nc_ct_is_state(const struct nc_ext *e);
/* nft text of a state test: " ct state new,established", negated
 * " ct state & (new|established) == 0" (the expressions of
 * nc_ct_lin_state). */
void nc_ct_xlate_state(struct nc_buf *b, uint32_t mask, bool inv);
/* nft text of a conntrack instance, in nc_ct_linearize's order; -1 when
 * some test has none. */
int nc_ct_xlate(const struct nc_ext *e, const struct nc_rule *r, struct nc_buf *b);
/* The state test, as nft writes `ct state new,established` or
 * `ct state & (new|established) == 0`. */
int nc_ct_lin_state(struct nc_exprs *out, uint32_t mask, bool inv);

/* --explain, for conntrack and state: the first packet of a connection
 * (the only one the nat chains see) is NEW, and DNAT once translated. */
void nc_ct_describe(const struct nc_ext *e, const struct nc_rule *r,
		    struct nc_buf *b);
int nc_ct_packet(const struct nc_ext *e, const struct nc_rule *r,
		 struct nc_pkt *p);

#endif
