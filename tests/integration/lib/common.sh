# SPDX-License-Identifier: LGPL-2.1-or-later
# shellcheck shell=bash
# Shared helpers for sepvirt integration tests. Source it:
#   . "$(dirname "$0")/../lib/common.sh"
# Tests follow the automake convention: exit 0 pass, 1 fail, 77 skip, 99 hard error.

SV_TEST_NAME=${SV_TEST_NAME:-$(basename "$0")}

log() { printf '%s: %s\n' "$SV_TEST_NAME" "$*" >&2; }

# skip REASON: the test cannot run here (missing tool, not root...), not a failure.
skip() { printf '%s: SKIP: %s\n' "$SV_TEST_NAME" "$*" >&2; exit 77; }

# die REASON: the test ran and failed.
die() { printf '%s: FAIL: %s\n' "$SV_TEST_NAME" "$*" >&2; exit 1; }

# need_cmd CMD...: skip unless every command is available.
need_cmd() {
    local c
    for c in "$@"; do
        command -v "$c" >/dev/null 2>&1 || skip "missing command '$c'"
    done
}

need_root() { [ "$(id -u)" -eq 0 ] || skip "needs root (network namespaces, taps)"; }

# now_ms: monotonic-ish wall clock in milliseconds (GNU date).
now_ms() { date +%s%3N; }

# wait_for_file_count FILE REGEX COUNT TIMEOUT_S [PID]
# Polls FILE until at least COUNT lines match the extended REGEX (COUNT > 1 is for
# markers printed again, e.g. after a guest reboot). Fails on timeout or, when PID
# is given, as soon as that process is gone (no point waiting on a dead QEMU).
wait_for_file_count() {
    local file=$1 re=$2 count=$3 timeout=$4 pid=${5:-}
    local deadline=$(( $(now_ms) + timeout * 1000 ))
    local n
    while :; do
        n=0
        [ -f "$file" ] && n=$(grep -Ec -- "$re" "$file" || true)
        [ "$n" -ge "$count" ] && return 0
        if [ -n "$pid" ] && ! kill -0 "$pid" 2>/dev/null; then
            # One last look: the process may have written the line and exited.
            n=$(grep -Ec -- "$re" "$file" 2>/dev/null || true)
            [ "${n:-0}" -ge "$count" ] && return 0
            log "process $pid exited while waiting for /$re/ x$count in $file"
            return 1
        fi
        if [ "$(now_ms)" -ge "$deadline" ]; then
            log "timeout (${timeout}s) waiting for /$re/ x$count in $file"
            return 1
        fi
        sleep 0.05
    done
}

# wait_for_file_pattern FILE REGEX TIMEOUT_S [PID]: one matching line is enough.
wait_for_file_pattern() { wait_for_file_count "$1" "$2" 1 "$3" "${4:-}"; }

# wait_pid_exit PID TIMEOUT_S: true once PID is gone (works for non-children too).
wait_pid_exit() {
    local pid=$1 timeout=$2
    local deadline=$(( $(now_ms) + timeout * 1000 ))
    while kill -0 "$pid" 2>/dev/null; do
        [ "$(now_ms)" -lt "$deadline" ] || return 1
        sleep 0.1
    done
    return 0
}

# in_netns "$@": re-exec the calling script inside a private network namespace
# (unshare -n) so it never touches the host's interfaces; everything created in it
# (taps, addresses, routes) vanishes with the namespace when the script exits.
# Call it early, before creating anything:  in_netns "$@"
in_netns() {
    if [ "${SV_IN_NETNS:-}" = 1 ]; then
        ip link set lo up
        return 0
    fi
    need_root
    need_cmd unshare ip
    unshare -n true 2>/dev/null || skip "cannot create a network namespace (unshare -n)"
    SV_IN_NETNS=1 exec unshare -n -- "$BASH" "$0" "$@"
}

# netns_create NAME / netns_delete NAME: named namespace, for tests that need a
# second process (e.g. a daemon) to join it with `ip netns exec`.
netns_create() { need_root; ip netns add "$1" && ip -n "$1" link set lo up; }
netns_delete() { ip netns delete "$1" 2>/dev/null || true; }

# tap_create NAME [OWNER]: persistent tap, optionally owned by a user (session
# mode / managed='no'), brought up. Run it inside the test's namespace.
tap_create() {
    local name=$1 owner=${2:-}
    if [ -n "$owner" ]; then
        ip tuntap add dev "$name" mode tap user "$owner"
    else
        ip tuntap add dev "$name" mode tap
    fi
    ip link set "$name" up
}
tap_delete() { ip link delete "$1" 2>/dev/null || true; }

