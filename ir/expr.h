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
 * Registers are the 16-byte NFT_REG_1..NFT_REG_4, the 4-byte
 * NFT_REG32_00.. (a map's second value half, for instance) or
 * NFT_REG_VERDICT.
 *
 * Besides the expressions, a list carries what belongs to the rule as a
 * whole: anonymous sets its lookups use (created in the same transaction),
 * the rule's userdata (a comment) and the compat attribute of xt rules.
 * Variable-length bytes (xt info blobs, log prefixes, set elements,
 * userdata) live in the list's own byte arena and are referred to by
 * offset.  The list owns all of it: free it with nc_exprs_free().
 */
#ifndef NATC_EXPR_H
#define NATC_EXPR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/netfilter/nf_tables.h>
#include "ir/cmd.h"

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
	NC_E_LOOKUP,		/* set membership or map lookup */
	NC_E_CT,		/* conntrack load, or store with sreg */
	NC_E_LIMIT,
	NC_E_NUMGEN,
	NC_E_LOG,
	NC_E_FIB,
	NC_E_MATCH,		/* xt compat match (nft_compat) */
	NC_E_TARGET,		/* xt compat target (nft_compat) */
	NC_E_BYTEORDER,		/* hton/ntoh of a register (meta length ranges) */
	NC_E_UNKNOWN,		/* any other kind, read from the kernel */
};

struct nc_expr {
	enum nc_expr_type type;
	union {
		/* a load into dreg, or with sreg != 0 a store
		 * ("meta mark set"); dreg is then 0 */
		struct { uint32_t key, dreg, sreg; } meta;
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
		struct {
			uint32_t sreg, dreg;	/* dreg 0: a set, not a map */
			uint32_t set;		/* index into nc_exprs.sets */
			uint32_t flags;		/* NFT_LOOKUP_F_INV */
		} lookup;
		struct {
			uint32_t key;		/* enum nft_ct_keys */
			uint32_t dreg, sreg;	/* as meta */
			int32_t dir;		/* IP_CT_DIR_*, -1 = none */
		} ct;
		struct {
			uint64_t rate, unit;	/* rate per unit seconds */
			uint32_t burst, type;	/* NFT_LIMIT_PKTS / _PKT_BYTES */
			uint32_t flags;		/* NFT_LIMIT_F_INV */
		} limit;
		struct {
			uint32_t dreg, modulus, type, offset; /* NFT_NG_* */
		} numgen;
		struct {
			/* which attributes are present: NC_LOG_HAS_* */
			uint32_t has;
			uint16_t group, qthreshold;
			uint32_t snaplen, level, flags;
			uint32_t prefix_off, prefix_len; /* arena, no NUL */
		} log;
		struct {
			uint32_t flags;		/* NFTA_FIB_F_* */
			uint32_t result;	/* NFT_FIB_RESULT_* */
			uint32_t dreg;
		} fib;
		struct {		/* NC_E_MATCH and NC_E_TARGET */
			char name[32];
			uint32_t rev;
			uint32_t info_off, info_len;	/* arena */
		} xt;
		struct {
			uint32_t sreg, dreg;
			uint32_t op;		/* NFT_BYTEORDER_NTOH / _HTON */
			uint32_t len, size;	/* bytes, element size */
		} byteorder;
		struct { char name[32]; } unknown;
	} u;
};

enum {
	NC_LOG_HAS_GROUP = 1 << 0,
	NC_LOG_HAS_PREFIX = 1 << 1,
	NC_LOG_HAS_SNAPLEN = 1 << 2,
	NC_LOG_HAS_QTHRESHOLD = 1 << 3,
	NC_LOG_HAS_LEVEL = 1 << 4,
	NC_LOG_HAS_FLAGS = 1 << 5,
};

/* One element of an anonymous set; intervals are written as nft does
 * (a start element, and an end element flagged NFT_SET_ELEM_INTERVAL_END). */
struct nc_set_elem {
	uint8_t key[NC_EXPR_MAXLEN];
	uint8_t data[NC_EXPR_MAXLEN];	/* maps only */
	uint32_t flags;			/* NFT_SET_ELEM_INTERVAL_END */
};

/* An anonymous set of a rule ("{ 80, 443 }"). */
struct nc_set {
	uint32_t flags;		/* NFT_SET_ANONYMOUS | NFT_SET_CONSTANT |
				 * NFT_SET_INTERVAL | NFT_SET_MAP */
	uint32_t key_type, key_len;	/* nft's datatype ids, bytes */
	uint32_t data_type, data_len;	/* maps only */
	uint32_t size;			/* NFTA_SET_DESC_SIZE, 0 = none */
	uint32_t udata_off, udata_len;	/* NFTA_SET_USERDATA, in arena */
	struct nc_set_elem *elems;	/* owned by the list */
	size_t nelems, cap;
};

struct nc_exprs {
	struct nc_expr *v;
	size_t n, cap;
	struct nc_set *sets;		/* referred to by NC_E_LOOKUP */
	size_t nsets, setcap;
	uint8_t *arena;			/* bytes referred to by offset */
	size_t alen, acap;
	uint32_t udata_off, udata_len;	/* rule userdata (TLVs), in arena */
	bool compat;			/* the rule has NFTA_RULE_COMPAT: */
	uint32_t compat_proto, compat_flags;	/* NFT_RULE_COMPAT_F_INV */
};

