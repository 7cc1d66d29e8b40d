/* Starting QEMU, following it (QMP events, process exit) and stopping it. */
#pragma once

#include "qemud.h"

int qemud_domain_start(struct domain_obj *d, struct sv_error *err);
/* SIGTERM, then SIGKILL; returns when QEMU is gone and the domain cleaned up. */
int qemud_domain_destroy(struct domain_obj *d, struct sv_error *err);
int qemud_domain_shutdown(struct domain_obj *d, struct sv_error *err);
int qemud_domain_reboot(struct domain_obj *d, struct sv_error *err);
int qemud_domain_suspend(struct domain_obj *d, struct sv_error *err);
int qemud_domain_resume(struct domain_obj *d, struct sv_error *err);
/* After a restart: take over the QEMU that a status file names, or clean up after it. */
void qemud_domains_reattach(void);
/* Starts every autostart domain that is not running. */
void qemud_domains_autostart(void);
/* CPU time of the running QEMU, from /proc. */
unsigned long long qemud_domain_cpu_time_ns(const struct domain_obj *d);
