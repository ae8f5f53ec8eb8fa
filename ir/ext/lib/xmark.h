/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What MARK and CONNMARK share: 32-bit values written as iptables'
 * option parser takes them (decimal, 0x hex or 0 octal), "value/mask"
 * pairs, and xtables' rules for options that exclude each other.
 */
#ifndef NATC_EXT_XMARK_H
#define NATC_EXT_XMARK_H

#include "ir/ext.h"

/* "V" or, when @mask is not NULL, "V[/M]" (M defaults to 0xffffffff).
 * -1 with xtables' message for option @opt of target @tname. */
int nc_xmark_parse(const char *arg, uint32_t *val, uint32_t *mask,
		   const char *tname, const char *opt,
		   const struct nc_loc *loc, struct nc_err *err);

/* One whole 32-bit number as above: 0, or -1 (no message). */
int nc_xmark_num(const char *s, uint32_t *v);

/*
 * xtables' final check of options that exclude each other: @given has
 * bit opt->id set for every option seen; @excl[id] (ids 0..31) the ids
 * option id excludes.  Reports the first given option (in table order)
 * with an excluded one, naming the excluded one of lowest id, as xtables
 * does.  0 or -1 with the message.
 */
int nc_xmark_excl(const struct nc_ext *e, uint32_t given, const uint32_t *excl,
		  struct nc_err *err);

/* The option of @ops with id @id (NULL if none). */
const struct nc_ext_opt *nc_xmark_opt(const struct nc_ext_ops *ops, int id);

/* "option --X can only be used once": 0 or -1. */
int nc_xmark_once(const struct nc_ext *e, uint32_t *given,
		  const struct nc_ext_opt *opt, const struct nc_loc *loc,
		  struct nc_err *err);

/* Recognise "reg1 = mark-like value (4 bytes, host order)" shapes. */
bool nc_xmark_imm32(const struct nc_expr *x, uint32_t reg, uint32_t *v);
bool nc_xmark_bitwise32(const struct nc_expr *x, uint32_t reg,
			uint32_t *and, uint32_t *xor);
int nc_xmark_bitwise(struct nc_exprs *out, uint32_t and, uint32_t xor);

/* Loads into and stores from NFT_REG_1 of a meta or ct key (@type
 * NC_E_META or NC_E_CT): "meta load mark", "ct set mark". */
int nc_xmark_load(struct nc_exprs *out, enum nc_expr_type type, uint32_t key);
int nc_xmark_store(struct nc_exprs *out, enum nc_expr_type type, uint32_t key);
bool nc_xmark_is_load(const struct nc_expr *x, enum nc_expr_type type, uint32_t key);
bool nc_xmark_is_store(const struct nc_expr *x, enum nc_expr_type type, uint32_t key);

/* The mark key of @type: NFT_META_MARK or NFT_CT_MARK. */
uint32_t nc_xmark_key(enum nc_expr_type type);

/*
 * "dst mark = (src mark & and) ^ xor" at the cursor: [load src mark]
 * [bitwise]? [store dst mark] (@src NC_E_META or NC_E_CT), or
 * [immediate] [store dst mark] (@src NC_E_IMMEDIATE, @and 0).  Returns
 * how many expressions it covers, 0 when the cursor shows something else.
 */
size_t nc_xmark_match(const struct nc_expr_cursor *c, enum nc_expr_type *src,
		      enum nc_expr_type dst, uint32_t *and, uint32_t *xor);

/* --explain: "the packet mark set to 0x4000" and the like, for the
 * change (x & ~@mask) ^ @val of @what ("packet mark"). */
void nc_xmark_describe(struct nc_buf *b, const char *what, uint32_t val,
		       uint32_t mask);

#endif
