// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Chain names in nft's text.  nft 1.0.6 takes a chain name only as its
 * scanner's bare string (a letter, '_' or '.', then letters, digits and
 * "/-_."), and not when the scanner reads it as one of its keywords; a
 * quoted name is no chain name to it ("unexpected quoted string").  An
 * iptables chain may be named anything else (`bad*chain', `1st',
 * `masquerade'): iptables-translate writes such names bare and nft refuses
 * the whole script, so natc reports the commands naming them instead.
 * The keywords are those nft 1.0.6 refuses as a chain name, found by
 * asking it (testsuite/translate.t asks it again for each of them and
 * for the words of libnftables that are not here).
 */
#include <stdlib.h>
#include <string.h>
#include "backend/nft/nft.h"

static const char *const keywords[] = {	/* sorted (strcmp) */
	"accept", "add", "ah", "all", "and", "arp", "auto-merge", "bridge",
	"cgroup", "chain", "comment", "comp", "constant", "continue",
	"counter", "cpu", "create", "ct", "day", "dccp", "define", "delete",
	"describe", "device", "devices", "dnat", "drop", "dst", "dup",
	"dynamic", "ecn", "element", "elements", "eq", "esp", "ether",
	"exists", "expires", "export", "exthdr", "fib", "flags", "flow",
	"flowtable", "flush", "frag", "fwd", "gc-interval", "ge", "get",
	"goto", "gt", "handle", "hbh", "hook", "hour", "ibriport", "ibrname",
	"icmp", "icmpv6", "igmp", "iif", "iifgroup", "iifname", "iiftype",
	"import", "include", "index", "inet", "insert", "interval", "ip",
	"ip6", "ipsec", "jhash", "jump", "le", "limit", "list", "log",
	"lshift", "lt", "map", "mark", "masquerade", "meta", "meter", "mh",
	"missing", "monitor", "ne", "netdev", "nftrace", "not", "notrack",
	"numgen", "obriport", "obrname", "offload", "oif", "oifgroup",
	"oifname", "oiftype", "or", "osf", "pkttype", "policy", "position",
	"priority", "queue", "quota", "random", "redefine", "redirect",
	"reject", "rename", "replace", "reset", "return", "rshift", "rt",
	"rt0", "rt2", "rtclassid", "rule", "ruleset", "sctp", "secmark", "set",
	"size", "skgid", "skuid", "snat", "socket", "srh", "symhash",
	"synproxy", "table", "tcp", "th", "time", "timeout", "tproxy", "type",
	"typeof", "udp", "udplite", "undefine", "update", "vlan", "vmap",
	"xor", "xt",
};

static int cmp(const void *a, const void *b)
{
	return strcmp(a, *(const char *const *)b);
}

/* Whether @name is the scanner's bare string. */
static bool bare_string(const char *name)
{
	if (!((name[0] >= 'a' && name[0] <= 'z') || (name[0] >= 'A' && name[0] <= 'Z') ||
	      name[0] == '_' || name[0] == '.'))
		return false;
	for (const char *p = name + 1; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || strchr("/-_.", *p)))
			return false;
	return true;
}

static bool keyword(const char *name)
{
	return bsearch(name, keywords, sizeof(keywords) / sizeof(keywords[0]),
		       sizeof(keywords[0]), cmp) != NULL;
}

bool nc_nft_name_ok(const char *name)
{
	return bare_string(name) && !keyword(name);
}

int nc_nft_name_check(const char *name, char *why, size_t whylen)
{
	if (nc_nft_name_ok(name))
		return 0;
	snprintf(why, whylen, "chain name `%s' cannot be written in nft's syntax (%s)",
		 name, bare_string(name) ? "a keyword of nft's" :
		 "nft's names are a letter, `_' or `.' then letters, digits and `/-_.'");
	return 1;
}

int nc_nft_names_check(const struct nc_job *job, char *why, size_t whylen)
{
	const char *names[] = { job->chain, job->jump,
				job->kind == NC_CMD_RENAME_CHAIN ? job->newname : "" };

	for (size_t i = 0; i < 3; i++)
		if (names[i][0] && nc_nft_name_check(names[i], why, whylen))
			return 1;
	return 0;
}
