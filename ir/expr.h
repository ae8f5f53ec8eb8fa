/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Kernel expressions, described without libnftnl.
 *
 * Extensions lower ("linearize") a rule into a list of these, in the order
 * nft itself emits them, and raise ("delinearize") a list read back from the
 * kernel into a rule.  backend/netlink turns each one into exactly one
 * nf_tables expression and back, mechanically: all knowledge of what a
 * DNAT or a port match looks like in the kernel stays in ir/ext/.
 *
 * Values in data/mask/xor/from/to are in the byte order the kernel compares
 * (network order for payload, host order for meta keys such as l4proto).
 * Registers are the 16-byte NFT_REG_1..NFT_REG_4 or NFT_REG_VERDICT.
 * The list owns nothing outside itself: free it with nc_exprs_free().
 */
#ifndef NATC_EXPR_H
#define NATC_EXPR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/netfilter/nf_tables.h>

#define NC_EXPR_MAXLEN 16	/* widest value: an IPv6 address, a name */

enum nc_expr_type {
	NC_E_META,
	NC_E_CMP,
	NC_E_PAYLOAD,
	NC_E_BITWISE,
	NC_E_RANGE,
	NC_E_COUNTER,
	NC_E_IMMEDIATE,
	NC_E_NAT,
	NC_E_MASQ,
	NC_E_REDIR,
	NC_E_UNKNOWN,		/* any other kind, read from the kernel */
};

struct nc_expr {
	enum nc_expr_type type;
	union {
		struct { uint32_t key, dreg; } meta;
		struct {
			uint32_t sreg, op;	/* enum nft_cmp_ops */
			uint32_t len;
			uint8_t data[NC_EXPR_MAXLEN];
		} cmp;
		struct { uint32_t base, offset, len, dreg; } payload;
		struct {
			uint32_t sreg, dreg, len;
			uint8_t mask[NC_EXPR_MAXLEN], xor[NC_EXPR_MAXLEN];
		} bitwise;
		struct {
			uint32_t sreg, op;	/* NFT_RANGE_EQ / NFT_RANGE_NEQ */
			uint32_t len;
			uint8_t from[NC_EXPR_MAXLEN], to[NC_EXPR_MAXLEN];
		} range;
		struct { uint64_t packets, bytes; } counter;
		struct {
			uint32_t dreg;		/* NFT_REG_VERDICT: verdict */
			int32_t verdict;	/* NF_ACCEPT, NFT_JUMP, ... */
			char chain[32];		/* jump/goto target */
			uint32_t len;
			uint8_t data[NC_EXPR_MAXLEN];
		} imm;
		struct {
			uint32_t type;		/* NFT_NAT_SNAT / NFT_NAT_DNAT */
			uint32_t family;	/* NFPROTO_IPV4 / NFPROTO_IPV6 */
			/* 0 = register not used */
			uint32_t reg_addr_min, reg_addr_max;
			uint32_t reg_proto_min, reg_proto_max;
			uint32_t flags;		/* NF_NAT_RANGE_* */
		} nat;
		struct {		/* masq and redir */
			uint32_t reg_proto_min, reg_proto_max;
			uint32_t flags;
		} masq;
		struct { char name[32]; } unknown;
	} u;
};

struct nc_exprs {
	struct nc_expr *v;
	size_t n, cap;
};

/* Append a zeroed expression of @type; NULL with errno on ENOMEM. */
struct nc_expr *nc_exprs_add(struct nc_exprs *l, enum nc_expr_type type);
void nc_exprs_reset(struct nc_exprs *l);	/* empty it, keep storage */
void nc_exprs_free(struct nc_exprs *l);

/* Builders for the common shapes, each returning -1 on ENOMEM. */
int nc_expr_meta(struct nc_exprs *l, uint32_t key);
int nc_expr_payload(struct nc_exprs *l, uint32_t base, uint32_t off, uint32_t len);
int nc_expr_cmp(struct nc_exprs *l, uint32_t op, const void *data, uint32_t len);
int nc_expr_bitwise(struct nc_exprs *l, const void *mask, uint32_t len);
int nc_expr_range(struct nc_exprs *l, uint32_t op, const void *from,
		  const void *to, uint32_t len);
int nc_expr_imm_data(struct nc_exprs *l, uint32_t dreg, const void *data, uint32_t len);
int nc_expr_imm_verdict(struct nc_exprs *l, int32_t verdict, const char *chain);

/*
 * A read cursor for delinearizing: extensions peek at and consume the
 * expressions they recognise.
 */
struct nc_expr_cursor {
	const struct nc_exprs *l;
	size_t pos;
};

static inline const struct nc_expr *
nc_cursor_peek(const struct nc_expr_cursor *c, size_t ahead)
{
	return c->pos + ahead < c->l->n ? &c->l->v[c->pos + ahead] : NULL;
}

#endif
