// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Address formatting for -S and -L, by family.  Names for -L come from
 * libxtables (getnameinfo, then getnetbyaddr), exactly as iptables looks
 * them up.
 */
#include <string.h>
#include <xtables.h>
#include "ir/addr.h"
#include "ir/lock.h"

static size_t addr_len(uint8_t family)
{
	return family == AF_INET6 ? 16 : 4;
}

void nc_addr_put(struct nc_buf *b, uint8_t family, const union nc_addr *a)
{
	char s[INET6_ADDRSTRLEN], *p = s;

	if (family == AF_INET6) {
		nc_buf_puts(b, nc_addr_ntop(family, a, s));
		return;
	}
	for (int i = 0; i < 4; i++) {	/* inet_ntop's cost, without it */
		unsigned v = a->b[i];

		if (v >= 100)
			*p++ = (char)('0' + v / 100);
		if (v >= 10)
			*p++ = (char)('0' + v / 10 % 10);
		*p++ = (char)('0' + v % 10);
		*p++ = '.';
	}
	nc_buf_putn(b, s, (size_t)(p - s - 1));
}

const char *nc_addr_ntop(uint8_t family, const union nc_addr *a, char *buf)
{
	int af = family == AF_INET6 ? AF_INET6 : AF_INET;

	if (!inet_ntop(af, a->b, buf, INET6_ADDRSTRLEN))
		buf[0] = '\0';
	return buf;
}

int nc_mask_to_cidr(uint8_t family, const union nc_addr *mask)
{
	size_t len = addr_len(family), i = 0;
	int bits = 0;

	while (i < len && mask->b[i] == 0xff) {
		bits += 8;
		i++;
	}
	if (i < len) {
		uint8_t m = mask->b[i++];

		while (m & 0x80) {
			bits++;
			m = (uint8_t)(m << 1);
		}
		if (m)
			return -1;
	}
	for (; i < len; i++)
		if (mask->b[i])
			return -1;
	return bits;
}

static bool addr_is_zero(uint8_t family, const union nc_addr *a)
{
	for (size_t i = 0; i < addr_len(family); i++)
		if (a->b[i])
			return false;
	return true;
}

/* "/LEN" or "/MASK": the mask after the address, in -S form. */
static void save_mask(struct nc_buf *b, uint8_t family,
		      const union nc_addr *mask)
{
	char buf[INET6_ADDRSTRLEN];
	int cidr = nc_mask_to_cidr(family, mask);

	if (cidr < 0)
		nc_buf_printf(b, "/%s", nc_addr_ntop(family, mask, buf));
	else
		nc_buf_printf(b, "/%d", cidr);
}

/*
 * iptables skips an IPv4 address when address and mask are both zero, an
 * IPv6 one when the mask is /0; either way only when not inverted.
 */
static bool save_skips(uint8_t family, const union nc_addr *addr,
		       const union nc_addr *mask, bool inv)
{
	if (inv)
		return false;
	if (family == AF_INET6)
		return nc_mask_to_cidr(family, mask) == 0;
	return addr_is_zero(family, mask) && addr_is_zero(family, addr);
}

void nc_addr_save(struct nc_buf *b, uint8_t family, char letter,
		  const union nc_addr *addr, const union nc_addr *mask,
		  bool inv)
{
	char buf[INET6_ADDRSTRLEN];

	if (save_skips(family, addr, mask, inv))
		return;
	nc_buf_printf(b, "%s -%c %s", inv ? " !" : "", letter,
		      nc_addr_ntop(family, addr, buf));
	save_mask(b, family, mask);
}

/* "anywhere": IPv4 looks at the mask, IPv6 at the address. */
static bool list_anywhere(uint8_t family, const union nc_addr *addr,
			  const union nc_addr *mask)
{
	return family == AF_INET6 ? addr_is_zero(family, addr)
				  : addr_is_zero(family, mask);
}

static const char *list_name(uint8_t family, const union nc_addr *addr,
			     bool numeric, char *buf)
{
	if (numeric)
		return nc_addr_ntop(family, addr, buf);
	if (family == AF_INET6)
		return xtables_ip6addr_to_anyname(&addr->in6);
	return xtables_ipaddr_to_anyname(&addr->in);
}

void nc_addr_list(struct nc_buf *b, uint8_t family, const union nc_addr *addr,
		  const union nc_addr *mask, bool numeric)
{
	char buf[INET6_ADDRSTRLEN];
	int cidr;

	if (!numeric && list_anywhere(family, addr, mask)) {
		nc_buf_puts(b, "anywhere");
		return;
	}
	nc_lib_lock();		/* libxtables' name is in a buffer of its own */
	nc_buf_puts(b, list_name(family, addr, numeric, buf));
	nc_lib_unlock();
	cidr = nc_mask_to_cidr(family, mask);
	if (cidr < 0)
		nc_buf_printf(b, "/%s", nc_addr_ntop(family, mask, buf));
	else if ((size_t)cidr != addr_len(family) * 8)
		nc_buf_printf(b, "/%d", cidr);
}
