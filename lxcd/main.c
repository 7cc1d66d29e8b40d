/* sepvirt-lxcd: containers from libvirt LXC domain XML */
#include "config.h"

#include "daemon.h"
#include "lxcd.h"

int main(int argc, char **argv)
{
	const struct driver_spec spec = {
		.name = "sepvirt-lxcd",
		.sockname = "lxcd",
		.program = SEPVIRT__PROGRAM__PROGRAM_LXC,
		.error_domain = SV_FROM_LXC,
		.policy = &lxcd_sandbox_policy,
		.procs = lxcd_procs,
		.nprocs = lxcd_nprocs,
	};
	return daemon_main_driver(&spec, argc, argv);
}
