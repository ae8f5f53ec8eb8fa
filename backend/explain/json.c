// SPDX-License-Identifier: GPL-2.0-or-later
/* --explain --json: the schema is documented in docs/explain.md. */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include "backend/explain/explain.h"
#include "ir/parse.h"

static void str(struct nc_buf *b, const char *s)
{
	nc_buf_putc(b, '"');
	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			nc_buf_printf(b, "\\%c", c);
		else if (c == '\n')
			nc_buf_puts(b, "\\n");
		else if (c < 0x20)
			nc_buf_printf(b, "\\u%04x", c);
		else
			nc_buf_putc(b, (char)c);
	}
	nc_buf_putc(b, '"');
}

static const char *hook_name(int h)
{
	static const char *const n[] = { "PREROUTING", "INPUT", "FORWARD",
					 "OUTPUT", "POSTROUTING" };

	return h >= 0 && h < 5 ? n[h] : "?";
}

static void location(const struct nc_xp *xp, const struct nc_xp_rule *xr,
		     const char *chain, struct nc_buf *b)
{
	nc_buf_puts(b, "{\"chain\": ");
	str(b, xr ? xr->chain->name : chain);
	if (xr) {
		nc_buf_printf(b, ", \"rule_number\": %zu", xr->num);
		if (xr->is_new)
			nc_buf_puts(b, ", \"command_line\": true");
		else if (xp->file && xr->r->loc.line) {
			nc_buf_puts(b, ", \"file\": ");
			str(b, xp->file);
			nc_buf_printf(b, ", \"line\": %u", xr->r->loc.line);
		}
	}
	nc_buf_putc(b, '}');
}

static void tuple(const struct nc_xp_tuple *t, struct nc_buf *b)
{
	char s[INET_ADDRSTRLEN], d[INET_ADDRSTRLEN];
	const char *pn = nc_proto_name(t->proto, true);
	bool ports = t->proto != IPPROTO_ICMP;

	inet_ntop(AF_INET, t->src.b, s, sizeof(s));
	inet_ntop(AF_INET, t->dst.b, d, sizeof(d));
	nc_buf_puts(b, "{\"proto\": ");
	str(b, pn ? pn : "?");
	nc_buf_puts(b, ", \"src\": ");
	if (t->src_exact) str(b, s); else nc_buf_puts(b, "null");
	nc_buf_puts(b, ", \"sport\": ");
	if (ports && t->sport_exact) nc_buf_printf(b, "%u", t->sport); else nc_buf_puts(b, "null");
	nc_buf_puts(b, ", \"dst\": ");
	if (t->dst_exact) str(b, d); else nc_buf_puts(b, "null");
	nc_buf_puts(b, ", \"dport\": ");
	if (ports && t->dport_exact) nc_buf_printf(b, "%u", t->dport); else nc_buf_puts(b, "null");
	if (t->range[0]) {
		nc_buf_puts(b, ", \"unknown\": ");
		str(b, t->range);
	}
	nc_buf_putc(b, '}');
}

static const char *act_name(enum nc_pkt_act a)
{
	static const char *const n[] = { "none", "accept", "drop", "return", "jump",
					 "goto", "dnat", "snat", "unknown" };

	return a <= NC_ACT_UNKNOWN ? n[a] : "unknown";
}

