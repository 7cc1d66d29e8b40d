/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Domain events other than lifecycle, from QEMU's monitor events. */
#pragma once

#include <json-c/json.h>

#include "qemud.h"

/* A QMP event of d's QEMU: the domain event libvirt makes of it, if any, to the subscribers. */
void qemud_events_from_qmp(const struct domain_obj *d, const char *name, struct json_object *data);
