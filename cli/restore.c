// SPDX-License-Identifier: GPL-2.0-or-later
/* natc-restore: iptables-restore for the nat table. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli/cli.h"
#include "parser/parser.h"
#include "cli/diag.h"
#include "backend/exec/restore.h"

static void usage(FILE *f, const char *prog)
{
	fprintf(f,
"Usage: %s [-c] [-n] [-t] [-v] [-T table] [-w [secs]] [FILE]\n\n"
"Loads a save file (iptables-save format) into the nat table, one\n"
"transaction per COMMIT; standard input without FILE.\n"
"  -c, --counters       restore packet and byte counters\n"
"  -n, --noflush        add to the table instead of replacing it\n"
"  -t, --test           let the kernel check everything, apply nothing\n"
"  -v, --verbose        say what is done\n"
"  -T, --table NAME     restore only table NAME (natc handles nat)\n"
"  -w, --wait [SECS]    accepted, as iptables-nft does (there is no lock)\n"
"      --xt             write rules as iptables-nft does (xt matches and\n"
"                       targets), so that it can still list the table\n"
"  -h, --help           this text\n"
"  -V, --version        the version\n"
"A line longer than 32768 bytes, or holding a NUL byte, is refused and\n"
"nothing after it is read (docs/limits.md).\n", prog);
}

int nc_cli_restore(int argc, char **argv, const char *prog, uint8_t family)
{
	static const struct option longopts[] = {
		{ "counters", no_argument, NULL, 'c' },
		{ "noflush", no_argument, NULL, 'n' },
		{ "test", no_argument, NULL, 't' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "table", required_argument, NULL, 'T' },
		{ "wait", optional_argument, NULL, 'w' },
		{ "wait-interval", required_argument, NULL, 'W' },
		{ "modprobe", required_argument, NULL, 'M' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ "xt", no_argument, NULL, 'X' },
		{ NULL, 0, NULL, 0 },
	};
	struct nc_restore_opts o = { .family = family };
	struct nc_err err = { 0 };
	struct nc_buf out = { 0 };
	const char *name = "<stdin>";
	struct nc_nl *nl = NULL;
	FILE *f = stdin;
	char *text = NULL;
	size_t len = 0;
	int c, e, status = 0;
	bool xt = false;

	opterr = 0;
	while ((c = getopt_long(argc, argv, ":cntvT:w::W:M:hV", longopts, NULL)) != -1) {
		switch (c) {
		case 'c': o.counters = true; break;
		case 'n': o.noflush = true; break;
		case 't': o.test = true; break;
		case 'v': o.verbose = true; break;
		case 'T': o.only_table = optarg; break;
		case 'w':
			/* iptables takes "-w 5": a number after -w is its */
			if (!optarg && optind < argc &&
			    strspn(argv[optind], "0123456789") == strlen(argv[optind]) &&
			    argv[optind][0])
				optind++;
			break;
		case 'W': case 'M': break;
		case 'X': xt = true; break;
		case 'h': usage(stdout, prog); return 0;
		case 'V': printf("%s v%s (nf_tables)\n", prog, NATC_VERSION); return 0;
		default:
			nc_err_param(&err, NULL, "unknown option \"%s\"", argv[optind - 1]);
			return nc_diag_print(stderr, prog, &err, NULL, NULL);
		}
	}
	if (optind + 1 < argc) {
		nc_err_param(&err, NULL, "Bad argument `%s'", argv[optind + 1]);
		return nc_diag_print(stderr, prog, &err, NULL, NULL);
	}
	if (optind < argc && strcmp(argv[optind], "-")) {
		name = argv[optind];
		f = fopen(name, "r");
		if (!f) {
			nc_err_set(&err, NC_EOTHER, NULL, "Can't open %s: %s", name,
				   strerror(errno));
			return nc_diag_print(stderr, prog, &err, NULL, NULL);
		}
	}
	text = nc_read_all(f, &len);
	e = errno;
	if (f != stdin)
		fclose(f);
	if (!text)	/* out of memory is a resource problem (4) */
		nc_err_set(&err, e == ENOMEM ? NC_ERESOURCE : NC_EOTHER, NULL,
			   "Can't read %s: %s", name, strerror(e));
	else if ((nl = nc_nl_open(family, NC_TABLE_NAT, &err))) {
		nc_nl_set_xt(nl, xt);
		nc_restore(nl, text, len, &o, &out, &err);
	}
	if (out.len)
		fwrite(out.s, 1, out.len, stdout);
	if (err.status != NC_OK)
		status = nc_diag_print(stderr, prog, &err, name, text);
	else
		nc_diag_warnings(stderr, prog, &err, name, text);
	nc_nl_close(nl);
	nc_buf_free(&out);
	free(text);
	return status;
}
