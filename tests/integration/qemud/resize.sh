#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# setmem, setmaxmem and setvcpus on a real TCG guest, shutdown --mode agent and domifaddr
# --source agent:
# - shut off: --config changes only the persistent definition (dumpxml --inactive), on disk;
#   virsh's refusals by name (above the maximum, --maximum without --config, not running);
# - running: setmem moves the balloon (dommemstat's actual, from QMP query-balloon) and the
#   guest's MemTotal shrinks (its virtio_balloon driver gives the pages back); the live XML and
#   dominfo follow, the persistent definition does not; setmaxmem is refused while running;
# - setvcpus plugs a vCPU (device_add) the guest sees in /sys/devices/system/cpu, unplugs it
#   again, and refuses to unplug a vCPU QEMU was started with;
# - shutdown --mode agent: refused for a domain without the guest agent channel; with the channel
#   but no agent in the guest (the test guest has none), it fails at agent_timeout_ms naming the
#   agent, and the guest keeps running.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/common.sh"
. "$here/../lib/suite.sh"
. "$here/lib.sh"
qemud_prepare "$@"

AGENT_TIMEOUT_MS=2000
export SEPVIRT_AGENT_TIMEOUT_MS=$AGENT_TIMEOUT_MS
cleanup() {
    local rc=$?
    [ -z "${cpid:-}" ] || kill "$cpid" 2>/dev/null || true
    [ -z "${epid:-}" ] || kill "$epid" 2>/dev/null || true
    qemud_stop "$rc"
}
trap cleanup EXIT
suite_start
qemud_vmdir

agent="<channel type='unix'><source mode='bind'/><target type='virtio' name='org.qemu.guest_agent.0'/></channel>"
guest_pty_xml rs | sed -e "s|<vcpu>1</vcpu>|<vcpu current='2'>3</vcpu>|" \
    -e "s|</devices>|$agent</devices>|" >"$SEPVIRT_ROOT/rs.xml"
"$SEPVIRSH" define "$SEPVIRT_ROOT/rs.xml" >/dev/null || die "define rs"

inactive() { "$SEPVIRSH" dumpxml --inactive rs; }
live() { "$SEPVIRSH" dumpxml rs; }
has() { grep -q -- "$2" <<<"$1" || die "$3: no '$2' in: $1"; }
hasnt() { ! grep -q -- "$2" <<<"$1" || die "$3: '$2' should not be in: $1"; }
ok() { "$SEPVIRSH" "$@" >/dev/null 2>"$SEPVIRT_ROOT/err" || { cat "$SEPVIRT_ROOT/err" >&2; suite_logs; die "sepvirsh $* failed"; }; }

# --- shut off: the persistent definition only ---
notrun="Requested operation is not valid: domain is not running"
expect_fail "setmem while shut off" "$notrun" "$SEPVIRSH" setmem rs 128M
expect_fail "setmem --live while shut off" "$notrun" "$SEPVIRSH" setmem rs 128M --live
expect_fail "setvcpus while shut off" "$notrun" "$SEPVIRSH" setvcpus rs 1
ok setmem rs 128M --config
has "$(inactive)" "<currentMemory unit='KiB'>131072</currentMemory>" "setmem --config"
# on disk before the reply: the definition file itself says so
has "$(cat "$SEPVIRT_ROOT"/etc/qemu/rs.xml)" "<currentMemory unit='KiB'>131072</currentMemory>" "setmem --config on disk"
ok setmem rs 262144 --config # KiB by default
has "$(inactive)" "<currentMemory unit='KiB'>262144</currentMemory>" "setmem --config in KiB"
expect_fail "setmem above the maximum" "cannot set memory higher than max memory" "$SEPVIRSH" setmem rs 1G --config
expect_fail "setmem --current --live" "Options --current and --live are mutually exclusive" "$SEPVIRSH" setmem rs 1G --current --live
expect_fail "setmem 12Q" "Scaled numeric value '12Q' for <size> option is malformed or out of range" "$SEPVIRSH" setmem rs 12Q --config
ok setmaxmem rs 300M --config
has "$(inactive)" "<memory unit='KiB'>307200</memory>" "setmaxmem --config"
ok setmaxmem rs 256M # shut off: its definition
has "$(inactive)" "<memory unit='KiB'>262144</memory>" "setmaxmem"
ok setvcpus rs 1 --config
has "$(inactive)" "current='1'>3</vcpu>" "setvcpus --config"
expect_fail "setvcpus above the maximum" \
    "requested vcpus is greater than max allowable vcpus for the persistent domain: 4 > 3" "$SEPVIRSH" setvcpus rs 4 --config
