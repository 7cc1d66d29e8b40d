/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Hotplug (hotplug.c, the jobs) and the edits of a definition it makes (hotplug-def.c): a device
 * is added to or removed from a definition through its XML (format, edit the tree, parse), so
 * the result passes every check a defined domain passes. */
#pragma once

#include <json-c/json.h>
#include <libxml/tree.h>

#include "job.h"
#include "qemud.h"

enum qemud_hotplug_kind { QEMUD_HOTPLUG_DISK, QEMUD_HOTPLUG_INTERFACE };

/* The one device element of xml (<disk> or <interface>; anything else refused by name). */
int qemud_hotplug_parse(const char *xml, xmlDocPtr *doc, enum qemud_hotplug_kind *kind, struct sv_error *err);
/* *out: def with a copy of dev appended to its devices, parsed with parse_flags. */
int qemud_hotplug_def_add(const struct domain_def *def, const xmlNode *dev, unsigned parse_flags,
			  struct domain_def **out, struct sv_error *err);
/* *out: def without its index-th device of kind. Each interface left keeps the QEMU id it has
 * (written as its <alias>), so that ids never follow a device's place in the list. */
int qemud_hotplug_def_remove(const struct domain_def *def, enum qemud_hotplug_kind kind, size_t index,
			     unsigned parse_flags, struct domain_def **out, struct sv_error *err);
/* *out: def with its index-th device of kind replaced by a copy of with (update-device). */
int qemud_hotplug_def_replace(const struct domain_def *def, enum qemud_hotplug_kind kind, size_t index,
			      const xmlNode *with, unsigned parse_flags, struct domain_def **out, struct sv_error *err);
/* QEMU's id of interface i of a running definition: its <alias>, else net<i> as start names it. */
char *qemud_hotplug_iface_id(const struct domain_def *def, size_t i);
/* The device named by a detach's XML: a disk by its target dev, an interface by its MAC (and
 * type); *index, or an error naming what was looked for. */
int qemud_hotplug_find(const struct domain_def *def, const xmlNode *dev, enum qemud_hotplug_kind kind,
		       size_t *index, struct sv_error *err);

void qemud_job_attach_device(struct domain_job *j);
void qemud_job_detach_device(struct domain_job *j);
/* update-device: a cdrom's medium inserted, changed or ejected. */
void qemud_job_update_device(struct domain_job *j);
/* A QMP event of d's QEMU: DEVICE_DELETED ends a detach (the backend goes, the definition
 * loses the device). */
void qemud_hotplug_event(struct domain_obj *d, const char *name, struct json_object *data);
/* The daemon stops: what detaches waited for is forgotten (their jobs ended already). */
void qemud_hotplug_fini(void);
