// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * natc-restore-translate's reading: the save-file driver's events
 * (parser/savefile.h) applied to the script model (script.c).  A big save
 * file is read in parts: each job's nft words are made in the reader
 * thread (prepare()), the model is changed in input order.  What is not
 * translated goes to the caller's report() and stays in the script as a
 * comment.
 */
#include <errno.h>
#include <string.h>
#include "backend/nft/nft.h"
#include "parser/savefile.h"
#include "parser/script.h"

struct input {
	struct nc_nft_script *s;
	const struct nc_nft_input *in;
	struct nc_err *err;
	bool failed;		/* a nat line not translated */
	uint32_t noted;		/* the last line kept as a comment: a line of
				 * several commands (a; b) is kept once */
};

static int nomem(struct input *t)
{
	return nc_err_set(t->err, NC_ERESOURCE, NULL, "out of memory");
}

/* Report a line and keep it as a comment. */
static int report(struct input *t, const struct nc_save_src *src, const char *why,
		  bool nat)
{
	struct nc_buf b = { 0 };
	int rc = 0;

	if (t->in->report)
		t->in->report(t->in->arg, src->line, why);
	if (src->text && (!src->line || src->line != t->noted)) {
		t->noted = src->line;
		nc_buf_printf(&b, "# %.*s", (int)src->len, src->text);
		if (nc_buf_failed(&b) || nc_nft_script_note(t->s, nc_buf_str(&b), b.len) < 0)
			rc = nomem(t);
		nc_buf_free(&b);
	}
	if (nat)
		t->failed = true;
	return rc;
}

static int on_begin(void *user, bool script)
{
	struct input *t = user;

	nc_nft_script_from(t->s, script, t->in->report, t->in->arg);
	return 0;
}

static int on_table(void *user, const char *name, const struct nc_loc *loc)
{
	struct input *t = user;

	if (!t->in->noflush)
		nc_nft_script_replace_table(t->s);
	return 0;
}

static int on_chain(void *user, const char *name, bool builtin, uint64_t p, uint64_t b,
		    const struct nc_loc *loc)
{
	struct input *t = user;
	char why[256];
	struct nc_save_src src = { .line = loc ? loc->line : 0 };
	int rc = nc_nft_script_chain(t->s, name, why, sizeof(why));

	if (rc < 0)
		return nomem(t);
	/* (the driver does not hand on a chain line's text: reported only) */
	return rc ? report(t, &src, why, true) : 0;
}

static int on_commit(void *user, const struct nc_loc *loc)
{
	return 0;
}

static int on_command(void *user, struct nc_job *job, const struct nc_loc *loc,
		      const struct nc_save_src *src, void *prepared)
{
	struct input *t = user;
	char why[256] = "";
	int rc = nc_nft_script_job(t->s, job, prepared, src->text ? src->text : "",
				   src->text ? src->len : 0, src->line, why, sizeof(why));

	if (rc < 0)
		return nomem(t);
	if (rc > 0) {
		/* the model kept the line as a comment itself */
		t->noted = src->line;
		if (t->in->report)
			t->in->report(t->in->arg, src->line, why);
		t->failed = true;
	}
	return 0;
}

static int on_line(void *user, enum nc_line_kind kind, const struct nc_save_src *src,
		   const char *why)
{
	struct input *t = user;

	if (kind == NC_LINE_COMMENT)
		return nc_nft_script_note(t->s, src->text, src->len) < 0 ? nomem(t) : 0;
	return report(t, src, why, kind == NC_LINE_NOT_FOLLOWED);
}

static int on_error(void *user, const struct nc_err *err, const struct nc_save_src *src)
{
	return report(user, src, err->msg, true);
}

static int on_warn(void *user, const struct nc_warn *w, const struct nc_save_src *src)
{
	struct input *t = user;

	if (t->in->warn)
		t->in->warn(t->in->arg, w, src->text, src->len);
	return 0;
}

/* In a reader thread: the job's nft words, into the part's store; its
 * rules are not needed after that. */
static int prepare(const void *user, struct nc_job *job, struct nc_store *st,
		   void **prepared)
{
	struct nc_nft_texts *tx = nc_store_alloc(st, sizeof(*tx));

	if (!tx || nc_nft_texts_of(job, st, NULL, tx) < 0)
		return -1;
	for (size_t i = 0; i < job->nrules; i++) {
		nc_rule_free(job->rules[i]);
		job->rules[i] = NULL;
	}
	*prepared = tx;
	return 0;
}

static void adopt(void *user, struct nc_store *st)
{
	struct input *t = user;

	nc_nft_script_adopt(t->s, st);
}

static const struct nc_save_ops input_ops = {
	.begin = on_begin, .table = on_table, .chain = on_chain, .commit = on_commit,
	.command = on_command, .line = on_line, .error = on_error, .warn = on_warn,
	.prepare = prepare, .adopt = adopt,
};

int nc_nft_script_read(struct nc_nft_script *s, const char *text, size_t len,
		       const struct nc_nft_input *in, struct nc_err *err)
{
	struct input t = { .s = s, .in = in, .err = err };
	struct nc_save_opts o = {
		.family = in->family, .prog = in->prog, .other_tables = NC_SAVE_SKIP,
		.scripts = true, .keep_going = true, .lines = true, .parts = true,
		.parts_out = in->parts_out, .interface = in->interface,
	};

	nc_nft_script_additive(s, in->noflush || nc_text_is_wgquick(text, len));
	if (nc_save_read(text, len, &o, &input_ops, &t, err) < 0)
		return -1;
	return t.failed ? 1 : 0;
}
