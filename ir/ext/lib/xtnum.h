/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Numbers as iptables' extensions read them (xtables_strtoul): base 0
 * (0x.. hex, 0.. octal), leading blanks and a sign allowed as strtoul
 * takes them, a value in [min, max].
 */
#ifndef NATC_EXT_XTNUM_H
#define NATC_EXT_XTNUM_H

#include <stdbool.h>
#include <stdint.h>

/* The whole of @s is a number in [min, max]: true and *out. */
bool nc_xt_uint(const char *s, uint64_t min, uint64_t max, uint64_t *out);
/* A number at the start of @s; *end after it (false if none or out of
 * range). */
bool nc_xt_uint_prefix(const char *s, uint64_t min, uint64_t max,
		       uint64_t *out, const char **end);

#endif
