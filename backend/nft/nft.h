/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The nft text backend: rules of the IR written as nft 1.0.6 commands,
 * the text whose expressions are the ones the netlink backend writes for
 * the same rule (each kind's words come from its xlate callback, ir/ext/).
 *
 * Two users: natc-translate (one command, iptables-translate's output) and
 * natc-restore-translate (a whole input, through the script model below).
 */
#ifndef NATC_NFT_H
#define NATC_NFT_H

#include "ir/build.h"
#include "ir/buf.h"
#include "ir/store.h"
#include <stdio.h>

/*
 * Append the nft words of @r (what follows "add rule ip nat CHAIN ") to
 * @b.  0, or -1 with the reason in @why when some part has no nft text;
 * @b is then left as it was.
 */
int nc_nft_rule(const struct nc_rule *r, struct nc_buf *b, char *why, size_t whylen);

/* "ip" or "ip6" */
const char *nc_nft_family(uint8_t family);

/* " { type nat hook prerouting priority -100; policy accept; }" for a base
 * chain of table nat as iptables-nft makes it, "" for any other name. */
void nc_nft_chain_decl(const char *chain, struct nc_buf *b);

/* Whether nft 1.0.6 takes @name as a chain name (names.c). */
bool nc_nft_name_ok(const char *name);
/* 0 when @name can be written in nft's text; 1 otherwise, with the
 * reason in @why. */
int nc_nft_name_check(const char *name, char *why, size_t whylen);
/* 0 when every chain name @job holds (its chain, jump, -E's new name) can
 * be written in nft's text; 1 otherwise, with the reason in @why. */
int nc_nft_names_check(const struct nc_job *job, char *why, size_t whylen);

/*
 * natc-translate: @job as iptables-translate 1.8.9 writes it ("nft 'add
 * rule ip nat ...'" lines) to @out.  @args is the command as typed, for
 * the "nft # ..." line of a rule without translation.  0 when all of it
 * was translated, 1 otherwise with the reason in @why.
 */
int nc_nft_job(const struct nc_job *job, const char *args, struct nc_buf *out,
	       char *why, size_t whylen);

/*
 * natc-restore-translate's model of the nat table: jobs are applied to it
 * in input order and the final state is written as one idempotent nft
 * script (see script.c for what "idempotent" takes).
 */
struct nc_nft_script;

struct nc_nft_script *nc_nft_script_new(uint8_t family);
void nc_nft_script_free(struct nc_nft_script *s);
/* A comment line to keep (an input comment, or "# " and a line not
 * translated), written as it is just before the next rule added.  -1 on
 * ENOMEM. */
int nc_nft_script_note(struct nc_nft_script *s, const char *text, size_t len);
/* Whether the jobs applied next add to the table's chains as they are
 * (-n, as iptables-restore --noflush; a wg-quick configuration, whose
 * commands run on the host's table), or make the chains they touch the
 * input's (emptied first): see script.c. */
void nc_nft_script_additive(struct nc_nft_script *s, bool additive);
/* The whole table is replaced from here on (a save file's "*nat"). */
void nc_nft_script_replace_table(struct nc_nft_script *s);
/* A save file's ":NAME POLICY" line: the chain is the input's (declared,
 * emptied).  0; 1 with @why when nft cannot name it; -1 on ENOMEM. */
int nc_nft_script_chain(struct nc_nft_script *s, const char *name, char *why,
			size_t whylen);
/*
 * The nft words of each of a job's rules (nc_nft_rule()), made apart from
 * the script: in another thread, say.  The strings are in a store of the
 * caller's, which must outlive the script the texts go to (or be given to
 * it with nc_nft_script_adopt()).
 */
struct nc_nft_texts {
	size_t n;		/* the job's nrules */
	const char **v;		/* NULL where a rule has no nft text */
	const char *why;	/* then why (the first such rule's reason) */
};
/* 0, or -1 on ENOMEM.  @scratch: a buffer of the caller's to work in
 * (kept for the next call), or NULL. */
int nc_nft_texts_of(const struct nc_job *job, struct nc_store *st,
		    struct nc_buf *scratch, struct nc_nft_texts *out);
/* The script keeps @st's strings (and frees them with itself). */
void nc_nft_script_adopt(struct nc_nft_script *s, struct nc_store *st);
/*
 * Apply @job, typed as the @srclen bytes at @src (kept as a comment where a rule is not
 * translated) at line @line, its rules' words in @tx (NULL: made here from job->rules;
 * otherwise job->rules is not read).  0; 1 when the job's effect has no
 * translation (the model is left as it was, the reason in @why); -1 on
 * ENOMEM.
 */
int nc_nft_script_job(struct nc_nft_script *s, const struct nc_job *job,
		      const struct nc_nft_texts *tx, const char *src,
		      size_t srclen, uint32_t line, char *why, size_t whylen);
/*
 * What the jobs applied next come from: a shell script or not, and where
 * a line is reported that turns out untranslated once all the input is
 * read (nc_nft_script_finish()).
 */
void nc_nft_script_from(struct nc_nft_script *s, bool script,
			void (*report)(void *arg, uint32_t line, const char *why),
			void *arg);
/*
 * All the input is read: a script's jump (or goto) to a chain no input
 * made (-N, ":NAME", rules added to it), no builtin and no target, is
 * reported as a save file's is ("Chain 'X' does not exist"), its rules
 * kept as comments and the chain not made.  1 when there was one, else 0.
 */
int nc_nft_script_finish(struct nc_nft_script *s);
/*
 * Read an input (a save file, or a shell script of iptables commands)
 * into the model through the save-file driver (parser/savefile.h): its
 * nat commands applied in order, comments kept, and every line that is
 * not translated handed to @report (then kept as a comment).
 */
struct nc_save_parts;
struct nc_nft_input {
	uint8_t family;
	const char *prog;	/* for messages */
	bool noflush;		/* a save file adds to the table */
	const char *interface;	/* a wg-quick configuration's (its "%i") */
	/* a line not translated, and why (the caller prints it) */
	void (*report)(void *arg, uint32_t line, const char *why);
	/* a warning, in input order: @line is the line it is at (NULL: its
	 * columns are not that line's) */
	void (*warn)(void *arg, const struct nc_warn *w, const char *line, size_t len);
	void *arg;
	struct nc_save_parts *parts_out;	/* optional: how it was cut */
};
/* 0; 1 when a nat line was not translated; -1 with @err (out of memory). */
int nc_nft_script_read(struct nc_nft_script *s, const char *text, size_t len,
		       const struct nc_nft_input *in, struct nc_err *err);
/* The script, after the line(s) @header, to @f; -1 on ENOMEM or a write
 * error (errno). */
int nc_nft_script_write(struct nc_nft_script *s, const char *header, FILE *f);

#endif
