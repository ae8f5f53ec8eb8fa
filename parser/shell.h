/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The shell-script reader's inside (parser/script.c, parser/wgquick.c):
 * a script cut into simple commands, before they are walked.
 */
#ifndef NATC_PARSER_SHELL_H
#define NATC_PARSER_SHELL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "parser/script.h"

struct scmd {
	uint32_t first, last;	/* lines */
	char **w;		/* words as written */
	size_t n;
	const char *why;	/* what the reader cannot follow in it */
	char *comment;		/* a comment item (no words) */
	/* a here-document, the command's standard input: the lines after
	 * the command's up to its end word (@last is that word's line) */
	const char *here;	/* in the script's text; NULL: none */
	size_t here_len;
	uint32_t here_line;	/* its first line */
	bool here_quoted;	/* <<'EOF': the shell expands nothing in it */
	bool here_tabs;		/* <<-EOF: leading tabs are stripped */
	bool down;		/* wg-quick's PreDown, PostDown: never a failure */
};

struct var {
	char *name, *value;
};

struct sh {
	struct scmd *c;
	size_t n, cap;
	struct var *v;
	size_t nv;
	const struct nc_script_ops *ops;
	void *user;
	size_t budget;		/* bytes the expansions may still make */
	size_t steps;		/* commands walked so far */
	char **keep;		/* wg-quick's commands, cut where they lie */
	size_t nkeep;
};

/* A new command at @line, zeroed; NULL when out of memory. */
struct scmd *nc_sh_new_cmd(struct sh *sh, uint32_t line);
/* A word of @c, @len bytes at @s; -1 when out of memory. */
int nc_sh_add_word(struct scmd *c, const char *s, size_t len);
/* Cut @len bytes of shell text at @t, its first line @line, into commands. */
int nc_sh_cut(struct sh *sh, const char *t, size_t len, uint32_t line);
/* @t is a wg-quick configuration (it has an [Interface] section). */
bool nc_sh_is_wg(const char *t, size_t len);
/* Cut a wg-quick configuration's commands (parser/wgquick.c). */
int nc_sh_cut_wg(struct sh *sh, const char *t, size_t len, const char *iface);

#endif
