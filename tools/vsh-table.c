/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Tables printed as virsh prints them: a leading space, columns padded and three spaces apart,
 * a line of dashes under the header (the blank line after every command is vsh_run's). */
#include "config.h"

#include <stdio.h>

#include "sepvirsh.h"
#include "util.h"

struct vsh_table {
	int ncols;
	char **cells; /* rows * ncols */
	size_t nrows;
};

struct vsh_table *vsh_table_new(int ncols, const char *const *headers)
{
	struct vsh_table *t = xcalloc(1, sizeof(*t));
	t->ncols = ncols;
	vsh_table_add(t, headers);
	return t;
}

void vsh_table_add(struct vsh_table *t, const char *const *cells)
{
	t->cells = xrealloc(t->cells, (t->nrows + 1) * t->ncols * sizeof(char *));
	for (int i = 0; i < t->ncols; i++)
		t->cells[t->nrows * t->ncols + i] = xstrdup(cells[i] ? cells[i] : "");
	t->nrows++;
}

void vsh_table_print(struct vsh_table *t)
{
	size_t width[16] = { 0 }, total = 0;

	for (size_t r = vsh_quiet ? 1 : 0; r < t->nrows; r++) /* -q: the header neither printed nor measured */
		for (int c = 0; c < t->ncols; c++) {
			size_t l = strlen(t->cells[r * t->ncols + c]);
			if (l > width[c])
				width[c] = l;
		}
	for (size_t r = vsh_quiet ? 1 : 0; r < t->nrows; r++) {
		for (int c = 0; c < t->ncols; c++) {
			const char *s = t->cells[r * t->ncols + c];
			if (c == t->ncols - 1)
				printf(" %s", s);
			else
				printf(" %-*s  ", (int)width[c], s);
		}
		printf("\n");
		if (r == 0) { /* the header (never with -q) */
			for (int c = 0; c < t->ncols; c++)
				total += width[c] + 3;
			for (size_t i = 0; i < total; i++)
				putchar('-');
			printf("\n");
		}
	}
}

void vsh_table_free(struct vsh_table *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->nrows * t->ncols; i++)
		free(t->cells[i]);
	free(t->cells);
	free(t);
}
