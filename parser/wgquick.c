// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * wg-quick configurations (parser/script.h): the commands of their
 * [Interface] section cut as the shell lines they are.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include "parser/shell.h"

bool nc_sh_is_wg(const char *t, size_t len)
{
	for (size_t i = 0; i < len;) {
		const char *nl = memchr(t + i, '\n', len - i);
		size_t e = nl ? (size_t)(nl - t) : len;

		while (i < e && (t[i] == ' ' || t[i] == '\t'))
			i++;
		if (e - i >= 11 && !memcmp(t + i, "[Interface]", 11))
			return true;
		i = e + 1;
	}
	return false;
}

bool nc_text_is_wgquick(const char *text, size_t len)
{
	return nc_sh_is_wg(text, len);
}

static const char *trim(const char *s, const char **e)
{
	while (s < *e && strchr(" \t\r", *s))
		s++;
	while (*e > s && strchr(" \t\r", (*e)[-1]))
		(*e)--;
	return s;
}

/* A command at @line that is reported, not followed: its words split at
 * blanks (enough to tell a nat command). */
static int not_followed(struct sh *sh, const char *s, const char *e, uint32_t line,
			const char *why, bool down)
{
	struct scmd *c = nc_sh_new_cmd(sh, line);

	if (!c)
		return -1;
	c->why = why;
	c->down = down;
	while (s < e) {
		const char *w = s;

		while (s < e && !strchr(" \t", *s))
			s++;
		if (s > w && nc_sh_add_word(c, w, (size_t)(s - w)) < 0)
			return -1;
		while (s < e && strchr(" \t", *s))
			s++;
	}
	return 0;
}

/* A hook with %i (the interface, the file's name) replaced: kept in
 * sh->keep, the commands cut from it point into it. */
static char *hook(struct sh *sh, const char *s, const char *e, const char *iface)
{
	size_t n = 0, il = strlen(iface);
	char *v, **k, *p;

	for (const char *q = s; q + 1 < e; q++)
		n += q[0] == '%' && q[1] == 'i';
	if (!(v = malloc((size_t)(e - s) + n * il + 1)))
		return NULL;
	for (p = v; s < e; s++) {
		if (s + 1 < e && s[0] == '%' && s[1] == 'i') {
			memcpy(p, iface, il);
			p += il;
			s++;
		} else {
			*p++ = *s;
		}
	}
	*p = '\0';
	if (!(k = realloc(sh->keep, (sh->nkeep + 1) * sizeof(*k)))) {
		free(v);
		return NULL;
	}
	sh->keep = k;
	k[sh->nkeep++] = v;
	return v;
}

/*
 * A wg-quick configuration: what `wg-quick up` leaves is what its
 * [Interface] section's PreUp and PostUp commands make, in order (each
 * a line of shell, "%i" the interface: the file's name); PreDown and
 * PostDown are what `wg-quick down` runs, reported once each.  A line is
 * read as wg-quick reads it: from its first '#' on, it is a comment.  The
 * other settings are wg-quick's own: neither reported nor copied (the
 * PrivateKey stays out of the output); comment lines are kept.
 */
int nc_sh_cut_wg(struct sh *sh, const char *t, size_t len, const char *iface)
{
	bool section = false;
	uint32_t line = 1;

	for (size_t i = 0; i < len; line++) {
		const char *nl = memchr(t + i, '\n', len - i);
		const char *s = t + i, *e = nl ? nl : t + len, *end, *eq, *key, *kend;
		struct scmd *c;
		bool up, down;

		i = (size_t)(e - t) + 1;
		end = e;
		s = trim(s, &end);
		if (s < end && *s == '#') {
			if (!(c = nc_sh_new_cmd(sh, line)) ||
			    !(c->comment = strndup(s, (size_t)(end - s))))
				return -1;
			continue;
		}
		if ((eq = memchr(s, '#', (size_t)(end - s))))
			end = eq;
		kend = (eq = memchr(s, '=', (size_t)(end - s))) ? eq : end;
		key = trim(s, &kend);
		if (key < kend && *key == '[') {
			section = kend - key == 11 && !memcmp(key, "[Interface]", 11);
			continue;
		}
#define KEY(k) ((size_t)(kend - key) == strlen(k) && !memcmp(key, k, strlen(k)))
		up = KEY("PreUp") || KEY("PostUp");
		down = KEY("PreDown") || KEY("PostDown");
#undef KEY
		if (!section || !eq || (!up && !down))
			continue;
		s = trim(eq + 1, &end);
		if (down) {
			if (not_followed(sh, s, end, line, "wg-quick down's command: natc "
					 "translates what wg-quick up makes", true) < 0)
				return -1;
		} else if (!iface && memmem(s, (size_t)(end - s), "%i", 2)) {
			if (not_followed(sh, s, end, line, "%i: the interface, which wg-quick "
					 "names after the file (not known here)", false) < 0)
				return -1;
		} else {
			const char *v = hook(sh, s, end, iface ? iface : "");

			if (!v || nc_sh_cut(sh, v, strlen(v), line) < 0)
				return -1;
		}
	}
	return 0;
}

const char *nc_wg_interface(const char *path, char *buf)
{
	const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	size_t n = strlen(base);

	if (n < 6 || n - 5 > 15 || strcmp(base + n - 5, ".conf"))
		return NULL;
	n -= 5;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)base[i]) && !strchr("_=+.-", base[i]))
			return NULL;
	memcpy(buf, base, n);
	buf[n] = '\0';
	return buf;
}
