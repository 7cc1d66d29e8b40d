#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Two domains asking for the same managed dev: the second gets a clear error naming the first;
# a managed dev that exists but is not netd's is never taken over; the same interface of the
# same domain twice is refused while its tap lives.
set -eu
. "$(dirname "$0")/lib.sh"
netd_test_init "$@"
netd_suite_start

hold "$T/a0" "$A" 0 --dev shared0 --mac 52:54:00:00:00:01 --name dom-a
state=$(link_state shared0)
expect_error "target dev 'shared0' is already in use by domain 'dom-a' ($A)" \
    nc open "$B" 0 --dev shared0 --mac 52:54:00:00:00:02 --name dom-b
[ "$(link_state shared0)" = "$state" ] || die "shared0 changed by the refused request"
expect_error "interface 0 of domain '$A' already has tap 'shared0'" nc open "$A" 0 --mac 52:54:00:00:00:01
[ -z "$(nc list "$B")" ] || die "dom-b got a record"

ip tuntap add dev foreign0 mode tap
fstate=$(link_state foreign0)
expect_error "target dev 'foreign0' already exists: managed='yes' creates its own tap" \
    nc open "$B" 0 --dev foreign0 --mac 52:54:00:00:00:02
[ "$(link_state foreign0)" = "$fstate" ] || die "foreign0 changed"

[ "$(nc release "$A")" = released=1 ] || die "release"
wait_link_gone shared0 || die "shared0 left after release"
link_exists foreign0 || die "foreign0 deleted"
ip link delete foreign0
only_links
log "PASS"
