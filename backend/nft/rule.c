// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * One rule as nft words: the generic part (ir/ext/lib/ip.c), each match in
 * order, "counter", the target, then what must end an nft rule (a
 * comment).  The order is the one the netlink backend lowers a rule in,
 * so that nft loads the same expressions from the text.
 */
#include <stdio.h>
#include <string.h>
#include "backend/nft/nft.h"
#include "ir/ext.h"

const char *nc_nft_family(uint8_t family)
{
	return family == AF_INET6 ? "ip6" : "ip";
}

void nc_nft_chain_decl(const char *chain, struct nc_buf *b)
{
	static const char *const hooks[] = {
		[NF_INET_PRE_ROUTING] = "prerouting", [NF_INET_LOCAL_IN] = "input",
		[NF_INET_FORWARD] = "forward", [NF_INET_LOCAL_OUT] = "output",
		[NF_INET_POST_ROUTING] = "postrouting",
	};
	const struct nc_builtin *bi = nc_builtin_find(chain);

	if (bi)
		nc_buf_printf(b, " { type nat hook %s priority %d; policy accept; }",
			      hooks[bi->hook], bi->prio);
}

static int ext_xlate(const struct nc_ext *e, const struct nc_rule *r,
		     struct nc_xlate *x, char *why, size_t whylen)
{
	if (!e->ops->xlate) {
		snprintf(why, whylen, "%s %s has no nft translation in natc",
			 e->ops->kind == NC_EXT_MATCH ? "match" : "target",
			 nc_ext_name(e));
		return -1;
	}
	if (e->ops->xlate(e, r, x) < 0) {
		snprintf(why, whylen, "%s: %s", nc_ext_name(e),
			 x->why ? x->why : "no nft text");
		return -1;
	}
	return 0;
}

/*
 * "-p tcp --dport 80" is "tcp dport 80", as iptables-translate writes it:
 * nft adds the protocol test before a "tcp ..." expression itself.  So
 * "meta l4proto NAME", when it ends the generic part (@ip_end) and the
 * first match's words start with NAME, is dropped: nft loads the same
 * expressions in the same place.
 */
static void drop_implied_proto(struct nc_buf *b, size_t start, size_t ip_end)
{
	static const char key[] = " meta l4proto ";
	const size_t klen = sizeof(key) - 1;
	size_t w = ip_end, n;

	while (w > start && b->s[w - 1] != ' ')
		w--;
	n = ip_end - w;
	if (!n || w < start + klen || memcmp(b->s + w - klen, key, klen) ||
	    b->len < ip_end + n + 2 || b->s[ip_end] != ' ' ||
	    memcmp(b->s + ip_end + 1, b->s + w, n) || b->s[ip_end + 1 + n] != ' ')
		return;
	memmove(b->s + w - klen, b->s + ip_end, b->len - ip_end + 1);
	b->len -= ip_end - (w - klen);
}

int nc_nft_rule(const struct nc_rule *r, struct nc_buf *b, char *why, size_t whylen)
{
	size_t ip_end;
	struct nc_buf tail = { 0 };
	struct nc_xlate x = { .b = b, .tail = &tail };
	size_t start = b->len;
	int rc = -1;

	if (r->unknown) {
		snprintf(why, whylen, "%s", r->unknown);
		goto out;
	}
	if (nc_ip_xlate(r, &x) < 0) {
		snprintf(why, whylen, "%s", x.why ? x.why : "no nft text");
		goto out;
	}
	ip_end = b->len;
	for (size_t i = 0; i < r->nmatches; i++)
		if (ext_xlate(&r->matches[i], r, &x, why, whylen) < 0)
			goto out;
	if (!nc_buf_failed(b))
		drop_implied_proto(b, start, ip_end);
	/* counters given with -c or [p:b] are kept (iptables-translate
	 * drops them) */
	if (r->packets || r->bytes)
		nc_buf_printf(b, " counter packets %llu bytes %llu",
			      (unsigned long long)r->packets, (unsigned long long)r->bytes);
	else
		nc_buf_putlit(b, " counter");
	if (r->target.ops && ext_xlate(&r->target, r, &x, why, whylen) < 0)
		goto out;
	nc_buf_puts(b, nc_buf_str(&tail));
	rc = 0;
out:
	nc_buf_free(&tail);
	if (rc < 0 || nc_buf_failed(b)) {
		if (nc_buf_failed(b))
			snprintf(why, whylen, "out of memory");
		b->len = start;
		if (b->s)
			b->s[start] = '\0';
		return -1;
	}
	/* the words came with a space before each: drop the first */
	if (b->len > start && b->s[start] == ' ') {
		memmove(b->s + start, b->s + start + 1, b->len - start);
		b->len--;
	}
	return 0;
}
