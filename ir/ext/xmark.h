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

/*
 * xtables' final check of mutually exclusive options: @given has bit
 * opt->id set for every option seen, @excl the ids that exclude each
 * other.  Reports the first option (in table order) that is given with
 * another.  0 or -1 with the message.
 */
int nc_xmark_excl(const struct nc_ext *e, uint32_t given, uint32_t excl,
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

#endif
