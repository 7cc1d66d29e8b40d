# Benchmarks: built with `make bench`, run by hand; each prints its figures.
EXTRA_PROGRAMS = bench/rpc/bench-rpc
bench_rpc_bench_rpc_SOURCES = bench/rpc/bench-rpc.c
bench_rpc_bench_rpc_LDADD = $(SHARED_LIBS)
EXTRA_PROGRAMS += bench/domain/bench-domain
bench_domain_bench_domain_SOURCES = bench/domain/bench-domain.c qemud/argv.c qemud/argv.h
bench_domain_bench_domain_LDADD = $(SHARED_LIBS)
bench_programs = bench/rpc/bench-rpc bench/domain/bench-domain
dist_noinst_SCRIPTS += bench/rpc/run.sh bench/domain/run.sh
EXTRA_DIST += bench/README.md
CLEANFILES += $(bench_programs)
bench: $(bench_programs)
.PHONY: bench
