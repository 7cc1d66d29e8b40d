/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* setmem, setmaxmem, setvcpus (resize.c): the handlers are in handlers.h. */
#pragma once

#include <json-c/json.h>

#include "domain-store.h"

/* QEMU's BALLOON_CHANGE event: the guest's balloon moved; the live definition's current memory
 * follows it. */
void qemud_resize_balloon_changed(struct domain_obj *d, struct json_object *data);

/* agent.c: the guest agent's deadline (agent_timeout_ms, default 10 s) and channel (a unix
 * channel named org.qemu.guest_agent.0, or NULL). */
int qemud_agent_timeout_ms(void);
const struct domain_chr *qemud_agent_channel(const struct domain_def *def);