expect_fail "setvcpus --maximum without --config" "Option --config is required by option --maximum" "$SEPVIRSH" setvcpus rs 4 --maximum
ok setvcpus rs 4 --maximum --config
has "$(inactive)" "current='1'>4</vcpu>" "setvcpus --maximum --config"
ok setvcpus rs 3 --maximum --config
ok setvcpus rs 2 --config
has "$(inactive)" "current='2'>3</vcpu>" "setvcpus --config back"
expect_fail "setvcpus --guest" "unsupported flags (0x8) in function virDomainSetVcpusFlags" "$SEPVIRSH" setvcpus rs 2 --guest --config
# the read-only socket refuses them, naming the libvirt call
expect_fail "setmem read-only" "read only access prevents virDomainSetMemoryFlags" "$SEPVIRSH" -r setmem rs 128M --config
expect_fail "setvcpus read-only" "read only access prevents virDomainSetVcpusFlags" "$SEPVIRSH" -r setvcpus rs 1 --config
expect_fail "shutdown --mode read-only" "read only access prevents virDomainShutdownFlags" "$SEPVIRSH" -r shutdown rs --mode agent

# --- running ---
ok start rs
rm -f "$SEPVIRT_ROOT/in"
mkfifo "$SEPVIRT_ROOT/in"
"$SEPVIRSH" console rs <"$SEPVIRT_ROOT/in" >"$SEPVIRT_ROOT/out" 2>&1 &
cpid=$!
exec 7>"$SEPVIRT_ROOT/in"
console_until_answer 7 "$SEPVIRT_ROOT/out" '\n' || die "no shell on the console"
# guest CMD: the output of CMD in the guest (between two markers numbered in a file: guest runs
# in command substitutions, whose variables do not come back).
echo 0 >"$SEPVIRT_ROOT/n"
guest() {
    local i n
    n=$(($(cat "$SEPVIRT_ROOT/n") + 1))
    echo $n >"$SEPVIRT_ROOT/n"
    for i in $(seq 100); do
        [ $((i % 20)) -ne 1 ] || printf 'echo B%s-$((1+1)); %s; echo E%s-$((1+1))\n' $n "$1" $n >&7
        if grep -a -q "^E$n-2" "$SEPVIRT_ROOT/out"; then
            tr -d '\r' <"$SEPVIRT_ROOT/out" | sed -n "/^B$n-2/,/^E$n-2/p" | sed '1d;$d'
            return 0
        fi
        sleep 0.1
    done
    die "guest: no answer to '$1'"
}
memtotal() { guest "grep MemTotal /proc/meminfo" | awk '/MemTotal/ { print $2 }' | tail -n1; }
actual() { "$SEPVIRSH" dommemstat rs | awk '$1 == "actual" { print $2 }'; }

[ "$(guest 'test -d /sys/bus/virtio/drivers/virtio_balloon && echo balloon-yes')" = balloon-yes ] ||
    die "the guest has no virtio_balloon driver (its initramfs is not mkguest.sh's of this tree?)"
