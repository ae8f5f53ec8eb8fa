// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Round trips without the kernel, for every rule of a small corpus:
 *  - the printer's -S output parses back to the same IR (pfctl regress);
 *  - lowering to kernel expressions and raising them again gives the
 *    same IR, so -D/-C find what -A wrote.
 */
#include <stdlib.h>
#include "tap.h"
#include "rules.h"
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
	"-A PREROUTING -p tcp -m tcp --dport 3000:4000 -j DNAT --to-destination 192.0.2.1:1000-2000/3000 --random",
	/* matches-a: comment, empty matches */
	"-A PREROUTING -d 10.96.0.1/32 -p tcp -m comment --comment \"default/kubernetes:https cluster IP\" -m tcp --dport 443 -j ACCEPT",
	"-A PREROUTING -p tcp -m tcp -j DNAT --to-destination 192.0.2.1:80",
	"-A PREROUTING -p udp -m udp -m comment --comment x -j ACCEPT",
	"-A PREROUTING -m comment --comment \"\" -j ACCEPT",
	"-A PREROUTING -m comment --comment \"a\\\"b\\\\c\" -j ACCEPT",
	"-A PREROUTING -p tcp -m comment --comment c -m tcp --dport 0:65535 -j ACCEPT",
	"-A PREROUTING -p tcp --dport 80 -m comment --comment last -j ACCEPT",
	"-A PREROUTING -m mark --mark 0x5 -j ACCEPT",
	"-A PREROUTING -m mark ! --mark 0x5/0xff -j ACCEPT",
	"-A PREROUTING -m mark --mark 0x0/0x0 -m comment --comment m -j ACCEPT",
	"-A PREROUTING -m mark --mark 0xffffffff -j ACCEPT",
	"-A PREROUTING -p tcp -m tcp --tcp-flags SYN,ACK SYN -j ACCEPT",
	"-A PREROUTING -p tcp -m tcp --sport 5 ! --tcp-flags FIN,SYN,RST,ACK SYN -j ACCEPT",
	"-A PREROUTING -p tcp -m tcp --dport 80 --tcp-flags FIN,SYN,RST,PSH,ACK,URG NONE -j DNAT --to-destination 192.0.2.1",
	"-A PREROUTING -p tcp -m tcp ! --tcp-flags NONE NONE -j ACCEPT",
	"-A PREROUTING -p tcp --syn -m comment --comment s -j ACCEPT",
	"-A PREROUTING -p tcp -m multiport --dports 80,443,1000:2000 -j ACCEPT",
	"-A PREROUTING -p udp -m multiport ! --sports 53,5353 -j ACCEPT",
	"-A PREROUTING -p tcp -m multiport --dports 0:10,65535 -j ACCEPT",
	"-A PREROUTING -p tcp -m multiport --dports 5:65535 -j ACCEPT",
	"-A PREROUTING -p sctp -m multiport --dports 1 -m comment --comment one -j ACCEPT",
	"-A PREROUTING -p tcp -m multiport ! --ports 443,80,1000:2000 -j ACCEPT",
	"-A PREROUTING -m iprange --src-range 192.0.2.1-192.0.2.9 -j ACCEPT",
	"-A PREROUTING -m pkttype --pkt-type broadcast -j ACCEPT",
	"-A PREROUTING -m pkttype ! --pkt-type unicast -m ttl ! --ttl-eq 5 -j ACCEPT",
	"-A PREROUTING -m ttl --ttl-lt 5 -j ACCEPT",
	"-A PREROUTING -p icmp -m icmp --icmp-type 8 -j ACCEPT",
	"-A PREROUTING -m length --length 10 -j ACCEPT",
	"-A OUTPUT -m owner --uid-owner 0-5 -j ACCEPT",
	"-A OUTPUT -m owner ! --uid-owner 5 --gid-owner 7 -j ACCEPT",
	"-A POSTROUTING -m owner ! --gid-owner 1:3 -j MASQUERADE",
	"-A PREROUTING -m length ! --length 10 -j ACCEPT",
	"-A PREROUTING -m length --length 10:20 -j ACCEPT",
	"-A PREROUTING -m length ! --length 0:20 -m mark --mark 0x1 -j ACCEPT",
	"-A PREROUTING -p icmp -m icmp ! --icmp-type 3/1 -j ACCEPT",
	"-A PREROUTING -p icmp -m icmp --icmp-type any -m comment --comment a -j ACCEPT",
	"-A PREROUTING -p icmp -m comment --comment a -m icmp --icmp-type any -j ACCEPT",
	"-A PREROUTING -p icmp -m icmp ! --icmp-type 11 -j ACCEPT",
	"-A PREROUTING -m ttl --ttl-gt 250 -m comment --comment t -j ACCEPT",
	"-A PREROUTING -m iprange ! --dst-range 192.0.2.1-192.0.2.1 -j ACCEPT",
	"-A PREROUTING -s 192.0.2.0/24 -m iprange --src-range 192.0.2.1-192.0.2.9 ! --dst-range 198.51.100.1-198.51.100.2 -j ACCEPT",
	"-A PREROUTING -m iprange --dst-range 192.0.2.1-192.0.2.9 -m iprange --src-range 192.0.2.1-192.0.2.9 -j ACCEPT",
	/* matches-b: addrtype, conntrack, state, statistic, limit */
	"-A PREROUTING -m addrtype --dst-type LOCAL -j DOCKER",
	"-A OUTPUT ! -d 127.0.0.0/8 -m addrtype --dst-type LOCAL -j DOCKER",
	"-A PREROUTING -m addrtype ! --src-type UNICAST,LOCAL ! --dst-type BROADCAST,MULTICAST --limit-iface-in -j ACCEPT",
	"-A POSTROUTING -m addrtype --src-type LOCAL --limit-iface-out -j MASQUERADE",
	"-A PREROUTING -p tcp --dport 80 -m addrtype --dst-type LOCAL -m conntrack --ctstate NEW -m limit --limit 1/sec -m statistic --mode random --probability 0.5 -j DNAT --to-destination 192.0.2.1",
	"-A PREROUTING -m conntrack --ctstate NEW,ESTABLISHED -j ACCEPT",
	"-A PREROUTING -m conntrack ! --ctstate INVALID --ctproto 6 --ctorigsrc 192.0.2.0/24 ! --ctorigdst 192.0.2.1 --ctreplsrc 198.51.100.0/25 --ctrepldst 203.0.113.0/255.255.0.255 --ctorigsrcport 10 ! --ctorigdstport 20:30 --ctreplsrcport 0:1023 --ctrepldstport 1024:65535 ! --ctstatus SEEN_REPLY,ASSURED --ctdir REPLY -j ACCEPT",
	"-A PREROUTING -m conntrack --ctstatus NONE",
	"-A PREROUTING -m conntrack ! --ctstate SNAT,DNAT --ctstatus ASSURED",
	"-A PREROUTING -m conntrack --ctstate DNAT --ctorigdst 192.0.2.1",
	"-A PREROUTING -m conntrack ! --ctexpire 10:20 --ctdir ORIGINAL",
	"-A PREROUTING -m conntrack --ctexpire 0:4294967295",
	"-A PREROUTING -m conntrack --ctexpire 4294966",
	"-A PREROUTING -m conntrack --ctstate UNTRACKED -m statistic --mode nth --every 2 --packet 1",
	"-A KUBE-SVC-X -m statistic --mode random --probability 0.33333333349 -j KUBE-SEP-A",
	"-A KUBE-SVC-X -m statistic --mode random --probability 0.50000000000 -j KUBE-SEP-B",
	"-A KUBE-SVC-X -m statistic --mode random ! --probability 1.00000000000 -j KUBE-SEP-B",
	"-A KUBE-SVC-X -m statistic --mode random --probability 0.00000000000",
	"-A PREROUTING -m statistic --mode nth ! --every 4294967295 --packet 4294967294 -j RETURN",
	"-A PREROUTING -m limit --limit 5/sec --limit-burst 7 -j ACCEPT",
	"-A PREROUTING -m limit --limit 3/hour",
	"-A PREROUTING -m limit --limit 7/min --limit-burst 10000",
	"-A PREROUTING -m limit --limit 9998/sec",
	"-A PREROUTING -m limit --limit 1/day --limit-burst 1",
	/* targets: MARK, NETMAP, CONNMARK, LOG, NFLOG */
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
	"-A PREROUTING -j CONNMARK --save-mark --mask 0xff",
	"-A PREROUTING -j CONNMARK --restore-mark --right-shift-mark 3",
	"-A NM -j NETMAP --to 192.0.2.0/24",
	"-A PREROUTING -j LOG",
	"-A PREROUTING -p tcp -j LOG --log-prefix \"a b\\\" c\" --log-level 7 --log-uid --log-tcp-options",
	"-A OUTPUT -j LOG --log-level 4 --log-macdecode",
	"-A POSTROUTING -j NFLOG",
	"-A POSTROUTING -j NFLOG --nflog-group 2 --nflog-prefix x.y --nflog-size 0 --nflog-threshold 10",
};

static void printer_round_trip(const char *line)
{
	struct nc_buf text = { 0 };
	bool back = prints_back(line, &text);

	ok(back, "-S form parses back: %s", nc_buf_str(&text));
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
