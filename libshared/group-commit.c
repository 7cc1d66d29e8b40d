/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "atomic-file.h"
#include "group-commit.h"
#include "log.h"

struct commit_wait {
	struct rpc_pending *pending;
	struct rpc_reply reply;
};

struct group_commit {
	struct evloop *loop;
	char **dirs;
	size_t ndirs, dircap;
	struct commit_wait *waits;
	size_t nwaits, waitcap;
	bool scheduled;
	bool dead;     /* freed while a commit was scheduled: the commit frees it */
	unsigned long long fsyncs, calls;
};

struct group_commit *group_commit_new(struct evloop *loop)
{
	struct group_commit *g = xcalloc(1, sizeof(*g));

	g->loop = loop;
	return g;
}

/* One fsync per directory touched since the last commit makes every rename and removal in it
 * durable (the files' own data was fsynced before their rename); then the calls are answered. */
static void commit(struct group_commit *g)
{
	struct sv_error err;
	int r = 0;

	g->scheduled = false;
	sv_error_clear(&err);
	for (size_t i = 0; i < g->ndirs; i++) {
		if (r >= 0) {
			r = atomic_file_sync_dir(g->dirs[i], &err);
			g->fsyncs++;
		}
		free(g->dirs[i]);
	}
	g->ndirs = 0;
	/* The renames and removals are done: the calls are answered as done, as atomic_file_write
	 * answers one whose directory fsync fails after its rename (an error reply would claim
	 * that nothing changed). The failed fsync only leaves durability to the next sync. */
	if (r < 0)
		log_error("%s: %zu call(s) answered as done, their changes made but not known durable", err.message,
			  g->nwaits);
	for (size_t i = 0; i < g->nwaits; i++)
		rpc_pending_reply(g->waits[i].pending, &g->waits[i].reply);
	g->calls += g->nwaits;
	g->nwaits = 0;
}

static void release(struct group_commit *g)
{
	free(g->dirs);
	free(g->waits);
	free(g);
}

static void commit_deferred(void *p)
{
	struct group_commit *g = p;

	commit(g);
	if (g->dead)
		release(g);
}

static void schedule(struct group_commit *g)
{
	if (g->scheduled || g->dead)
		return;
	g->scheduled = true;
	/* After every call this turn of the loop read has been handled. */
	evloop_defer_free(g->loop, commit_deferred, g);
}

void group_commit_dir(struct group_commit *g, const char *dir)
{
	for (size_t i = 0; i < g->ndirs; i++)
		if (streq(g->dirs[i], dir))
			return;
	if (g->ndirs == g->dircap) {
		g->dircap = g->dircap ? g->dircap * 2 : 4;
		g->dirs = xrealloc(g->dirs, g->dircap * sizeof(*g->dirs));
	}
	g->dirs[g->ndirs++] = xstrdup(dir);
	schedule(g);
}

void group_commit_reply(struct group_commit *g, struct rpc_request *req, struct rpc_reply *reply)
{
	struct commit_wait *w;

	if (g->nwaits == g->waitcap) {
		g->waitcap = g->waitcap ? g->waitcap * 2 : 16;
		g->waits = xrealloc(g->waits, g->waitcap * sizeof(*g->waits));
	}
	w = &g->waits[g->nwaits++];
	w->pending = rpc_request_defer(req);
	w->reply = *reply;
	/* Moved: the server frees nothing of it now. */
	rpc_envelope reset = SEPVIRT__ENVELOPE__INIT;
	reply->env = reset;
	reply->nfds = 0;
	schedule(g);
}

void group_commit_free(struct group_commit *g)
{
	if (!g)
		return;
	if (g->scheduled) {
		commit(g);
		g->scheduled = true; /* still on the loop's list: freed from there */
		g->dead = true;
		return;
	}
	release(g);
}

void group_commit_stats(const struct group_commit *g, unsigned long long *fsyncs, unsigned long long *calls)
{
	*fsyncs = g->fsyncs;
	*calls = g->calls;
}
