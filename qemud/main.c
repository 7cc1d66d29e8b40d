/* sepvirt-qemud: QEMU domains: define, start, stop, state, re-attach */
#include "config.h"

#include "daemon.h"
#include "qemud.h"

int main(int argc, char **argv)
{
	const struct driver_spec spec = {
		.name = "sepvirt-qemud",
		.sockname = "qemud",
		.program = SEPVIRT__PROGRAM__PROGRAM_QEMU,
		.error_domain = SV_FROM_QEMU,
		.policy = &qemud_sandbox_policy,
		.procs = qemud_procs,
		.nprocs = qemud_nprocs,
	};
	return daemon_main_driver(&spec, argc, argv);
}