# qmp_cmd SOCKET JSON...: do the QMP handshake on a UNIX socket, then run each
# command, print each reply (one JSON per line) and skip asynchronous events.
# Returns 1 if a command got an error reply or QEMU stopped answering.
# Needs socat (Debian package: socat): bash cannot open UNIX sockets.
qmp_cmd() {
    local sock=$1; shift
    local line j rc=0 qin qout qpid
    need_cmd socat
    coproc QMP { exec socat - "UNIX-CONNECT:$sock"; }
    qin=${QMP[0]} qout=${QMP[1]} qpid=$QMP_PID
    if IFS= read -r -t 10 line <&"$qin" && [[ $line == *'"QMP"'* ]]; then
        for j in '{"execute":"qmp_capabilities"}' "$@"; do
            printf '%s\n' "$j" >&"$qout"
            while :; do
                IFS= read -r -t 10 line <&"$qin" || { log "qmp: no reply to $j"; rc=1; break 2; }
                case $line in
                    *'"return"'*) break ;;
                    *'"error"'*) log "qmp: $j: $line"; rc=1; break ;;
                    *) continue ;;   # events, e.g. POWERDOWN, RESET
                esac
            done
            [ "$j" = '{"execute":"qmp_capabilities"}' ] || printf '%s\n' "$line"
        done
    else
        log "qmp: no greeting on $sock"
        rc=1
    fi
    exec {qout}>&- {qin}<&-
    kill "$qpid" 2>/dev/null || true
    wait "$qpid" 2>/dev/null || true
    return "$rc"
}

# guest_dir: where mkguest.sh builds the test guest (override with SV_GUEST_DIR).
# Builds it if needed (cached, fast when up to date). Usage:
#   rc=0; G=$(guest_dir) || rc=$?; [ $rc -ne 77 ] || skip "no guest"; [ $rc -eq 0 ] || die "mkguest"
guest_dir() {
    local here
    here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
    local out=${SV_GUEST_DIR:-${TMPDIR:-/tmp}/sepvirt-guest}
    "$here/../guest/mkguest.sh" "$out" >&2 || return $?   # 77 = cannot build here
    printf '%s\n' "$out"
}

# guest_kernel DIR: the kernel to boot: the PVH-bootable uncompressed vmlinux when
# mkguest.sh could extract it (much faster under TCG), else the bzImage.
# SV_GUEST_BZIMAGE=1 forces the bzImage.
guest_kernel() {
    if [ "${SV_GUEST_BZIMAGE:-0}" != 1 ] && [ -f "$1/vmlinux" ]; then
        printf '%s\n' "$1/vmlinux"
    else
        printf '%s\n' "$1/vmlinuz"
    fi
}

# fast_while PID LIMIT_MS WHY CMD...: while process PID lives, runs each CMD (a string, split into
# words; it must succeed) in turn, again and again; the test fails when one takes more than
# LIMIT_MS. Logs how many ran and the slowest. WHY says when ("while netd is stopped").
fast_while() {
	local pid=$1 limit=$2 why=$3 n=0 worst=0 c t0 ms out
	shift 3
	while kill -0 "$pid" 2>/dev/null; do
		for c in "$@"; do
			t0=${EPOCHREALTIME/./}
			# shellcheck disable=SC2086
			out=$($c 2>&1) || die "'$c' failed $why: $out"
			ms=$(( (${EPOCHREALTIME/./} - t0) / 1000 ))
			[ "$ms" -le "$limit" ] || die "'$c' took $ms ms $why (limit $limit ms)"
			[ "$ms" -le "$worst" ] || worst=$ms
			n=$((n + 1))
		done
	done
	[ "$n" -ge "$#" ] || die "nothing could be asked $why: it ended first"
	log "$n calls $why, the slowest took $worst ms"
}

# in_background NAME CMD...: runs CMD in the background (BG_PID); its output goes to
# $SEPVIRT_ROOT/NAME.out, its exit status and how long it ran (ms) to NAME.rc.
in_background() {
	local name=$1 t0
	shift
	t0=$(now_ms)
	( rc=0; "$@" >"$SEPVIRT_ROOT/$name.out" 2>&1 || rc=$?
	  echo "$rc $(( $(now_ms) - t0 ))" >"$SEPVIRT_ROOT/$name.rc" ) &
	BG_PID=$!
}

# failed_at_deadline NAME DEADLINE_MS: the in_background call NAME has ended, failed, and not
# before its deadline nor much after it (2 s for shared CPUs: a sanitizer build beside another
# test, 3.3-3.6 s measured alone). Sets BG_MSG to its output.
failed_at_deadline() {
	local name=$1 deadline=$2 rc after
	wait "$BG_PID" || true
	read -r rc after <"$SEPVIRT_ROOT/$name.rc"
	BG_MSG=$(cat "$SEPVIRT_ROOT/$name.out")
	[ "$rc" -ne 0 ] || die "$name succeeded: $BG_MSG"
	[ "$after" -ge $((deadline - 100)) ] && [ "$after" -le $((deadline + 2000)) ] ||
		die "$name failed after $after ms, its deadline is $deadline ms: $BG_MSG"
	log "$name failed after $after ms: $(tr '\n' ' ' <<<"$BG_MSG")"
}

# sepvirsh_direct ARGS...: sepvirsh without libtool's wrapper script, whose shell and sed cost
# ~170 ms of CPU per run: for tests that time calls, or run many at once.
sepvirsh_direct() {
    local bin=${abs_top_builddir:-}/.libs/sepvirsh
    if [ -x "$bin" ]; then
        LD_LIBRARY_PATH=$abs_top_builddir/client/.libs${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH} "$bin" "$@"
    else
        "$SEPVIRSH" "$@"
    fi
}
