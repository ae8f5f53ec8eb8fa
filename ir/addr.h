/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Address and mask formatting for the printers, by family (AF_INET,
 * AF_INET6), the way iptables 1.8.9 writes them (iptables/xshared.c:
 * save_ipv4_addr, save_ipv6_addr, ipv4_addr_to_string, ipv6_addr_to_string).
 * Everything appends to a caller-owned buffer; nothing keeps state.
 */
#ifndef NATC_ADDR_H
#define NATC_ADDR_H

#include <stdbool.h>
#include <stdint.h>
#include <arpa/inet.h>
#include "ir/ir.h"
#include "ir/buf.h"

/* inet_ntop() of @a for @family into @buf (INET6_ADDRSTRLEN bytes). */
/* @a as inet_ntop() writes it, appended to @b. */
void nc_addr_put(struct nc_buf *b, uint8_t family, const union nc_addr *a);
const char *nc_addr_ntop(uint8_t family, const union nc_addr *a, char *buf);

/* Prefix length of a contiguous mask, -1 when it is not contiguous. */
int nc_mask_to_cidr(uint8_t family, const union nc_addr *mask);

/*
 * -S form of -s/-d (@letter 's' or 'd'): " [!] -s ADDR/LEN", or
 * " -s ADDR/MASK" for a non-contiguous mask; nothing at all for an
 * uninverted match-anything address.
 */
void nc_addr_save(struct nc_buf *b, uint8_t family, char letter,
		  const union nc_addr *addr, const union nc_addr *mask,
		  bool inv);

/*
 * -L form of an address column without padding: "anywhere" (unless
 * @numeric), else a host or network name (unless @numeric) or the numbers,
 * then "/LEN" or "/MASK" except for a host mask.
 */
void nc_addr_list(struct nc_buf *b, uint8_t family, const union nc_addr *addr,
		  const union nc_addr *mask, bool numeric);

#endif
