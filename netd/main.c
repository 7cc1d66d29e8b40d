/* sepvirt-netd: the only holder of CAP_NET_ADMIN: taps and veths for domains */
#include "config.h"

#include "daemon.h"
#include "netd.h"

int main(int argc, char **argv)
{
	const struct driver_spec spec = {
		.name = "sepvirt-netd",
		.sockname = "netd",
		.program = SEPVIRT__PROGRAM__PROGRAM_NET,
		.error_domain = SV_FROM_NET,
		.policy = &netd_sandbox_policy,
		.procs = netd_procs,
		.nprocs = netd_nprocs,
	};
	return daemon_main_driver(&spec, argc, argv);
}