static void trace(const struct nc_xp *xp, struct nc_buf *b)
{
	const struct nc_xp_trace *t = xp->trace;
	bool first = true;

	nc_buf_puts(b, "{\"packet\": ");
	str(b, t->spec);
	nc_buf_puts(b, ", \"steps\": [");
	for (int k = 0; k < 2 && !(k == 1 && t->error); k++)
		for (size_t i = 0; i < t->walks[k].n; i++) {
			const struct nc_xp_step *s = &t->walks[k].steps[i];

			nc_buf_puts(b, first ? "\n    " : ",\n    ");
			first = false;
			nc_buf_puts(b, "{\"hook\": ");
			str(b, hook_name(s->hook));
			nc_buf_puts(b, ", \"location\": ");
			location(xp, s->rule, NULL, b);
			nc_buf_puts(b, ", \"rule\": ");
			str(b, s->rule->text);
			nc_buf_printf(b, ", \"match\": \"%s\", \"action\": \"%s\"}",
				      s->match == NC_PKT_YES ? "yes" : "maybe", act_name(s->act));
		}
	nc_buf_puts(b, "],\n  \"hooks\": [");
	str(b, hook_name(t->hooks[0]));
	if (!t->error) {
		nc_buf_puts(b, ", ");
		str(b, hook_name(t->hooks[1]));
	}
	nc_buf_puts(b, "], \"route\": ");
	str(b, t->route);
	nc_buf_printf(b, ", \"dropped\": %s", t->error ? "true" : "false");
	nc_buf_puts(b, ",\n  \"original\": ");
	tuple(&t->original, b);
	if (!t->error) {
		nc_buf_puts(b, ",\n  \"translated\": ");
		tuple(&t->translated, b);
		nc_buf_puts(b, ",\n  \"reply\": ");
		tuple(&t->reply, b);
	}
	nc_buf_puts(b, "}");
}

void nc_xp_print_json(const struct nc_xp *xp, struct nc_buf *b)
{
	nc_buf_puts(b, "{\"version\": 1, \"source\": ");
	str(b, xp->source);
	nc_buf_printf(b, ", \"live\": %s,\n \"rules\": [", xp->live ? "true" : "false");
	for (size_t i = 0; i < xp->nrules; i++) {
		const struct nc_xp_rule *xr = &xp->rules[i];
		bool first = true;

		nc_buf_puts(b, i ? ",\n  " : "\n  ");
		nc_buf_puts(b, "{\"location\": ");
		location(xp, xr, NULL, b);
		nc_buf_puts(b, ", \"rule\": ");
		str(b, xr->text);
		nc_buf_puts(b, ", \"sentence\": ");
		str(b, xr->sentence);
		nc_buf_puts(b, ", \"reached_from\": [");
		for (int h = 0; h < 5; h++)
			if (xr->hooks & NC_HOOK(h)) {
				nc_buf_puts(b, first ? "" : ", ");
				str(b, hook_name(h));
				first = false;
			}
		nc_buf_puts(b, "]}");
	}
	nc_buf_puts(b, "],\n \"findings\": [");
	for (size_t i = 0; i < xp->nf; i++) {
		const struct nc_xp_finding *f = &xp->f[i];

		nc_buf_puts(b, i ? ",\n  " : "\n  ");
		nc_buf_puts(b, "{\"id\": ");
		str(b, f->id);
		nc_buf_puts(b, ", \"severity\": ");
		str(b, nc_xp_sev_name(f->sev));
		nc_buf_puts(b, ", \"location\": ");
		if (f->rule || f->chain)
			location(xp, f->rule, f->chain, b);
		else
			nc_buf_puts(b, "null");
		nc_buf_puts(b, ", \"rule\": ");
		if (f->rule)
			str(b, f->rule->text);
		else
			nc_buf_puts(b, "null");
		nc_buf_puts(b, ", \"message\": ");
		str(b, f->message);
		nc_buf_puts(b, ", \"fix\": ");
		str(b, f->fix);
		nc_buf_putc(b, '}');
	}
	nc_buf_puts(b, "],\n \"unknown\": [");
	for (size_t i = 0; i < xp->nnotes; i++) {
		nc_buf_puts(b, i ? ", " : "");
		str(b, xp->notes[i]);
	}
	nc_buf_puts(b, "],\n \"trace\": ");
	if (xp->trace)
		trace(xp, b);
	else
		nc_buf_puts(b, "null");
	nc_buf_puts(b, "}\n");
}