[ "$(actual)" = 262144 ] || die "dommemstat actual before setmem: $(actual)"
before=$(memtotal)
# the balloon's events, as virsh event prints them (listening by the time setmem runs)
"$SEPVIRSH" event --domain rs --event balloon-change --loop --timeout 300 >"$SEPVIRT_ROOT/balloon-events" 2>&1 &
epid=$!
sleep 1
ok setmem rs 160M
for _ in $(seq 300); do [ "$(actual)" = 163840 ] && break; sleep 0.1; done
[ "$(actual)" = 163840 ] || die "dommemstat actual after setmem 160M: $(actual)"
after=$(memtotal)
# the guest gave 96 MiB back: its MemTotal shrank by about that much (it may lag the balloon a little)
for _ in $(seq 50); do [ $((before - after)) -ge 90000 ] && break; sleep 0.2; after=$(memtotal); done
[ $((before - after)) -ge 90000 ] || die "guest MemTotal went from $before to $after KiB after setmem 160M"
# the live XML follows QEMU's BALLOON_CHANGE events, which QEMU sends at most once a second
for _ in $(seq 50); do live | grep -q "<currentMemory unit='KiB'>163840</currentMemory>" && break; sleep 0.2; done
has "$(live)" "<currentMemory unit='KiB'>163840</currentMemory>" "live XML after setmem"
for _ in $(seq 20); do grep -qx "event 'balloon-change' for domain 'rs': 163840KiB" "$SEPVIRT_ROOT/balloon-events" && break; sleep 0.2; done
grep -qx "event 'balloon-change' for domain 'rs': 163840KiB" "$SEPVIRT_ROOT/balloon-events" ||
    die "no balloon-change event for 163840 KiB: $(cat "$SEPVIRT_ROOT/balloon-events")"
has "$(inactive)" "<currentMemory unit='KiB'>262144</currentMemory>" "persistent XML after a live setmem"
"$SEPVIRSH" dominfo rs | grep -Eq '^Used memory: +163840 KiB$' || die "dominfo after setmem: $("$SEPVIRSH" dominfo rs)"
expect_fail "setmem above the maximum (live)" "cannot set memory higher than max memory" "$SEPVIRSH" setmem rs 300M
expect_fail "setmaxmem while running" "cannot resize the maximum memory on an active domain" "$SEPVIRSH" setmaxmem rs 300M
"$SEPVIRSH" setmaxmem rs 300M >/dev/null 2>"$SEPVIRT_ROOT/err" && die "setmaxmem while running passed"
head -n1 "$SEPVIRT_ROOT/err" | grep -qx "error: Unable to change MaxMemorySize" || die "setmaxmem: $(cat "$SEPVIRT_ROOT/err")"
ok setmem rs 256M --live --config
for _ in $(seq 300); do [ "$(actual)" = 262144 ] && break; sleep 0.1; done
[ "$(actual)" = 262144 ] || die "dommemstat actual after setmem 256M: $(actual)"

# vCPUs: 2 at start (-smp 2,maxcpus=3); a third plugged, seen by the guest
[ "$(guest 'cat /sys/devices/system/cpu/present')" = "0-1" ] || die "guest CPUs at start: $(guest 'cat /sys/devices/system/cpu/present')"
ok setvcpus rs 3
for _ in $(seq 50); do [ "$(guest 'cat /sys/devices/system/cpu/present')" = "0-2" ] && break; sleep 0.2; done
[ "$(guest 'cat /sys/devices/system/cpu/present')" = "0-2" ] || die "guest CPUs after setvcpus 3: $(guest 'cat /sys/devices/system/cpu/present')"
guest 'echo 1 >/sys/devices/system/cpu/cpu2/online' >/dev/null
[ "$(guest 'cat /sys/devices/system/cpu/online')" = "0-2" ] || die "guest online CPUs: $(guest 'cat /sys/devices/system/cpu/online')"
has "$(live)" "current='3'\|>3</vcpu>" "live XML after setvcpus 3"
hasnt "$(live)" "current='2'" "live XML after setvcpus 3"
has "$(inactive)" "current='2'>3</vcpu>" "persistent XML after a live setvcpus"
"$SEPVIRSH" dominfo rs | grep -Eq '^CPU\(s\): +3$' || die "dominfo after setvcpus 3: $("$SEPVIRSH" dominfo rs)"
expect_fail "setvcpus above the live maximum" \
    "requested vcpus is greater than max allowable vcpus for the live domain: 4 > 3" "$SEPVIRSH" setvcpus rs 4
