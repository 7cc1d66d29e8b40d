# SPDX-License-Identifier: LGPL-2.1-or-later
# Benchmarks: built with `make bench`, run by hand; each prints its figures.
EXTRA_PROGRAMS = bench/rpc/bench-rpc
bench_rpc_bench_rpc_SOURCES = bench/rpc/bench-rpc.c
bench_rpc_bench_rpc_LDADD = $(SHARED_LIBS)
bench_programs = bench/rpc/bench-rpc
EXTRA_PROGRAMS += bench/rpc/bench-hop
bench_rpc_bench_hop_SOURCES = bench/rpc/bench-hop.c
bench_programs += bench/rpc/bench-hop
# bench/container: start and destroy of a busybox container through the public API.
EXTRA_PROGRAMS += bench/container/bench-container
bench_container_bench_container_SOURCES = bench/container/bench-container.c
bench_container_bench_container_CFLAGS = $(AM_CFLAGS) -I$(top_srcdir)/client/include
bench_container_bench_container_LDADD = client/libsepvirt.la
bench_programs += bench/container/bench-container
dist_noinst_SCRIPTS += bench/container/run.sh
EXTRA_PROGRAMS += bench/domain/bench-domain
bench_domain_bench_domain_SOURCES = bench/domain/bench-domain.c qemud/argv.c qemud/argv-clock.c qemud/argv.h
bench_domain_bench_domain_LDADD = $(SHARED_LIBS)
bench_programs += bench/domain/bench-domain
dist_noinst_SCRIPTS += bench/domain/run.sh bench/domain/jobs.sh bench/domain/define-vs-libvirt.sh
dist_noinst_DATA += bench/domain/lib.sh
if HAVE_LIBVIRT
EXTRA_PROGRAMS += bench/rpc/bench-libvirt
bench_rpc_bench_libvirt_SOURCES = bench/rpc/bench-libvirt.c
bench_rpc_bench_libvirt_CFLAGS = $(AM_CFLAGS) $(LIBVIRT_CFLAGS)
bench_rpc_bench_libvirt_LDADD = $(LIBVIRT_LIBS)
bench_programs += bench/rpc/bench-libvirt
EXTRA_PROGRAMS += bench/domain/bench-libvirt-define
bench_domain_bench_libvirt_define_SOURCES = bench/domain/bench-libvirt-define.c
bench_domain_bench_libvirt_define_CFLAGS = $(AM_CFLAGS) $(LIBVIRT_CFLAGS)
bench_domain_bench_libvirt_define_LDADD = $(LIBVIRT_LIBS)
bench_programs += bench/domain/bench-libvirt-define
else
EXTRA_DIST += bench/rpc/bench-libvirt.c bench/domain/bench-libvirt-define.c
endif
dist_noinst_SCRIPTS += bench/rpc/run.sh bench/storage/run.sh bench/tap/bench-tap.sh bench/network/bench-net.sh
EXTRA_DIST += bench/README.md
CLEANFILES += $(bench_programs)
bench: $(bench_programs)
.PHONY: bench