/* Append a zeroed expression of @type; NULL with errno on ENOMEM. */
struct nc_expr *nc_exprs_add(struct nc_exprs *l, enum nc_expr_type type);

/* The kernel's name of expression kind @type ("payload", ...); NULL for
 * NC_E_UNKNOWN or a value out of range. */
const char *nc_expr_kind_name(enum nc_expr_type type);
/* Whether @x reads register 1 (or a 4-byte register within it): -1
 * (a kind natc does not know too), loads it anew: 1, or neither: 0. */
int nc_expr_reg1_use(const struct nc_expr *x);
void nc_exprs_reset(struct nc_exprs *l);	/* empty it, keep storage */
void nc_exprs_free(struct nc_exprs *l);

/* Copy @len bytes into the arena; returns their offset, or -1 (ENOMEM,
 * or E2BIG past 4 GiB). */
int64_t nc_exprs_store(struct nc_exprs *l, const void *p, size_t len);
/* Bytes at @off of the arena. */
static inline const uint8_t *nc_exprs_bytes(const struct nc_exprs *l, uint32_t off)
{
	return l->arena + off;
}
/* Add an anonymous set; returns its index or -1 with errno. */
int nc_exprs_add_set(struct nc_exprs *l, uint32_t flags, uint32_t key_type,
		     uint32_t key_len, uint32_t data_type, uint32_t data_len);
/* Append an element to set @set; NULL with errno on ENOMEM. */
struct nc_set_elem *nc_set_add_elem(struct nc_exprs *l, uint32_t set);
/*
 * Rule userdata is a list of TLVs (one type byte, one length byte, the
 * value), as libnftnl's nftnl_udata.  Type 0 is the comment nft and
 * iptables-nft read; readers skip types they do not know, so natc keeps
 * its own layout hints under NC_UDATA_NATC.
 */
#define NC_UDATA_COMMENT 0	/* NFTNL_UDATA_RULE_COMMENT */
#define NC_UDATA_NATC 0xc0	/* natc's own: what native expressions
				 * cannot say (see ir/ext/comment.c) */
/* Append one TLV (@len <= 255); -1 with errno.  TLVs of a rule must be
 * added one after another, with no other arena use in between. */
int nc_exprs_add_udata(struct nc_exprs *l, uint8_t type, const void *v, size_t len);
/* The first TLV of @type: its value and length, or NULL. */
const uint8_t *nc_exprs_udata(const struct nc_exprs *l, uint8_t type, size_t *len);
/* The comment TLV of @comment, NUL included, as nft writes it; -1 with
 * errno (E2BIG over 255 bytes). */
int nc_exprs_set_comment(struct nc_exprs *l, const char *comment);
/* The comment in the userdata, or NULL; @buf gets a NUL-terminated copy. */
const char *nc_exprs_comment(const struct nc_exprs *l, char *buf, size_t size);
/* An xt match or target with its info blob; -1 with errno. */
int nc_expr_xt(struct nc_exprs *l, enum nc_expr_type type, const char *name,
	       uint32_t rev, const void *info, size_t len);

/* Builders for the common shapes, each returning -1 on ENOMEM. */
int nc_expr_meta(struct nc_exprs *l, uint32_t key);
int nc_expr_payload(struct nc_exprs *l, uint32_t base, uint32_t off, uint32_t len);
int nc_expr_cmp(struct nc_exprs *l, uint32_t op, const void *data, uint32_t len);
int nc_expr_bitwise(struct nc_exprs *l, const void *mask, uint32_t len);
/* The loaded value between @lo and @hi (@len bytes each, as compared):
 * two compares (>= @lo, <= @hi), or with @inv one range != (what nft
 * writes for both). */
int nc_expr_between(struct nc_exprs *l, const void *lo, const void *hi,
		    uint32_t len, bool inv);
int nc_expr_range(struct nc_exprs *l, uint32_t op, const void *from,
		  const void *to, uint32_t len);
int nc_expr_imm_data(struct nc_exprs *l, uint32_t dreg, const void *data, uint32_t len);
int nc_expr_imm_verdict(struct nc_exprs *l, int32_t verdict, const char *chain);
/* reg 1 = hton(reg 1, @len, @size), as nft converts host-order meta keys
 * before a range compare. */
int nc_expr_byteorder(struct nc_exprs *l, uint32_t op, uint32_t len, uint32_t size);

/*
 * A read cursor for delinearizing: extensions peek at and consume the
 * expressions they recognise.  @parse is natc's parser as the caller of
 * nc_rule_delinearize() handed it in, for the xt kinds that read an
 * extension's text again (NULL: they keep the kernel's bytes).
 */
struct nc_expr_cursor {
	const struct nc_exprs *l;
	size_t pos;
	nc_parse_line_fn *parse;
	/*
	 * Where a match instance ends at the latest (l->n, or where natc's
	 * userdata says the next one starts: peeking stops there), and the
	 * first of the rule's matches the expressions at the cursor may add
	 * a test to (nc_cursor_joins(): those made since that start).
	 */
	size_t end, from;
};

static inline const struct nc_expr *
nc_cursor_peek(const struct nc_expr_cursor *c, size_t ahead)
{
	size_t end = c->end < c->l->n ? c->end : c->l->n;

	return c->pos + ahead < end ? &c->l->v[c->pos + ahead] : NULL;
}

#endif
