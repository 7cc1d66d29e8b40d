/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* virsh edit: the persistent definition in $VISUAL or $EDITOR (vi), defined again when changed.
 * A definition refused, or changed by someone else meanwhile, asks on a terminal whether to
 * edit again (y), give up (n), define without the schema check (i) or define as it is anyway
 * (f), as virsh does; without a terminal it fails with the reason. */
#include "config.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <termios.h>

#include "sepvirsh.h"
#include "util.h"

/* The XML in a temp file of its own: $TMPDIR/sepvirshXXXXXX.xml. */
static char *write_temp(const char *xml)
{
	const char *dir = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
	char *path = xasprintf("%s/sepvirshXXXXXX.xml", dir);
	int fd = mkstemps(path, 4);
	size_t len = strlen(xml);

	if (fd < 0 || write(fd, xml, len) != (ssize_t)len || close(fd) < 0) {
		fprintf(stderr, "error: cannot write the temporary file '%s': %s\n", path, strerror(errno));
		if (fd >= 0)
			unlink(path);
		free(path);
		return NULL;
	}
	return path;
}

/* Runs the editor on path: through sh when it holds arguments or shell syntax, as virsh does. */
static int run_editor(const char *path)
{
	const char *editor = getenv("VISUAL");
	int status;
	pid_t pid;

	if (!editor || !*editor)
		editor = getenv("EDITOR");
	if (!editor || !*editor)
		editor = "vi";
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		if (strpbrk(editor, " \t'\"$;&|<>`\\")) {
			_cleanup_free_ char *line = xasprintf("%s %s", editor, path);
			execl("/bin/sh", "sh", "-c", line, (char *)NULL);
		} else {
			execlp(editor, editor, path, (char *)NULL);
		}
		fprintf(stderr, "error: cannot run the editor '%s': %s\n", editor, strerror(errno));
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		fprintf(stderr, "error: internal error: Child process (%s %s) unexpected exit status %d\n", editor, path,
			WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
		return -1;
	}
	return 0;
}

/* virsh's question after a failed definition: y, n, i (when the check may be dropped) or f;
 * -1 without a terminal. */
static int ask_again(const char *msg, bool relax)
{
	struct termios saved, raw;
	int c;

	if (!isatty(STDIN_FILENO) || tcgetattr(STDIN_FILENO, &saved) < 0)
		return -1;
	raw = saved;
	cfmakeraw(&raw);
	raw.c_oflag |= OPOST;
	tcsetattr(STDIN_FILENO, TCSADRAIN, &raw); /* what was typed ahead is an answer too */
	for (;;) {
		printf("\r%s Try again? %s: ", msg, relax ? "[y,n,i,f,?]" : "[y,n,f,?]");
		fflush(stdout);
		c = getchar();
		if (c >= 'A' && c <= 'Z')
			c += 'a' - 'A';
		if (c == '?') {
			printf("\r\ny - yes, start editor again\r\nn - no, throw away my changes\r\n%s"
			       "f - force, try to redefine again\r\n? - print this help\r\n",
			       relax ? "i - turn off validation and try to redefine again\r\n" : "");
			continue;
		}
		if (c == 'y' || c == 'n' || c == 'f' || (relax && c == 'i') || c == EOF || c == 4 /* Ctrl+D */)
			break;
	}
	tcsetattr(STDIN_FILENO, TCSADRAIN, &saved);
	printf("\r\n");
	return c == EOF || c == 4 ? 'n' : c;
}

/* Defines the edited XML unless the definition changed meanwhile; NULL when done, else what
 * went wrong (the reason printed). doc becomes the definition as it is now. */
static const char *redefine(struct vsh_ctl *ctl, const sepvirt_domain *d, char **doc, const char *edited,
			    unsigned flags, sepvirt_domain *out)
{
	char *now = sepvirt_domain_get_xml(ctl->conn, d->uuid, SEPVIRT_XML_INACTIVE);

	if (!now) {
		vsh_fail(NULL);
		return "Failed.";
	}
	if (!streq(*doc, now)) {
		free(*doc);
		*doc = now;
		return "The XML configuration was changed by another user.";
	}
	free(now);
	if (sepvirt_domain_define(ctl->conn, edited, flags, out) < 0) {
		vsh_fail(NULL);
		return "Failed.";
	}
	return NULL;
}

int vsh_cmd_edit(struct vsh_ctl *ctl, const struct vsh_cmd *cmd)
{
	unsigned flags = vsh_flag(cmd, vsh_edit_opts, "skip-validate") ? 0 : SEPVIRT_DEFINE_VALIDATE;
	_cleanup_free_ char *doc = NULL, *edited = NULL, *tmp = NULL;
	bool relax = flags != 0, edit = true;
	sepvirt_domain d, out;
	const char *msg;
	int rc = 1;

	if (vsh_lookup_domain(ctl, cmd->argv[0], &d) < 0)
		return 1;
	if (!(doc = sepvirt_domain_get_xml(ctl->conn, d.uuid, SEPVIRT_XML_INACTIVE)))
		return vsh_fail(NULL);
	if (!(tmp = write_temp(doc)))
		return 1;
	for (;;) {
		if (edit) {
			free(edited);
			edited = NULL;
			if (run_editor(tmp) < 0 || vsh_read_file(tmp, &edited) < 0)
				break;
			if (streq(doc, edited)) {
				printf("Domain '%s' XML configuration not changed.\n", d.name);
				rc = 0;
				break;
			}
		}
		if (!(msg = redefine(ctl, &d, &doc, edited, flags, &out))) {
			printf("Domain '%s' XML configuration edited.\n", out.name);
			rc = 0;
			break;
		}
		int c = ask_again(msg, relax);
		if (c == 'i') {
			flags = 0;
			relax = false;
		} else if (c != 'y' && c != 'f') {
			if (c != 'n')
				fprintf(stderr, "error: %s\n", msg);
			break;
		}
		edit = c == 'y';
	}
	unlink(tmp);
	return rc;
}

const char *const vsh_edit_opts[] = { "skip-validate", NULL };