expect_fail "setvcpus --maximum --live" "maximum vcpu count of a live domain can't be modified" "$SEPVIRSH" setvcpus rs 4 --maximum --live --config
# QEMU's own two cannot be unplugged: only the one setvcpus plugged
expect_fail "unplug a vCPU QEMU started with" "only 1 were plugged by setvcpus and can be unplugged by name" \
    "$SEPVIRSH" setvcpus rs 1
ok setvcpus rs 2
for _ in $(seq 50); do [ "$(guest 'cat /sys/devices/system/cpu/present')" = "0-1" ] && break; sleep 0.2; done
[ "$(guest 'cat /sys/devices/system/cpu/present')" = "0-1" ] || die "guest CPUs after setvcpus 2: $(guest 'cat /sys/devices/system/cpu/present')"
has "$(live)" "current='2'>3</vcpu>" "live XML after setvcpus 2"
"$SEPVIRSH" dominfo rs | grep -Eq '^CPU\(s\): +2$' || die "dominfo after setvcpus 2: $("$SEPVIRSH" dominfo rs)"

# --- shutdown --mode ---
expect_fail "shutdown --mode foo" "Unknown mode foo value, expecting 'acpi', 'agent', 'initctl', 'signal', or 'paravirt'" \
    "$SEPVIRSH" shutdown rs --mode foo
expect_fail "shutdown --mode initctl" "unsupported flags (0x4) in function virDomainShutdownFlags" "$SEPVIRSH" shutdown rs --mode initctl
t0=$(now_ms)
expect_fail "shutdown --mode agent, no agent in the guest" \
    "Guest agent is not responding: domain 'rs': no answer from the QEMU guest agent on channel org.qemu.guest_agent.0 within $AGENT_TIMEOUT_MS ms" \
    "$SEPVIRSH" shutdown rs --mode agent
took=$(($(now_ms) - t0))
[ "$took" -ge "$AGENT_TIMEOUT_MS" ] && [ "$took" -lt $((AGENT_TIMEOUT_MS + 3000)) ] || die "agent deadline took $took ms"
domstate_is rs "running (booted)"
[ "$(guest 'echo still-$((2+3))')" = "still-5" ] || die "guest after the agent's shutdown"
expect_fail "domifaddr --source agent, no agent in the guest" \
    "Guest agent is not responding: domain 'rs': no answer from the QEMU guest agent on channel org.qemu.guest_agent.0" \
    "$SEPVIRSH" domifaddr rs --source agent
expect_fail "domifaddr --source agent read-only" "read only access prevents virDomainInterfaceAddresses" \
    "$SEPVIRSH" -r domifaddr rs --source agent
printf '\035' >&7
exec 7>&-

# a domain without the channel: refused by name (QEMU runs at once; no need to wait for its boot)
guest_xml na "" "" >"$SEPVIRT_ROOT/na.xml"
ok define "$SEPVIRT_ROOT/na.xml"
ok start na
expect_fail "shutdown --mode agent without the channel" \
    "argument unsupported: QEMU guest agent is not configured: domain 'na' has no channel org.qemu.guest_agent.0" \
    "$SEPVIRSH" shutdown na --mode agent
expect_fail "domifaddr --source agent without the channel" "QEMU guest agent is not configured" \
    "$SEPVIRSH" domifaddr na --source agent
# acpi,agent: the agent when there, else the power button (the guest is still booting: ACPI is
# only asked, the call succeeds)
ok shutdown na --mode acpi,agent
ok destroy na
ok destroy rs
echo "resize: ok"
