/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The clock, its timers and the guest's power management on QEMU's command line, as libvirt
 * writes them: each setting the XML accepts reaches QEMU, or the definition is refused. */
#include "config.h"

#include "argv.h"

#define UNSUPPORTED(err, ...) sv_error_set(err, SV_FROM_QEMU, SV_ERR_CONFIG_UNSUPPORTED, ENOTSUP, __VA_ARGS__)

/* Which ACPI device of the machine carries the S3/S4 switches: PIIX4 for pc (i440fx), ICH9
 * for q35; NULL for a machine with neither. */
static const char *pm_device(const char *machine)
{
	if (streq(machine, "pc") || startswith(machine, "pc-i440fx-") || startswith(machine, "pc-1."))
		return "PIIX4_PM";
	if (streq(machine, "q35") || startswith(machine, "pc-q35-"))
		return "ICH9-LPC";
	return NULL;
}

static int timer_unsupported(struct sv_error *err, enum domain_timer_name t, const char *what, const char *value)
{
	return UNSUPPORTED(err, "clock timer '%s': %s '%s' is not supported", domain_timer_names[t], what, value);
}

int qemud_argv_check_clock(const struct domain_def *def, struct sv_error *err)
{
	const struct domain_timer *rtc = &def->timers[DOMAIN_TIMER_RTC], *pit = &def->timers[DOMAIN_TIMER_PIT];
	const struct domain_timer *hpet = &def->timers[DOMAIN_TIMER_HPET];

	if (rtc->present == DOMAIN_TRISTATE_NO)
		return timer_unsupported(err, DOMAIN_TIMER_RTC, "present", "no");
	if (rtc->tickpolicy == DOMAIN_TICK_MERGE || rtc->tickpolicy == DOMAIN_TICK_DISCARD)
		return timer_unsupported(err, DOMAIN_TIMER_RTC, "tickpolicy", domain_tickpolicy_names[rtc->tickpolicy]);
	if (pit->present == DOMAIN_TRISTATE_NO)
		return timer_unsupported(err, DOMAIN_TIMER_PIT, "present", "no");
	if (pit->tickpolicy == DOMAIN_TICK_CATCHUP || pit->tickpolicy == DOMAIN_TICK_MERGE)
		return timer_unsupported(err, DOMAIN_TIMER_PIT, "tickpolicy", domain_tickpolicy_names[pit->tickpolicy]);
	if (hpet->tickpolicy)
		return timer_unsupported(err, DOMAIN_TIMER_HPET, "tickpolicy", domain_tickpolicy_names[hpet->tickpolicy]);
	if ((def->pm_suspend_to_mem || def->pm_suspend_to_disk) &&
	    !pm_device(def->os.machine ? def->os.machine : "pc"))
		return UNSUPPORTED(err, "<pm> is not supported for machine '%s' (only pc and q35 machines)",
				   def->os.machine);
	return 0;
}

const char *qemud_argv_machine_hpet(const struct domain_def *def)
{
	return def->timers[DOMAIN_TIMER_HPET].present == DOMAIN_TRISTATE_NO ? ",hpet=off" : "";
}

void qemud_argv_add_clock(struct command *c, const struct domain_def *def)
{
	/* catchup: a late RTC tick is made up by slewing; delay (the default) needs nothing */
	command_add_opt(c, "-rtc", "base=%s%s", def->clock == DOMAIN_CLOCK_LOCALTIME ? "localtime" : "utc",
			def->timers[DOMAIN_TIMER_RTC].tickpolicy == DOMAIN_TICK_CATCHUP ? ",driftfix=slew" : "");
	switch (def->timers[DOMAIN_TIMER_PIT].tickpolicy) {
	case DOMAIN_TICK_DELAY:
		command_add_opt(c, "-global", "kvm-pit.lost_tick_policy=delay");
		break;
	case DOMAIN_TICK_DISCARD:
		command_add_opt(c, "-global", "kvm-pit.lost_tick_policy=discard");
		break;
	default:
		break;
	}
}

void qemud_argv_add_pm(struct command *c, const struct domain_def *def)
{
	const char *dev = pm_device(def->os.machine ? def->os.machine : "pc");

	if (def->pm_suspend_to_mem)
		command_add_opt(c, "-global", "%s.disable_s3=%d", dev, def->pm_suspend_to_mem == DOMAIN_TRISTATE_NO);
	if (def->pm_suspend_to_disk)
		command_add_opt(c, "-global", "%s.disable_s4=%d", dev, def->pm_suspend_to_disk == DOMAIN_TRISTATE_NO);
}
