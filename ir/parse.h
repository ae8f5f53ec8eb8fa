/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Value parsers shared by the build pass and the extensions: addresses
 * with masks and host names, ports and service names, protocols and
 * interfaces, with iptables' rules and messages.  Each returns 0, or -1
 * with @err filled (a parameter problem located at @loc).
 */
#ifndef NATC_PARSE_H
#define NATC_PARSE_H

#include "ir/ir.h"
#include "ir/err.h"

/* "addr[/mask][,addr[/mask]...]": a host name may give several addresses.
 * *addrs and *masks are allocated (caller frees), *n entries, each address
 * already masked, duplicates removed. */
int nc_parse_addr_list(const char *s, uint8_t family, union nc_addr **addrs,
		       union nc_addr **masks, size_t *n,
		       const struct nc_loc *loc, struct nc_err *err);
/* One numeric address (no names, no mask): 0, or -1 without touching err. */
int nc_parse_addr_numeric(const char *s, uint8_t family, union nc_addr *a);

/* A port number or service name for @proto ("tcp", "udp", ...). */
int nc_parse_port(const char *s, const char *proto, uint16_t *port,
		  const struct nc_loc *loc, struct nc_err *err);
/* "p", "p:q", ":q", "p:" as --sport/--dport take them. */
int nc_parse_port_range(const char *s, const char *proto, uint16_t *lo,
			uint16_t *hi, const struct nc_loc *loc, struct nc_err *err);

/* -p: a name, "all", or a number 0-255. */
int nc_parse_proto(const char *s, uint8_t *proto, const struct nc_loc *loc,
		   struct nc_err *err);
/* The name iptables prints for a protocol number, NULL if it has none;
 * with @nolookup only iptables' own table is asked, not /etc/protocols. */
const char *nc_proto_name(uint8_t proto, bool nolookup);

/* -i/-o: a name shorter than IFNAMSIZ, '+' as a trailing wildcard. */
int nc_parse_iface(const char *s, struct nc_iface *out,
		   const struct nc_loc *loc, struct nc_err *err);

/* A whole number in [min, max]: 0, or -1 without touching err. */
int nc_parse_uint(const char *s, unsigned long min, unsigned long max,
		  unsigned long *out);

/* The number of leading one bits of a contiguous mask, -1 otherwise. */
int nc_mask_to_prefix(const union nc_addr *m, uint8_t family);
void nc_prefix_to_mask(int prefix, uint8_t family, union nc_addr *m);

#endif
