/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Group commit of durable writes: the renames and removals of definitions made while one turn of
 * the event loop handles its calls share one fsync per directory, done at the end of that turn,
 * and the replies of those calls wait for it. A define is still reported only once it is on disk,
 * but eight clients defining at once pay one directory fsync, not eight. */
#pragma once

#include "evloop.h"
#include "server.h"

struct group_commit;

struct group_commit *group_commit_new(struct evloop *loop);
/* Commits what waits (fsyncs, replies) and frees. */
void group_commit_free(struct group_commit *g);
/* dir holds a rename or removal not yet durable: fsynced at the next commit. */
void group_commit_dir(struct group_commit *g, const char *dir);
/* The call's reply (moved out of reply) is sent after the next commit; a failed fsync fails it. */
void group_commit_reply(struct group_commit *g, struct rpc_request *req, struct rpc_reply *reply);
/* Directory fsyncs done so far, and calls they covered (benchmarks, tests). */
void group_commit_stats(const struct group_commit *g, unsigned long long *fsyncs, unsigned long long *calls);
