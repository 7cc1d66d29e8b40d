/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Internals shared by the domain parser, formatter and their tests. */
#pragma once

#include <libxml/tree.h>

#include "xml/domain-def.h"
#include "xml/model-util.h"

extern const char *const domain_virt_type_names[DOMAIN_VIRT_LAST];
extern const char *const domain_os_type_names[DOMAIN_OS_LAST];
extern const char *const domain_boot_dev_names[DOMAIN_BOOT_LAST];
extern const char *const domain_tristate_names[DOMAIN_TRISTATE_LAST];
extern const char *const domain_lifecycle_names[DOMAIN_LIFECYCLE_LAST];
extern const char *const domain_cpu_mode_names[DOMAIN_CPU_MODE_LAST];
extern const char *const domain_clock_names[DOMAIN_CLOCK_LAST];
extern const char *const domain_cpu_policy_names[DOMAIN_CPU_POLICY_LAST];

extern const char *const domain_disk_type_names[DOMAIN_DISK_TYPE_LAST];
extern const char *const domain_disk_device_names[DOMAIN_DISK_DEVICE_LAST];
extern const char *const domain_disk_format_names[DOMAIN_DISK_FORMAT_LAST];
extern const char *const domain_disk_bus_names[DOMAIN_DISK_BUS_LAST];
extern const char *const domain_disk_cache_names[DOMAIN_DISK_CACHE_LAST];
extern const char *const domain_net_type_names[DOMAIN_NET_LAST];
extern const char *const domain_net_managed_names[DOMAIN_NET_MANAGED_LAST];
extern const char *const domain_chr_type_names[DOMAIN_CHR_LAST];
extern const char *const domain_chr_target_names[DOMAIN_CHR_TARGET_LAST];
extern const char *const domain_controller_type_names[DOMAIN_CONTROLLER_LAST];
extern const char *const domain_video_model_names[DOMAIN_VIDEO_LAST];

/* The counts of domain-limits.h, checked on <devices> before any device is parsed. */
int domain_check_device_counts(const xmlNode *devices, struct sv_error *err);
/* Device parsers (domain-parse-devices.c), called for each child of <devices>. */
int domain_parse_disk(const xmlNode *node, struct domain_def *def, struct sv_error *err);
int domain_parse_filesystem(const xmlNode *node, struct domain_def *def, struct sv_error *err);
int domain_parse_interface(const xmlNode *node, unsigned flags, struct domain_def *def,
			   struct sv_error *err);
int domain_parse_chr(const xmlNode *node, struct domain_def *def, struct sv_error *err);

/* domain-parse-hw.c: <address>; controller, input, video, memballoon (parsed and kept). */
int domain_parse_address(const xmlNode *n, struct domain_address *a, struct sv_error *err);
/* A device's <address> (parsed into addr) or <alias>, kept in keep when given; else refused. */
int domain_parse_device_info(const xmlNode *c, const char *parent, struct domain_address *addr,
			     struct xml_keep *keep, struct sv_error *err);
int domain_parse_controller(const xmlNode *node, struct domain_def *def, struct sv_error *err);
int domain_controllers_post_parse(struct domain_def *def, struct sv_error *err);
int domain_parse_input(const xmlNode *node, struct domain_def *def, struct sv_error *err);
int domain_parse_video(const xmlNode *node, struct domain_def *def, struct sv_error *err);
int domain_parse_memballoon(const xmlNode *node, struct domain_def *def, struct sv_error *err);
/* domain-parse-display.c: <graphics type='vnc'>, <audio type='none'>. */
int domain_parse_graphics(const xmlNode *node, struct domain_def *def, struct sv_error *err);
int domain_parse_audio(const xmlNode *node, struct domain_def *def, struct sv_error *err);
/* domain-parse-misc.c: memoryBacking, maxMemory, iothreads; channel, rng, watchdog, panic, hub. */
int domain_parse_memory_backing(const xmlNode *node, struct domain_def *def, struct sv_error *err);
int domain_parse_max_memory(const xmlNode *node, struct domain_def *def, struct sv_error *err);
int domain_parse_iothreads(const xmlNode *node, struct domain_def *def, struct sv_error *err);
int domain_parse_channel(const xmlNode *node, struct domain_def *def, struct sv_error *err);
int domain_parse_rng(const xmlNode *node, struct domain_def *def, struct sv_error *err);
int domain_parse_watchdog(const xmlNode *node, struct domain_def *def, struct sv_error *err);
int domain_parse_panic(const xmlNode *node, struct domain_def *def, struct sv_error *err);
int domain_parse_hub(const xmlNode *node, struct domain_def *def, struct sv_error *err);

/* <idmap> (domain-idmap.c). */
int domain_parse_idmap(const xmlNode *node, struct domain_def *def, struct sv_error *err);
struct xml_writer;
void domain_format_idmap(struct xml_writer *w, const struct domain_def *def);
