/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* sepvirsh without a command: virsh's interactive shell. Lines are read with libedit (line
 * editing, and history kept in $XDG_CACHE_HOME/sepvirsh/history) on a terminal, plainly
 * otherwise; each is split as virsh splits it (blanks, '...' and "..." quotes, backslash
 * escapes, ';' between commands) and each command runs on the one connection. */
#include "config.h"

#include <editline/readline.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "sepvirsh.h"
#include "util.h"

#define WORDS_MAX 64

/* The next command of *line: its words in words[] (pointing into buf), how many; -1 when a
 * quote is left open. *line moves past the command and its ';'. */
static int next_command(const char **line, char *buf, char **words)
{
	const char *p = *line;
	char *o = buf;
	int n = 0;

	for (;;) {
		while (*p == ' ' || *p == '\t' || *p == '\n')
			p++;
		if (!*p || *p == ';')
			break;
		if (n == WORDS_MAX - 1) {
			fprintf(stderr, "error: too many words in one command (limit %d)\n", WORDS_MAX - 1);
			return -1;
		}
		words[n++] = o;
		while (*p && *p != ' ' && *p != '\t' && *p != '\n' && *p != ';') {
			if (*p == '\'' || *p == '"') {
				char q = *p++;
				while (*p && *p != q) {
					if (q == '"' && *p == '\\' && p[1])
						p++;
					*o++ = *p++;
				}
				if (!*p) {
					fprintf(stderr, "error: missing %c\n", q);
					return -1;
				}
				p++;
			} else {
				if (*p == '\\' && p[1])
					p++;
				*o++ = *p++;
			}
		}
		*o++ = '\0';
	}
	*line = *p == ';' ? p + 1 : p;
	words[n] = NULL;
	return n;
}

static char *history_file(void)
{
	const char *cache = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
	_cleanup_free_ char *dir = NULL;

	if (cache && *cache)
		dir = xasprintf("%s/sepvirsh", cache);
	else if (home && *home)
		dir = xasprintf("%s/.cache/sepvirsh", home);
	else
		return NULL;
	if (mkdir(dir, 0700) < 0 && errno != EEXIST) {
		_cleanup_free_ char *parent = xstrdup(dir);
		*strrchr(parent, '/') = '\0';
		if (mkdir(parent, 0700) < 0 && errno != EEXIST)
			return NULL;
		if (mkdir(dir, 0700) < 0 && errno != EEXIST)
			return NULL;
	}
	return xasprintf("%s/history", dir);
}

/* One line: from libedit on a terminal; otherwise read plainly and shown after the prompt, so
 * a transcript reads as virsh's does. NULL at the end of input. */
static char *read_line(const char *prompt, bool tty)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;

	if (tty)
		return readline(prompt);
	printf("%s", prompt);
	fflush(stdout);
	n = getline(&line, &cap, stdin);
	if (n < 0) {
		free(line);
		return NULL;
	}
	if (n > 0 && line[n - 1] == '\n')
		line[n - 1] = '\0';
	printf("%s\n", line);
	fflush(stdout); /* before what the command says on stderr */
	return line;
}

int vsh_shell(struct vsh_ctl *ctl)
{
	bool tty = isatty(STDIN_FILENO), done = false;
	_cleanup_free_ char *hist = tty ? history_file() : NULL;

	if (!ctl->quiet)
		printf("Welcome to sepvirsh, the virtualization interactive terminal.\n\n"
		       "Type:  'help' for help with commands\n"
		       "       'quit' to quit\n\n");
	if (hist) {
		using_history();
		read_history(hist);
	}
	while (!done) {
		_cleanup_free_ char *line = read_line(ctl->readonly ? "sepvirsh > " : "sepvirsh # ", tty);
		const char *p = line;

		if (!line) {
			printf("\n");
			break;
		}
		if (hist && *line)
			add_history(line);
		_cleanup_free_ char *buf = xmalloc(strlen(line) + 1);
		while (*p && !done) {
			char *words[WORDS_MAX];
			int n = next_command(&p, buf, words);

			if (n < 0)
				break;
			if (n == 0)
				continue;
			if (streq(words[0], "quit") || streq(words[0], "exit"))
				done = true;
			else
				vsh_run(ctl, n, words);
			fflush(stdout);
		}
	}
	if (hist)
		write_history(hist);
	return 0;
}
