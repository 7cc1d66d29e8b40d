// SPDX-License-Identifier: LGPL-2.1-or-later
/* <audio type='none'> and <graphics type='vnc'> on QEMU's command line, as libvirt writes them:
 * -audiodev none,id=audioN, and -vnc ADDRESS:DISPLAY,audiodev=... QEMU binds the TCP address
 * itself: no host path, no fd. With autoport, QEMU takes the first free display from 0 (5900). */
#include "config.h"

#include <stdio.h>

#include "argv.h"

/* The highest display autoport tries: ports 5900 to 65535, as libvirt's range. */
#define VNC_DISPLAY_LAST (65535 - 5900)

void qemud_argv_add_audio(struct command *c, const struct domain_def *def)
{
	for (size_t i = 0; i < def->naudios; i++)
		command_add_opt(c, "-audiodev", "none,id=audio%u", def->audios[i].id);
	/* libvirt gives a VNC display an audio backend of its own when the XML has none */
	if (def->ngraphics && !def->naudios)
		command_add_opt(c, "-audiodev", "none,id=audio1");
}

void qemud_argv_add_graphics(struct command *c, const struct domain_def *def)
{
	unsigned audio = def->naudios ? def->audios[0].id : 1;

	for (size_t i = 0; i < def->ngraphics; i++) {
		const struct domain_graphics *g = &def->graphics[i];
		const char *listen = g->listen ? g->listen : "127.0.0.1";
		bool v6 = strchr(listen, ':') != NULL;
		_cleanup_free_ char *share = g->share ? xasprintf(",share=%s", g->share) : xstrdup("");
		_cleanup_free_ char *where = NULL;

		if (g->listen_none)
			where = xstrdup("none");
		else if (g->port >= 0)
			where = xasprintf("%s%s%s:%d", v6 ? "[" : "", listen, v6 ? "]" : "", g->port - 5900);
		else
			where = xasprintf("%s%s%s:0,to=%d", v6 ? "[" : "", listen, v6 ? "]" : "", VNC_DISPLAY_LAST);
		command_add_opt(c, "-vnc", "%s%s,audiodev=audio%u", where, share, audio);
	}
}
