/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The entry points behind the multi-call names. */
#ifndef NATC_CLI_H
#define NATC_CLI_H

#include <stdint.h>

/* natc / natc6: one iptables command.  Returns the exit status. */
int nc_cli_natc(int argc, char **argv, const char *prog, uint8_t family);

/* natc-restore: a save file into the kernel.  Returns the exit status. */
int nc_cli_restore(int argc, char **argv, const char *prog, uint8_t family);
/* natc-save: the nat table in the save format. */
int nc_cli_save(int argc, char **argv, const char *prog, uint8_t family);

/* natc-translate: one command as nft commands (iptables-translate). */
int nc_cli_translate(int argc, char **argv, const char *prog, uint8_t family);
/* natc-restore-translate: save files and scripts as one nft script. */
int nc_cli_restore_translate(int argc, char **argv, const char *prog, uint8_t family);

/* natc --explain ...: audit a nat ruleset (never changes the kernel). */
int nc_cli_explain(int argc, char **argv, const char *prog, uint8_t family);

#endif
