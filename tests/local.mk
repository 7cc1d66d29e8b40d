# tests
# --- netd tests ---
include tests/integration/netd/local.mk
