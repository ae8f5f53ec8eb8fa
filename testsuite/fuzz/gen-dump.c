// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Seeds of the dump harness (testsuite/fuzz/dump.c): rule messages as a
 * dump gives them, written by natc's own encoder (nc_nl_put_exprs, held
 * byte for byte to libnftnl by testsuite/unit/encode.c) from the rules
 * of testsuite/unit/corpus.h, natively (the harness passes over xt
 * matches and targets).  Each file is the message's payload: struct
 * nfgenmsg and the attributes.  Anonymous sets are named as the kernel
 * names them: those of fuzz_set_lines as the harness's set cache has
 * them, the others "__set99" (no such set: a rule natc cannot express).
 *
 * Usage: gen-dump DIR (testsuite/fuzz/mkseeds runs it).
 */
#include <endian.h>
#include <errno.h>
#include <linux/netfilter/nfnetlink.h>
#include "testsuite/fuzz/fuzz.h"
#include "testsuite/unit/corpus.h"
#include "ir/ext.h"

#define NLINES(a) (sizeof(a) / sizeof((a)[0]))

/* The index in the cache of @line's first set, or -1. */
static long first_cached_set(const char *line)
{
	long base = 0;

	for (size_t i = 0; i < NLINES(fuzz_set_lines); i++) {
		struct nc_exprs l = { 0 };
		char chain[64];
		struct nc_rule *r = fuzz_build_one(fuzz_set_lines[i], chain);
		size_t n;

		nc_rule_linearize(r, &l, nc_parse_line);
		n = l.nsets;
		nc_exprs_free(&l);
		nc_rule_free(r);
		if (!strcmp(line, fuzz_set_lines[i]))
			return base;
		base += (long)n;
	}
	return -1;
}

/* "__set%d" as the encoder writes a lookup's set name, named as the
 * kernel would: "__set" and a number, its attribute's length fixed. */
static void name_sets(struct nlmsghdr *nlh, const struct nc_exprs *l, long base)
{
	static const char tmpl[] = NC_NL_ANON_SET;
	char *p = (char *)nlh, *end = p + nlh->nlmsg_len;
	size_t k = 0;

	for (; (p = memmem(p, (size_t)(end - p), tmpl, sizeof(tmpl))); p += sizeof(tmpl)) {
		struct nlattr *a = (struct nlattr *)(p - sizeof(*a));
		long n = 99;

		while (k < l->n && l->v[k].type != NC_E_LOOKUP)
			k++;
		if (base >= 0 && k < l->n)
			n = base + l->v[k].u.lookup.set;
		k++;
		memset(p, 0, sizeof(tmpl));
		a->nla_len = (uint16_t)(sizeof(*a) + 1 +
					snprintf(p, sizeof(tmpl), "__set%ld", n));
	}
}

static int write_rule(const char *dir, const char *name, const struct nc_rule *r,
		      const char *chain, uint64_t handle, long base)
{
	static char buf[65536];
	struct nc_exprs l = { 0 };
	struct nlmsghdr *nlh;
	struct nfgenmsg *nfg;
	char path[4096];
	FILE *f;
	int rc = -1;

	if (nc_rule_linearize(r, &l, nc_parse_line) < 0)
		goto out;
	memset(buf, 0, sizeof(buf));
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = (NFNL_SUBSYS_NFTABLES << 8) | NFT_MSG_NEWRULE;
	nlh->nlmsg_flags = NLM_F_MULTI;
	nfg = mnl_nlmsg_put_extra_header(nlh, sizeof(*nfg));
	nfg->nfgen_family = NFPROTO_IPV4;
	nfg->version = NFNETLINK_V0;
	mnl_attr_put_strz(nlh, NFTA_RULE_TABLE, "nat");
	mnl_attr_put_strz(nlh, NFTA_RULE_CHAIN, chain);
	mnl_attr_put_u64(nlh, NFTA_RULE_HANDLE, htobe64(handle));
	if (nc_nl_put_exprs(nlh, &l, 0) < 0)
		goto out;
	name_sets(nlh, &l, base);
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	if (!f ||
	    fwrite((char *)nlh + NLMSG_HDRLEN, 1, nlh->nlmsg_len - NLMSG_HDRLEN, f) !=
	    nlh->nlmsg_len - NLMSG_HDRLEN || fclose(f) != 0) {
		fprintf(stderr, "gen-dump: %s: %s\n", path, strerror(errno));
		exit(1);
	}
	rc = 0;
out:
	nc_exprs_free(&l);
	return rc;
}

int main(int argc, char **argv)
{
	int n = 0;

	if (argc != 2) {
		fprintf(stderr, "usage: gen-dump DIR\n");
		return 2;
	}
	for (size_t i = 0; i < NLINES(unit_rules); i++) {
		long base = first_cached_set(unit_rules[i]);
		char chain[64], name[64];
		struct nc_rule *r = fuzz_build_one(unit_rules[i], chain);

		if (!r) {
			fprintf(stderr, "gen-dump: does not build: %s\n", unit_rules[i]);
			return 1;
		}
		/* every other rule: each kind at least once, tens of files */
		snprintf(name, sizeof(name), "%03zu-native", i);
		if (i % 2 == 0 || base >= 0)
			n += write_rule(argv[1], name, r, chain, i + 2, base) == 0;
		nc_rule_free(r);
	}
	for (size_t i = 0; i < NLINES(fuzz_set_lines); i++) {
		char chain[64], name[64];
		struct nc_rule *r = fuzz_build_one(fuzz_set_lines[i], chain);

		snprintf(name, sizeof(name), "set-%zu", i);
		n += write_rule(argv[1], name, r, chain, 1000 + i,
				first_cached_set(fuzz_set_lines[i])) == 0;
		nc_rule_free(r);
	}
	printf("gen-dump: %d messages\n", n);
	return 0;
}
