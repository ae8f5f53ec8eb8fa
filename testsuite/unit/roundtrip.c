// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Round trips without the kernel, for every rule of a small corpus:
 *  - the printer's -S output parses back to the same IR (pfctl regress);
 *  - lowering to kernel expressions and raising them again gives the
 *    same IR, so -D/-C find what -A wrote.
 */
#include <stdlib.h>
#include "tap.h"
#include "parser/parser.h"
#include "ir/build.h"
#include "ir/print.h"
#include "ir/ext.h"

static const char *const rules[] = {
	"-A PREROUTING -p tcp --dport 80 -j DNAT --to-destination 13.37.42.1:80",
	"-A POSTROUTING -j MASQUERADE",
	"-A POSTROUTING -o eth0 -j MASQUERADE --random-fully",
	"-A POSTROUTING ! -o eth+ -s 10.0.0.0/8 -j SNAT --to-source 192.0.2.1-192.0.2.9 --persistent",
	"-A POSTROUTING -p udp -j SNAT --to-source 192.0.2.1:1000-2000 --random",
	"-A PREROUTING -i eth0 ! -d 192.0.2.1 -p tcp ! --dport 1000:2000 --sport 5 -j DNAT --to-destination 198.51.100.1-198.51.100.3:80-90 --random --persistent",
	"-A PREROUTING -s 10.0.0.0/255.0.255.0 -j RETURN",
	"-A PREROUTING -d 203.0.113.0/25 -p udp --dport :53 -j ACCEPT",
	"-A PREROUTING -p sctp --sport 1024: -j REDIRECT --to-ports 9000",
	"-A OUTPUT -p tcp -j REDIRECT --to-ports 8080-8090 --random",
	"-A OUTPUT -p tcp -j REDIRECT",
	"-A POSTROUTING -p tcp -j MASQUERADE --to-ports 10-20 --random",
	"-A PREROUTING -f -j FOO",
	"-A PREROUTING ! -f ! -p 47 -g FOO",
	"-A PREROUTING -p 132",
	"-A PREROUTING ! -i lo",
	"-A PREROUTING ! -i + -j ACCEPT",
	"-A PREROUTING -p udp -j DNAT --to-destination :5353",
	"-A PREROUTING -j MARK --set-xmark 0x4000/0x0",
	"-A PREROUTING -j MARK --or-mark 0x4000",
	"-A PREROUTING -p tcp -j MARK --set-mark 5",
	"-A OUTPUT -j MARK --set-mark 0x10/0xf0",
	"-A INPUT -j MARK --and-mark 0xff",
	"-A POSTROUTING -j MARK --set-xmark 0/0",
	"-A POSTROUTING -j MARK --set-xmark 0x0/0xffffffff",
	"-A PREROUTING -d 192.0.2.0/24 -j NETMAP --to 10.10.0.0/24",
	"-A POSTROUTING -s 10.10.0.0/24 -j NETMAP --to 192.0.2.0/24",
	"-A OUTPUT -j NETMAP --to 10.0.0.5",
	"-A INPUT -j NETMAP --to 10.1.2.3/255.255.0.0",
	"-A PREROUTING -j NETMAP --to 0.0.0.0/0",
	"-A PREROUTING -j CONNMARK --set-mark 5",
	"-A PREROUTING -j CONNMARK --or-mark 0x4000",
	"-A OUTPUT -j CONNMARK --set-xmark 0x5/0xff",
	"-A POSTROUTING -j CONNMARK --save-mark",
	"-A POSTROUTING -j CONNMARK --save-mark --nfmask 0xff",
	"-A PREROUTING -j CONNMARK --restore-mark",
	"-A PREROUTING -j CONNMARK --restore-mark --ctmask 0xf0",
	"-A PREROUTING -j CONNMARK --set-mark 5 --nfmask 3",
	"-A PREROUTING -j LOG",
	"-A PREROUTING -p tcp -j LOG --log-prefix \"a b\\\" c\" --log-level 7 --log-uid --log-tcp-options",
	"-A OUTPUT -j LOG --log-level 4 --log-macdecode",
	"-A POSTROUTING -j NFLOG",
	"-A POSTROUTING -j NFLOG --nflog-group 2 --nflog-prefix x.y --nflog-size 0 --nflog-threshold 10",
};

static struct nc_rule *build_one(const char *line, char *chain)
{
	struct nc_err err = { 0 };
	struct nc_cmd *cmd = nc_parse_line(line, 1, &err);
	struct nc_job *job = cmd ? nc_build(cmd, AF_INET, &err) : NULL;
	struct nc_rule *r = NULL;

	if (job && job->nrules == 1) {
		r = job->rules[0];
		job->nrules = 0;
		strcpy(chain, job->chain);
	} else {
		printf("# %s: %s\n", line, err.msg);
	}
	nc_job_free(job);
	nc_cmd_free(cmd);
	return r;
}

static void printer_round_trip(const char *line)
{
	char chain[64], chain2[64];
	struct nc_rule *a = build_one(line, chain), *b = NULL;
	struct nc_buf text = { 0 };

	if (a) {
		nc_print_rule_spec(a, chain, false, &text);
		b = build_one(nc_buf_str(&text), chain2);
	}
	ok(a && b && nc_rule_equal(a, b) && !strcmp(chain, chain2),
	   "-S form parses back: %s", nc_buf_str(&text));
	nc_rule_free(a);
	nc_rule_free(b);
	nc_buf_free(&text);
}

static void kernel_form_round_trip(const char *line)
{
	char chain[64];
	struct nc_rule *a = build_one(line, chain), *b = nc_rule_new(AF_INET);
	struct nc_exprs ex = { 0 };
	struct nc_buf ta = { 0 }, tb = { 0 };
	bool same = false;

	if (a && b && nc_rule_linearize(a, &ex) == 0 &&
	    nc_rule_delinearize(b, &ex) == 0) {
		same = nc_rule_equal(a, b) && !b->unknown;
		nc_print_rule_spec(a, chain, false, &ta);
		nc_print_rule_spec(b, chain, false, &tb);
	}
	ok(same, "expressions raise back: %s", line);
	if (!same)
		printf("#   got: %s\n", b && b->unknown ? b->unknown : nc_buf_str(&tb));
	nc_rule_free(a);
	nc_rule_free(b);
	nc_exprs_free(&ex);
	nc_buf_free(&ta);
	nc_buf_free(&tb);
}

int main(void)
{
	for (size_t i = 0; i < sizeof(rules) / sizeof(rules[0]); i++) {
		printer_round_trip(rules[i]);
		kernel_form_round_trip(rules[i]);
	}
	return tap_done();
}
