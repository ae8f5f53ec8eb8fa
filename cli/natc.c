// SPDX-License-Identifier: GPL-2.0-or-later
/* natc: one iptables -t nat command. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli/cli.h"
#include "cli/diag.h"
#include "parser/parser.h"
#include "ir/build.h"
#include "backend/exec/exec.h"

static void usage(FILE *f, const char *prog)
{
	fprintf(f,
"%s v%s (nf_tables): iptables-compatible NAT rules on native nftables\n\n"
"Usage: %s [-t nat] -[ACD] chain rule-specification [options]\n"
"       %s [-t nat] -I chain [rulenum] rule-specification [options]\n"
"       %s [-t nat] -R chain rulenum rule-specification [options]\n"
"       %s [-t nat] -D chain rulenum [options]\n"
"       %s [-t nat] -[LS] [chain [rulenum]] [options]\n"
"       %s [-t nat] -[FZ] [chain] [options]\n"
"       %s [-t nat] -[NX] chain\n"
"       %s [-t nat] -E old-chain-name new-chain-name\n"
"       %s [-t nat] -P chain ACCEPT\n"
"       %s --explain [--json|--dot] [--packet SPEC] [--live] [FILE...|-A ...]\n"
"       %s -h | -V\n\n"
"Commands and options are those of iptables; see iptables(8).\n"
"Matches: [!] -s/-d addr[/mask][,...]  [!] -p proto  [!] -i/-o iface[+]\n"
"         [!] -f  -p tcp|udp|sctp [!] --sport/--dport port[:port]\n"
"Targets: DNAT --to-destination [ip[-ip]][:port[-port]] [--random] [--persistent]\n"
"         SNAT --to-source [ip[-ip]][:port[-port]] [--random] [--random-fully] [--persistent]\n"
"         MASQUERADE [--to-ports port[-port]] [--random] [--random-fully]\n"
"         REDIRECT [--to-ports port[-port]] [--random]\n"
"         RETURN  ACCEPT  -j CHAIN  -g CHAIN\n"
"Other -m NAME / -j NAME: iptables' own extension (libxtables).\n"
"--xt: write rules as iptables-nft 1.8.9 does (xt matches and targets),\n"
"      so that iptables-nft can still list the table.\n",
		prog, NATC_VERSION, prog, prog, prog, prog, prog, prog, prog,
		prog, prog, prog, prog);
}

int nc_cli_natc(int argc, char **argv, const char *prog, uint8_t family)
{
	struct nc_err err = { 0 };
	struct nc_buf out = { 0 };
	struct nc_job *job = NULL;
	struct nc_cmd *cmd;
	struct nc_nl *nl = NULL;
	char *text = NULL;
	int status = 0;

	for (int i = 1; i < argc; i++)
		if (!strcmp(argv[i], "--explain"))
			return nc_cli_explain(argc, argv, prog, family);
	bool xt = false;
	int n = 1;

	/* --xt: natc's own option, not iptables' (see usage) */
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--xt"))
			xt = true;
		else
			argv[n++] = argv[i];
	}
	argc = n;
	cmd = nc_parse_argv(argc - 1, argv + 1, &text, &err);
	if (cmd && cmd->kind == NC_CMD_HELP && !cmd->conflict) {
		usage(stdout, prog);
		goto out;
	}
	if (cmd && cmd->kind == NC_CMD_VERSION && !cmd->conflict) {
		printf("%s v%s (nf_tables)\n", prog, NATC_VERSION);
		goto out;
	}
	if (cmd)
		job = nc_build(cmd, family, &err);
	if (job)
		nl = nc_nl_open(family, NC_TABLE_NAT, &err);
	if (nl)
		nc_nl_set_xt(nl, xt);
	if (nl && nc_exec(nl, job, &out, &err) == 0 && out.len) {
		/* before the listing: iptables prints them as it parses */
		nc_diag_warnings(stderr, prog, &err, NULL, NULL);
		fwrite(out.s, 1, out.len, stdout);
	}
	if (err.status != NC_OK)
		status = nc_diag_print(stderr, prog, &err, NULL, NULL);
out:
	nc_diag_warnings(stderr, prog, &err, NULL, NULL);	/* those not yet */
	if (fflush(stdout) != 0 && !status)
		status = NC_EOTHER;
	nc_nl_close(nl);
	nc_job_free(job);
	nc_cmd_free(cmd);
	nc_buf_free(&out);
	free(text);
	return status;
}
