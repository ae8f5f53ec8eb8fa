// SPDX-License-Identifier: GPL-2.0-or-later
/* Value parsers with iptables' rules and messages. */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <netdb.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <xtables.h>
#include "ir/parse.h"
#include "ir/lock.h"

int nc_parse_uint(const char *s, unsigned long min, unsigned long max,
		  unsigned long *out)
{
	unsigned long v = 0;

	/* what strtoul(s, &end, 10) with *end == '\0' and no ERANGE
	 * accepts, once s starts with a digit: digits only */
	if (!isdigit((unsigned char)*s))
		return -1;
	for (; *s; s++) {
		unsigned d = (unsigned)(unsigned char)*s - '0';

		if (d > 9 || v > (ULONG_MAX - d) / 10)
			return -1;
		v = v * 10 + d;
	}
	if (v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

static size_t addr_len(uint8_t family)
{
	return family == AF_INET6 ? 16 : 4;
}

void nc_prefix_to_mask(int prefix, uint8_t family, union nc_addr *m)
{
	size_t len = addr_len(family);

	memset(m, 0, sizeof(*m));
	for (size_t i = 0; i < len && prefix > 0; i++, prefix -= 8)
		m->b[i] = prefix >= 8 ? 0xff : (uint8_t)(0xff << (8 - prefix));
}

int nc_mask_to_prefix(const union nc_addr *m, uint8_t family)
{
	size_t len = addr_len(family);
	int bits = 0;
	size_t i;

	for (i = 0; i < len && m->b[i] == 0xff; i++)
		bits += 8;
	if (i < len) {
		uint8_t b = m->b[i];

		while (b & 0x80) {
			bits++;
			b = (uint8_t)(b << 1);
		}
		if (b)
			return -1;
		for (i++; i < len; i++)
			if (m->b[i])
				return -1;
	}
	return bits;
}

/* "a.b.c.d" in plain decimal (no leading zeros, which libxtables reads
 * as octal); 0, or -1 when @s is anything else. */
static int dotted_quad(const char *s, uint8_t out[4])
{
	for (int i = 0; i < 4; i++) {
		unsigned v = 0, n = 0;

		for (; *s >= '0' && *s <= '9' && n < 4; s++, n++)
			v = v * 10 + (unsigned)(*s - '0');
		if (!n || n > 3 || v > 255 || (n > 1 && s[-(int)n] == '0'))
			return -1;
		out[i] = (uint8_t)v;
		if (*s != (i < 3 ? '.' : '\0'))
			return -1;
		s++;
	}
	return 0;
}

int nc_parse_addr_numeric(const char *s, uint8_t family, union nc_addr *a)
{
	memset(a, 0, sizeof(*a));
	if (family == AF_INET && !dotted_quad(s, a->b))
		return 0;	/* the common case, without libxtables */
	if (family == AF_INET6) {
		struct in6_addr *p;

		nc_lib_lock();
		if ((p = xtables_numeric_to_ip6addr(s)))
			a->in6 = *p;
		nc_lib_unlock();
		return p ? 0 : -1;
	} else {
		struct in_addr *p;

		nc_lib_lock();
		if ((p = xtables_numeric_to_ipaddr(s)))
			a->in = *p;
		nc_lib_unlock();
		return p ? 0 : -1;
	}
}

static int parse_mask(const char *s, uint8_t family, union nc_addr *m,
		      const struct nc_loc *loc, struct nc_err *err)
{
	int maxbits = family == AF_INET6 ? 128 : 32;
	unsigned long bits;

	if (!nc_parse_uint(s, 0, (unsigned long)maxbits, &bits)) {
		nc_prefix_to_mask((int)bits, family, m);
		return 0;
	}
	if (family == AF_INET && strchr(s, '.')) {
		struct in_addr *p;

		nc_lib_lock();
		if ((p = xtables_numeric_to_ipmask(s))) {
			memset(m, 0, sizeof(*m));
			m->in = *p;
		}
		nc_lib_unlock();
		if (p)
			return 0;
	}
	if (family == AF_INET6 && strchr(s, ':')) {
		struct in6_addr *p;

		nc_lib_lock();
		if ((p = xtables_numeric_to_ip6addr(s))) {
			memset(m, 0, sizeof(*m));
			m->in6 = *p;
		}
		nc_lib_unlock();
		if (p)
			return 0;
	}
	return nc_err_param(err, loc, "invalid mask `%s' specified", s);
}

struct addr_vec {
	union nc_addr *addrs, *masks;
	size_t n, cap;
};

/* Append @a/@m; from @from on, an equal entry is not added again (the
 * addresses one host name resolves to, as iptables drops their repeats;
 * repeats in the list as typed are kept, as iptables keeps them). */
static int vec_add(struct addr_vec *v, const union nc_addr *a,
		   const union nc_addr *m, uint8_t family, size_t from)
{
	size_t len = addr_len(family);
	union nc_addr x = { 0 };

	for (size_t i = 0; i < len; i++)
		x.b[i] = a->b[i] & m->b[i];
	for (size_t i = from; i < v->n; i++)
		if (!memcmp(&v->addrs[i], &x, sizeof(x)) &&
		    !memcmp(&v->masks[i], m, sizeof(*m)))
			return 0;
	if (v->n == v->cap) {
		size_t cap = v->cap ? 2 * v->cap : 4;
		union nc_addr *na = realloc(v->addrs, cap * sizeof(*na));

		if (!na)
			return -1;
		v->addrs = na;
		na = realloc(v->masks, cap * sizeof(*na));
		if (!na)
			return -1;
		v->masks = na;
		v->cap = cap;
	}
	v->addrs[v->n] = x;
	v->masks[v->n++] = *m;
	return 0;
}

/* A host name: every address it resolves to. */
static int resolve(const char *host, uint8_t family, const union nc_addr *m,
		   struct addr_vec *v, const struct nc_loc *loc, struct nc_err *err)
{
	struct addrinfo hints = { .ai_family = family, .ai_socktype = SOCK_RAW };
	struct addrinfo *res, *p;
	size_t from = v->n;
	int rc = 0;

	if (getaddrinfo(host, NULL, &hints, &res) != 0)
		return nc_err_param(err, loc, "host/network `%s' not found", host);
	for (p = res; p && rc == 0; p = p->ai_next) {
		union nc_addr a = { 0 };

		if (family == AF_INET)
			a.in = ((struct sockaddr_in *)p->ai_addr)->sin_addr;
		else
			a.in6 = ((struct sockaddr_in6 *)p->ai_addr)->sin6_addr;
		rc = vec_add(v, &a, m, family, from);
	}
	freeaddrinfo(res);
	if (rc < 0)
		return nc_err_set(err, NC_ERESOURCE, loc, "out of memory");
	return 0;
}

static int parse_one_addr(char *item, uint8_t family, struct addr_vec *v,
			  const struct nc_loc *loc, struct nc_err *err)
{
	char *slash = strchr(item, '/');
	union nc_addr a, m;

	nc_prefix_to_mask(family == AF_INET6 ? 128 : 32, family, &m);
	if (slash) {
		*slash = '\0';
		if (parse_mask(slash + 1, family, &m, loc, err) < 0)
			return -1;
	}
	if (!nc_parse_addr_numeric(item, family, &a)) {
		if (vec_add(v, &a, &m, family, v->n) < 0)
			return nc_err_set(err, NC_ERESOURCE, loc, "out of memory");
		return 0;
	}
	if (!*item || strchr(item, ' '))
		return nc_err_param(err, loc, "host/network `%s' not found", item);
	return resolve(item, family, &m, v, loc, err);
}

int nc_parse_addr_list(const char *s, uint8_t family, union nc_addr **addrs,
		       union nc_addr **masks, size_t *n,
		       const struct nc_loc *loc, struct nc_err *err)
{
	struct addr_vec v = { 0 };
	char small[128], *item, *save = NULL;
	size_t len = strlen(s);
	char *copy = len < sizeof(small) ? memcpy(small, s, len + 1) : strdup(s);

	if (!copy)
		return nc_err_set(err, NC_ERESOURCE, loc, "out of memory");
	/* every item, empty ones too (iptables: "host/network `' not found") */
	for (item = copy; item; item = save) {
		save = strchr(item, ',');
		if (save)
			*save++ = '\0';
		if (parse_one_addr(item, family, &v, loc, err) < 0)
			goto fail;
	}
	if (v.n == 0) {
		nc_err_param(err, loc, "host/network `%s' not found", s);
		goto fail;
	}
	if (copy != small)
		free(copy);
	*addrs = v.addrs;
	*masks = v.masks;
	*n = v.n;
	return 0;
fail:
	if (copy != small)
		free(copy);
	free(v.addrs);
	free(v.masks);
	return -1;
}

int nc_parse_port(const char *s, const char *proto, uint16_t *port,
		  const struct nc_loc *loc, struct nc_err *err)
{
	unsigned long v;
	int p;

	if (!nc_parse_uint(s, 0, 65535, &v)) {
		*port = (uint16_t)v;
		return 0;
	}
	p = -1;
	if (*s && !isdigit((unsigned char)*s)) {
		nc_lib_lock();
		p = xtables_service_to_port(s, proto);
		nc_lib_unlock();
	}
	if (p < 0 || p > 65535)
		return nc_err_param(err, loc, "invalid port/service `%s' specified", s);
	*port = (uint16_t)p;
	return 0;
}

int nc_parse_port_range(const char *s, const char *proto, uint16_t *lo,
			uint16_t *hi, const struct nc_loc *loc, struct nc_err *err)
{
	const char *colon = strchr(s, ':');
	char first[64];

	if (!colon)
		return nc_parse_port(s, proto, lo, loc, err) < 0 ? -1 :
		       (*hi = *lo, 0);
	if ((size_t)(colon - s) >= sizeof(first))
		return nc_err_param(err, loc, "invalid port/service `%s' specified", s);
	memcpy(first, s, (size_t)(colon - s));
	first[colon - s] = '\0';
	*lo = 0;
	*hi = 65535;
	if (*first && nc_parse_port(first, proto, lo, loc, err) < 0)
		return -1;
	if (colon[1] && nc_parse_port(colon + 1, proto, hi, loc, err) < 0)
		return -1;
	if (*lo > *hi)
		return nc_err_param(err, loc, "invalid portrange (min > max)");
	return 0;
}

/* iptables' own table (xtables_chain_protos), before /etc/protocols. */
static const struct { const char *name; uint8_t num; } protos[] = {
	{ "tcp", IPPROTO_TCP }, { "sctp", IPPROTO_SCTP }, { "udp", IPPROTO_UDP },
	{ "udplite", IPPROTO_UDPLITE }, { "icmp", IPPROTO_ICMP },
	{ "ipv6-icmp", IPPROTO_ICMPV6 }, { "icmpv6", IPPROTO_ICMPV6 },
	{ "esp", IPPROTO_ESP }, { "ah", IPPROTO_AH },
	{ "mobility-header", IPPROTO_MH }, { "ipv6-mh", IPPROTO_MH },
	{ "mh", IPPROTO_MH }, { "all", 0 },
};

int nc_parse_proto(const char *s, uint8_t *proto, const struct nc_loc *loc,
		   struct nc_err *err)
{
	unsigned long v;
	struct protoent *pe;

	if (!nc_parse_uint(s, 0, 255, &v)) {
		*proto = (uint8_t)v;
		return 0;
	}
	for (size_t i = 0; i < sizeof(protos) / sizeof(protos[0]); i++)
		if (!strcasecmp(protos[i].name, s)) {
			*proto = protos[i].num;
			return 0;
		}
	nc_lib_lock();
	pe = getprotobyname(s);
	if (!pe) {
		char low[64];
		size_t i;

		for (i = 0; s[i] && i < sizeof(low) - 1; i++)
			low[i] = (char)tolower((unsigned char)s[i]);
		low[i] = '\0';
		pe = getprotobyname(low);
	}
	if (pe)
		*proto = (uint8_t)pe->p_proto;
	nc_lib_unlock();
	if (!pe)
		return nc_err_param(err, loc, "unknown protocol \"%s\" specified", s);
	return 0;
}

const char *nc_proto_name(uint8_t proto, bool nolookup)
{
	struct protoent *pe;
	const char *name;

	for (size_t i = 0; i < sizeof(protos) / sizeof(protos[0]); i++)
		if (protos[i].num == proto)
			return protos[i].name;
	if (nolookup)
		return NULL;
	/* the name stays in libc's buffer until the next lookup: only the
	 * listings, which run in one thread, look names up */
	nc_lib_lock();
	pe = getprotobynumber(proto);
	name = pe ? pe->p_name : NULL;
	nc_lib_unlock();
	return name;
}

int nc_parse_iface(const char *s, struct nc_iface *out,
		   const struct nc_loc *loc, struct nc_err *err)
{
	size_t len = strlen(s);

	if (len == 0)
		return nc_err_param(err, loc, "Empty interface is likely to be undesired");
	if (len >= IFNAMSIZ)
		return nc_err_param(err, loc,
			"interface name `%s' must be shorter than IFNAMSIZ (%i)",
			s, IFNAMSIZ - 1);
	memset(out, 0, sizeof(*out));
	memcpy(out->name, s, len);
	return 0;
}
