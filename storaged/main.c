/* sepvirt-storaged: directory pools and raw/qcow2 volumes */
#include "config.h"

#include "daemon.h"
#include "storaged.h"

int main(int argc, char **argv)
{
	const struct driver_spec spec = {
		.name = "sepvirt-storaged",
		.sockname = "storaged",
		.program = SEPVIRT__PROGRAM__PROGRAM_STORAGE,
		.error_domain = SV_FROM_STORAGE,
		.policy = &storaged_sandbox_policy,
		.procs = storaged_procs,
		.nprocs = storaged_nprocs,
	};
	return daemon_main_driver(&spec, argc, argv);
}
