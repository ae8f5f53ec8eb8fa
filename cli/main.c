// SPDX-License-Identifier: GPL-2.0-or-later
/* The multi-call binary: what natc does depends on the name it runs as. */
#include <libgen.h>
#include <string.h>
#include <sys/socket.h>
#include "cli/cli.h"

int main(int argc, char **argv)
{
	const char *name = argc > 0 ? basename(argv[0]) : "natc";

	if (!strcmp(name, "natc6"))
		return nc_cli_natc(argc, argv, "natc6", AF_INET6);
	if (!strcmp(name, "natc6-restore"))
		return nc_cli_restore(argc, argv, name, AF_INET6);
	if (!strcmp(name, "natc6-save"))
		return nc_cli_save(argc, argv, name, AF_INET6);
	if (!strcmp(name, "natc-restore"))
		return nc_cli_restore(argc, argv, name, AF_INET);
	if (!strcmp(name, "natc-translate"))
		return nc_cli_translate(argc, argv, name, AF_INET);
	if (!strcmp(name, "natc-restore-translate"))
		return nc_cli_restore_translate(argc, argv, name, AF_INET);
	if (!strcmp(name, "natc-save"))
		return nc_cli_save(argc, argv, name, AF_INET);
	return nc_cli_natc(argc, argv, "natc", AF_INET);
}
