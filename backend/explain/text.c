// SPDX-License-Identifier: GPL-2.0-or-later
/* --explain for people: rules with their sentences, findings, trace. */
#include <arpa/inet.h>
#include <string.h>
#include "backend/explain/explain.h"
#include "ir/parse.h"

struct sty {
	const char *b, *d, *red, *yel, *n;
};

static const char *hook_name(int h)
{
	static const char *const n[] = { "PREROUTING", "INPUT", "FORWARD",
					 "OUTPUT", "POSTROUTING" };

	return h >= 0 && h < 5 ? n[h] : "?";
}

static void tuple_text(const struct nc_xp_tuple *t, struct nc_buf *b)
{
	char s[INET_ADDRSTRLEN], d[INET_ADDRSTRLEN];
	const char *pn = nc_proto_name(t->proto, true);
	bool ports = t->proto != IPPROTO_ICMP;

	inet_ntop(AF_INET, t->src.b, s, sizeof(s));
	inet_ntop(AF_INET, t->dst.b, d, sizeof(d));
	nc_buf_printf(b, "%s %s", pn ? pn : "?", t->src_exact ? s : "?");
	if (ports) {
		if (t->sport_exact)
			nc_buf_printf(b, ":%u", t->sport);
		else
			nc_buf_puts(b, ":?");
	}
	nc_buf_printf(b, " -> %s", t->dst_exact ? d : "?");
	if (ports) {
		if (t->dport_exact)
			nc_buf_printf(b, ":%u", t->dport);
		else
			nc_buf_puts(b, ":?");
	}
	if (t->range[0])
		nc_buf_printf(b, "  (? = %s)", t->range);
}

static void steps_text(const struct nc_xp *xp, const struct nc_xp_walk *w, int hook,
		       const struct sty *st, struct nc_buf *b)
{
	nc_buf_printf(b, "  %s%s%s:", st->b, hook_name(hook), st->n);
	if (!w->n) {
		nc_buf_puts(b, " no rule matches; the policy (ACCEPT) leaves it as it is\n");
		return;
	}
	nc_buf_putc(b, '\n');
	for (size_t i = 0; i < w->n; i++) {
		const struct nc_xp_step *s = &w->steps[i];

		nc_buf_printf(b, "    %s ", s->match == NC_PKT_YES ? "matches" : "may match");
		nc_xp_location(xp, s->rule, b);
		nc_buf_printf(b, ": %s%s%s\n      %s\n", st->d, s->rule->text, st->n,
			      s->rule->sentence);
	}
	if (!w->nat)
		nc_buf_puts(b, "    no translation in this hook\n");
	if (w->unknown)
		nc_buf_puts(b, "    (some rule here has an effect natc cannot follow)\n");
}

static void trace_text(const struct nc_xp *xp, const struct sty *st, struct nc_buf *b)
{
	const struct nc_xp_trace *t = xp->trace;
	char s[INET_ADDRSTRLEN], d[INET_ADDRSTRLEN];

	nc_buf_printf(b, "\n%sPacket trace%s: %s\n", st->b, st->n, t->spec);
	steps_text(xp, &t->walks[0], t->hooks[0], st, b);
	nc_buf_printf(b, "  %srouting%s: %s\n", st->b, st->n, t->route ? t->route : "?");
	if (t->error)
		return;
	steps_text(xp, &t->walks[1], t->hooks[1], st, b);
	nc_buf_puts(b, "  original    ");
	tuple_text(&t->original, b);
	nc_buf_puts(b, "\n  translated  ");
	tuple_text(&t->translated, b);
	nc_buf_puts(b, "\n  reply       ");
	tuple_text(&t->reply, b);
	inet_ntop(AF_INET, t->original.dst.b, d, sizeof(d));
	inet_ntop(AF_INET, t->original.src.b, s, sizeof(s));
	nc_buf_printf(b, "\n              (conntrack turns it back into %s", d);
	if (t->original.proto != IPPROTO_ICMP)
		nc_buf_printf(b, ":%u -> %s:%u)\n", t->original.dport, s, t->original.sport);
	else
		nc_buf_printf(b, " -> %s)\n", s);
}

void nc_xp_print_text(const struct nc_xp *xp, bool color, struct nc_buf *b)
{
	static const struct sty plain = { "", "", "", "", "" },
		tty = { "\033[1m", "\033[2m", "\033[31m", "\033[33m", "\033[0m" };
	const struct sty *st = color ? &tty : &plain;
	size_t shown = 0;

	nc_buf_printf(b, "%snatc --explain%s: %s\n", st->b, st->n, xp->source);
	nc_buf_printf(b, "\n%sRules%s\n", st->b, st->n);
	for (size_t i = 0; i < xp->nrules; i++) {
		const struct nc_xp_rule *xr = &xp->rules[i];

		nc_buf_puts(b, "  ");
		nc_xp_location(xp, xr, b);
		if (!xr->hooks)
			nc_buf_puts(b, " [never reached]");
		nc_buf_printf(b, "\n    %s%s%s\n    %s\n", st->d, xr->text, st->n,
			      xr->sentence);
	}
	if (!xp->nrules)
		nc_buf_puts(b, "  (none: every packet leaves the nat table as it came)\n");
	nc_buf_printf(b, "\n%sFindings%s\n", st->b, st->n);
	for (int sev = NC_XP_ERROR; sev >= NC_XP_INFO; sev--)
		for (size_t i = 0; i < xp->nf; i++) {
			const struct nc_xp_finding *f = &xp->f[i];

			if ((int)f->sev != sev)
				continue;
			shown++;
			nc_buf_printf(b, "  %s%s%s %s%s%s", sev == NC_XP_ERROR ? st->red :
				      sev == NC_XP_WARNING ? st->yel : "",
				      nc_xp_sev_name(f->sev), st->n, st->b, f->id, st->n);
			if (f->rule) {
				nc_buf_puts(b, " at ");
				nc_xp_location(xp, f->rule, b);
				nc_buf_printf(b, "\n    %s%s%s", st->d, f->rule->text, st->n);
			} else if (f->chain) {
				nc_buf_printf(b, " at chain %s", f->chain);
			}
			nc_buf_printf(b, "\n    %s\n    fix: %s\n", f->message, f->fix);
		}
	if (!shown)
		nc_buf_puts(b, "  none\n");
	if (xp->nnotes) {
		nc_buf_printf(b, "\n%sNot known%s (static audit)\n", st->b, st->n);
		for (size_t i = 0; i < xp->nnotes; i++)
			nc_buf_printf(b, "  - %s\n", xp->notes[i]);
	}
	if (xp->trace)
		trace_text(xp, st, b);
}
