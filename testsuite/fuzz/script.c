// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Fuzzing the shell-script reader (parser/script.h): assignments, $VAR
 * and ${VAR}, for loops, continuations, quotes, comments, here-documents
 * (fed to iptables-restore: their expanded bodies), wg-quick; then the
 * save-file driver in script mode (what natc-restore-translate and
 * --explain do with a script), which builds and prints every iptables
 * command the reader found.
 */
#include "testsuite/fuzz/fuzz.h"
#include "parser/script.h"

static int on_command(void *u, int argc, char **argv, uint32_t line)
{
	struct nc_buf *b = u;

	nc_buf_printf(b, "%u:", line);
	for (int i = 0; i < argc; i++)
		nc_buf_printf(b, " [%s]", argv[i]);
	nc_buf_putc(b, '\n');
	return 0;
}

static int on_comment(void *u, const char *text, size_t len, uint32_t line)
{
	nc_buf_printf(u, "%u: #%.*s\n", line, (int)len, text);
	return 0;
}

static int on_skipped(void *u, uint32_t line, const char *why, bool iptables)
{
	nc_buf_printf(u, "%u: skipped%s: %s\n", line, iptables ? " iptables" : "", why);
	return 0;
}

static int on_restore(void *u, const struct nc_script_here *h)
{
	nc_buf_printf(u, "%u: restore from %u: %.*s\n", h->line, h->first, (int)h->len,
		      h->text);
	for (size_t i = 0; i < h->nbad; i++)
		nc_buf_printf(u, "%u: bad: %s\n", h->bad[i].line,
			      h->bad[i].why ? h->bad[i].why : "-");
	return 0;
}

static const struct nc_script_ops ops = {
	.command = on_command, .comment = on_comment, .skipped = on_skipped,
	.restore = on_restore,
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct nc_save_opts o = { .scripts = true, .keep_going = true, .lines = true,
				  .other_tables = NC_SAVE_SKIP };
	struct nc_buf b = { 0 };
	char *text;

	if (fuzz_pass_over(data, size))
		return 0;
	text = fuzz_exact(data, size);

	nc_text_is_script(text, size);
	/* (%i unknown is the driver's below: the interface of "wg0.conf"
	 * here, with no second pass over the same text) */
	nc_parse_script_as(text, size, "wg0", &ops, &b);
	nc_buf_free(&b);
	free(fuzz_drive(text, size, o));
	free(text);
	return 0;
}
