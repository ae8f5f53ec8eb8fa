// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Fuzzing the save-file driver (parser/savefile.h) on save-file text: the
 * scanner in its save-file mode, the driver's checks, the build pass of
 * every command line and the printers on the rules built.  Read three
 * ways: stopping at the first error, as natc-restore does; going on after
 * errors with the lines indexed, as natc-restore-translate does, in one
 * part; and the same cut into parts, each read by a thread.
 *
 * Oracle: the events do not depend on the number of parts
 * (docs/architecture.md, "Life of a translation").
 */
#include "testsuite/fuzz/fuzz.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	/* small inputs are cut too: parts are made only at "-A" lines of
	 * a *nat that starts the text or follows a COMMIT */
	setenv("NATC_PARTS", "3", 1);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct nc_save_opts plain = { 0 };
	struct nc_save_opts keep = { .keep_going = true, .lines = true,
				     .other_tables = NC_SAVE_SKIP };
	struct nc_save_opts parts = keep;
	char *text, *one, *cut;

	if (fuzz_pass_over(data, size))
		return 0;
	text = fuzz_exact(data, size);

	free(fuzz_drive(text, size, plain));
	one = fuzz_drive(text, size, keep);
	parts.parts = true;
	cut = fuzz_drive(text, size, parts);
	/* out of memory stops a read in parts without the failed part's
	 * events: only the status is the same then */
	fuzz_assert(!strcmp(one, cut) || (strstr(one, "ERR4@") && strstr(cut, "ERR4@")),
		    "events differ in parts:\n%s\nagainst, in one go:\n%s", cut, one);
	free(cut);
	free(one);
	free(text);
	return 0;
}
