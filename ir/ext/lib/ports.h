/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Source and destination port matching, shared by the tcp, udp and sctp
 * matches (each has its own file and ops table).  A range that covers
 * every port and is not negated is stored as "no test", as iptables does.
 */
#ifndef NATC_EXT_PORTS_H
#define NATC_EXT_PORTS_H

#include "ir/ext.h"

enum { NC_PORTS_SRC = 1, NC_PORTS_DST = 2 };

struct nc_ports {
	uint16_t spts[2], dpts[2];
	uint8_t have;		/* NC_PORTS_SRC | NC_PORTS_DST */
	uint8_t inv;		/* same bits: negated */
};

enum { NC_PORTS_OPT_SPORT = 1, NC_PORTS_OPT_DPORT };

#define NC_PORTS_OPTS \
	{ "source-port", NC_PORTS_OPT_SPORT, NC_EXTOPT_ARG | NC_EXTOPT_INV }, \
	{ "sport", NC_PORTS_OPT_SPORT, NC_EXTOPT_ARG | NC_EXTOPT_INV }, \
	{ "destination-port", NC_PORTS_OPT_DPORT, NC_EXTOPT_ARG | NC_EXTOPT_INV }, \
	{ "dport", NC_PORTS_OPT_DPORT, NC_EXTOPT_ARG | NC_EXTOPT_INV }

int nc_ports_parse(struct nc_ext *e, struct nc_rule *r,
		   const struct nc_ext_opt *opt, bool inv, const char *arg,
		   const struct nc_loc *loc, struct nc_err *err);
int nc_ports_check(struct nc_ext *e, const struct nc_rule *r, struct nc_err *err);
bool nc_ports_empty(const struct nc_ext *e);
/* nc_ext_ops.merge: the port tests @into lacks */
void nc_ports_merge(struct nc_ext *into, struct nc_ext *from);
void nc_ports_save(const struct nc_ext *e, const struct nc_rule *r, struct nc_buf *b);
void nc_ports_print(const struct nc_ext *e, const struct nc_rule *r,
		    struct nc_buf *b, unsigned fmt);
int nc_ports_xlate(const struct nc_ext *e, const struct nc_rule *r,
		   struct nc_xlate *x);
int nc_ports_linearize(const struct nc_ext *e, const struct nc_rule *r,
		       struct nc_exprs *out);
/* The instance of @ops a port test (@bit) read at @c adds to, or NULL. */
struct nc_ext *nc_ports_joinable(const struct nc_ext_ops *ops,
				 struct nc_rule *r,
				 const struct nc_expr_cursor *c, uint8_t bit);
/* Recognise port tests for @ops (whose protocol the rule already tests). */
int nc_ports_delinearize(const struct nc_ext_ops *ops, struct nc_rule *r,
			 struct nc_expr_cursor *c);

/*
 * One port range test on a 2-byte value already loaded into NFT_REG_1, as
 * nft writes it (shared with conntrack's --ct*port options):
 * nc_ports_lin_cmp() appends the compare(s); nc_ports_delin_cmp() reads
 * them at @at expressions past the cursor and returns how many it read
 * (0: none); nc_ports_xlate_cmp() writes their nft text (" 80",
 * " != 1-9", " <= 9", " >= 1024").
 */
/* A port as iptables lists it: its service name for @proto unless
 * NC_FMT_NUMERIC is in @fmt or @proto is NULL, else the number. */
void nc_port_print(struct nc_buf *b, uint16_t port, const char *proto,
		   unsigned fmt);
int nc_ports_lin_cmp(struct nc_exprs *out, const uint16_t pts[2], bool inv);
size_t nc_ports_delin_cmp(const struct nc_expr_cursor *c, size_t at,
			  uint16_t pts[2], bool *inv);
void nc_ports_xlate_cmp(struct nc_buf *b, const uint16_t pts[2], bool inv);

void nc_ports_describe(const struct nc_ext *e, const struct nc_rule *r,
		       struct nc_buf *b);
int nc_ports_packet(const struct nc_ext *e, const struct nc_rule *r,
		    struct nc_pkt *p);
/*
 * iptables-nft's xt form of the match (an NC_E_MATCH named as @ops,
 * revision 0, spts[2] and dpts[2] in host order at the start of its info):
 * peek returns its info bytes (at least @min_len) when the cursor is at
 * one the rule can take, else NULL; add then makes the instance with the
 * ports and @inv (bit 0 source, bit 1 destination), moves past it and
 * returns 1 (-1 ENOMEM).
 */
const uint8_t *nc_ports_xt_peek(const struct nc_ext_ops *ops,
				const struct nc_rule *r,
				const struct nc_expr_cursor *c, size_t min_len);
int nc_ports_xt_add(const struct nc_ext_ops *ops, struct nc_rule *r,
		    struct nc_expr_cursor *c, const uint8_t *info, uint8_t inv,
		    struct nc_ext **e);

#define NC_PORTS_OPS(var, proto_name)				\
	.name = proto_name,					\
	.kind = NC_EXT_MATCH,					\
	.families = NC_FAMILY_IPV4 | NC_FAMILY_IPV6,		\
	.size = sizeof(struct nc_ports),			\
	.parse = nc_ports_parse,				\
	.check = nc_ports_check,				\
	.empty = nc_ports_empty,				\
	.save = nc_ports_save,					\
	.print = nc_ports_print,				\
	.linearize = nc_ports_linearize,			\
	.xlate = nc_ports_xlate,				\
	.describe = nc_ports_describe,				\
	.packet = nc_ports_packet

#endif
