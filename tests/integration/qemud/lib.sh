# SPDX-License-Identifier: LGPL-2.1-or-later
# shellcheck shell=bash
# Helpers of the qemud integration tests: a private netns, the real suite, the test guest.
# Source after common.sh and suite.sh.

# qemud_prepare "$@": netns, QEMU present, guest built; sets GUEST_KERNEL, GUEST_INITRD, VMDIR.
qemud_prepare() {
    need_root
    in_netns "$@"
    need_cmd ip ping
    [ -x "${QEMU:-/usr/bin/qemu-system-x86_64}" ] || skip "no QEMU (qemu-system-x86)"
    local g rc=0
    g=$(guest_dir) || rc=$?
    [ "$rc" -ne 77 ] || skip "cannot build the test guest here"
    [ "$rc" -eq 0 ] || die "mkguest.sh failed"
    GUEST_KERNEL=$(guest_kernel "$g")
    GUEST_INITRD=$g/initramfs.cpio.gz
}

# After suite_start: a directory QEMU (the suite user) may write its serial logs into.
qemud_vmdir() {
    VMDIR=$SEPVIRT_ROOT/vm
    mkdir -p "$VMDIR"
    chown "${1:-$SUITE_QEMU_USER}" "$VMDIR"
}

# qemud_dir_pool NAME: after suite_start, a directory pool NAME under $SEPVIRT_ROOT/pools,
# defined, built and started.
qemud_dir_pool() {
    local pools=$SEPVIRT_ROOT/pools
    mkdir -p "$pools"
    chown "$SUITE_STORAGE_USER" "$pools"
    printf "<pool type='dir'><name>%s</name><target><path>%s</path></target></pool>\n" "$1" "$pools/$1" >"$SEPVIRT_ROOT/$1.pool.xml"
    "$SEPVIRSH" pool-define "$SEPVIRT_ROOT/$1.pool.xml" >/dev/null || die "pool-define $1"
    "$SEPVIRSH" pool-build "$1" >/dev/null || die "pool-build $1"
    "$SEPVIRSH" pool-start "$1" >/dev/null || die "pool-start $1"
}

# guest_xml NAME IP DEVICES [EXTRA]: a TCG guest booting the test kernel, serial console
# to $VMDIR/NAME.serial; DEVICES is inserted in <devices>, EXTRA after <features>.
guest_xml() {
    local name=$1 ip=$2 devices=$3 extra=${4:-}
    local append="console=ttyS0 quiet"
    [ -n "$ip" ] && append="$append sv.ip=$ip/24"
    cat <<EOF
<domain type='qemu'>
  <name>$name</name>
  <memory unit='MiB'>256</memory>
  <vcpu>1</vcpu>
  <os>
    <type arch='x86_64' machine='pc'>hvm</type>
    <kernel>$GUEST_KERNEL</kernel>
    <initrd>$GUEST_INITRD</initrd>
    <cmdline>$append</cmdline>
  </os>
  <features><acpi/></features>
  $extra
  <devices>
    <serial type='file'><source path='$VMDIR/$name.serial'/><target port='0'/></serial>
    <console type='file'><source path='$VMDIR/$name.serial'/><target type='serial' port='0'/></console>
    $devices
  </devices>
</domain>
EOF
}

# ethernet_xml MAC [DEV] [MANAGED]
# guest_pty_xml NAME [DEVICES] [CMDLINE]: a guest whose serial console is a pty with a shell on it
# (sv.shell=1); CMDLINE is added to its kernel's.
guest_pty_xml() {
	guest_xml "$1" "" "${2:-}" | sed -e "s|<serial type='file'>.*</serial>|<serial type='pty'><target port='0'/></serial>|" \
		-e "s|<console type='file'>.*</console>|<console type='pty'><target type='serial' port='0'/></console>|" \
		-e "s|console=ttyS0 quiet|console=ttyS0 quiet sv.shell=1${3:+ $3}|"
}

# console_until_answer FD OUT EOL: types a command into a console client (its input on fd FD,
# a line ending with EOL) until the guest's shell answers in OUT (output from before the client
# attached is not replayed, and the shell is up only after boot); fails after 90 tries.
console_until_answer() {
	local _
	for _ in $(seq 90); do
		printf "echo CONSOLE-\$((6*7))$3" >&"$1"
		grep -a -q "^CONSOLE-42" "$2" && return 0
		sleep 1
	done
	return 1
}

# guest_shell NAME TRIES CMD: runs CMD in the guest's shell through sepvirsh console until the
# shell answers (the output then holds a line SHELL-42 after CMD's), output in $SEPVIRT_ROOT/out;
# fails after TRIES seconds without an answer. Sets cpid (the console client) for the test's trap.
guest_shell() {
	local _ ok=1
	rm -f "$SEPVIRT_ROOT/in"
	mkfifo "$SEPVIRT_ROOT/in"
	"$SEPVIRSH" console "$1" <"$SEPVIRT_ROOT/in" >"$SEPVIRT_ROOT/out" 2>&1 &
	cpid=$!
	exec 7>"$SEPVIRT_ROOT/in"
	for _ in $(seq "$2"); do
		# shellcheck disable=SC2016 # expanded by the guest's shell
		printf '%s; echo SHELL-$((6*7))\n' "$3" >&7
		if grep -q "SHELL-42" "$SEPVIRT_ROOT/out"; then ok=0; break; fi
		sleep 1
	done
	printf '\035' >&7
	exec 7>&-
	# the client leaves on Ctrl+]: the next one must not share the console with it
	for _ in $(seq 50); do kill -0 "$cpid" 2>/dev/null || break; sleep 0.1; done
	return $ok
}

# vnc_greeting CLIENT... NAME: the first 12 bytes the domain's VNC display sends, at the
# address and display `CLIENT vncdisplay NAME` prints (QEMU's autoport chose it: tests running
# side by side each get their own). Empty when nothing answers within 10 s.
vnc_greeting() {
	local _ display greeting=""
	for _ in $(seq 50); do
		display=$("$@" 2>/dev/null | head -n1) || true
		if [[ $display =~ ^(.*):([0-9]+)$ ]]; then
			greeting=$(timeout 5 bash -c 'exec 3<>"/dev/tcp/$0/$1" && head -c 12 <&3' \
				"${BASH_REMATCH[1]:-127.0.0.1}" $((5900 + BASH_REMATCH[2])) 2>/dev/null || true)
			[ -n "$greeting" ] && break
		fi
		sleep 0.2
	done
	echo "$greeting"
}

# guest_pci_devices NAME TRIES: the guest's PCI devices, listed by its own shell, as lines
# "PCI SLOT VENDOR:DEVICE" in $SEPVIRT_ROOT/out (guest_shell).
guest_pci_devices() {
	# shellcheck disable=SC2016 # expanded by the guest's shell
	guest_shell "$1" "$2" 'for d in /sys/bus/pci/devices/*; do echo "PCI ${d##*/} $(cat $d/vendor):$(cat $d/device)"; done'
}

# guest_run NAME TRIES CMD: guest_shell, then prints what the console showed, carriage returns
# dropped. Lines the caller wants are best tagged by CMD ("echo UP ...") and picked with grep.
guest_run() {
	local rc=0
	guest_shell "$@" || rc=$?
	tr -d '\r' <"$SEPVIRT_ROOT/out"
	return $rc
}

ethernet_xml() {
    local target=""
    if [ -n "${2:-}" ] && [ -n "${3:-}" ]; then
        target="<target dev='$2' managed='$3'/>"
    elif [ -n "${2:-}" ]; then
        target="<target dev='$2'/>"
    fi
    echo "<interface type='ethernet'><mac address='$1'/>$target<model type='virtio'/></interface>"
}

# define_guest NAME IP DEVICES [EXTRA]
define_guest() {
    guest_xml "$@" >"$SEPVIRT_ROOT/$1.xml"
    "$SEPVIRSH" define "$SEPVIRT_ROOT/$1.xml" >/dev/null || die "define $1"
}

# wait_serial NAME REGEX [COUNT] [TIMEOUT]
wait_serial() {
    wait_for_file_count "$VMDIR/$1.serial" "$2" "${3:-1}" "${4:-60}" ||
        { tail -n 20 "$VMDIR/$1.serial" >&2 2>/dev/null; suite_logs; die "$1: no /$2/ on the serial console"; }
}

# domstate_is NAME "STATE (REASON)" [TIMEOUT]: waits until domstate --reason prints it.
domstate_is() {
    local name=$1 want=$2 timeout=${3:-30} got=""
    local deadline=$(( $(now_ms) + timeout * 1000 ))
    while :; do
        got=$("$SEPVIRSH" domstate --reason "$name" 2>&1 | head -n1)
        [ "$got" = "$want" ] && return 0
        [ "$(now_ms)" -lt "$deadline" ] || { suite_logs; die "$name: domstate '$got', expected '$want'"; }
        sleep 0.1
    done
}

# qemu_pid NAME: the QEMU process of a domain.
# (its serial log under this test's SEPVIRT_ROOT tells it from any other QEMU)
# suite_qemus [NAME]: the QEMUs of this suite (their log, fd 1, is under SEPVIRT_ROOT: QEMU's
# command line names no host path any more), or the one of domain NAME.
suite_qemus() {
    local p
    for p in $(pgrep -f "^/usr/bin/qemu-system-x86_64 -name guest=${1:-[^,]*}," || true); do
        case $(readlink "/proc/$p/fd/1" 2>/dev/null) in "${SEPVIRT_ROOT:-/nonexistent}"/*) echo "$p" ;; esac
    done
}
qemu_pid() { suite_qemus "$1" | head -n1; }

# qemud_stop: the suite, then the QEMUs of this test (they outlive the suite on purpose).
qemud_stop() {
    local rc=${1:-$?} pids
    pids=$(suite_qemus)
    [ -z "$pids" ] || kill -9 $pids 2>/dev/null || true
    suite_stop "$rc" # not `(exit $rc)` first: under set -e a failed test would end the trap there
}

# tap_facts DEV: what managed='no' promises to leave alone: MAC, flags, MTU, master.
# The carrier (NO-CARRIER / LOWER_UP, state) follows whether QEMU holds the tap: not a setting.
tap_facts() {
    ip -d link show "$1" | sed -e 's/ state [A-Z]*//' -e 's/NO-CARRIER,//' -e 's/,LOWER_UP//' -e 's/^[0-9]*: //'
}

# ping_guest IP: a few tries (the guest's link may take a moment after SEPVIRT-NET-UP).
ping_guest() {
    local i
    for i in 1 2 3 4 5; do
        ping -c 1 -W 2 "$1" >/dev/null 2>&1 && return 0
        sleep 0.5
    done
    die "no ping reply from $1"
}

# wait_qemud_restarted OLDPID: sepvirtd brings qemud back; wait until it answers.
wait_qemud_restarted() {
    local old=$1 i
    for i in $(seq 1 100); do
        local p
        p=$(daemon_pid qemud || true)
        if [ -n "$p" ] && [ "$p" != "$old" ] && "$SEPVIRSH" list >/dev/null 2>&1; then
            return 0
        fi
        sleep 0.1
    done
    suite_logs
    die "qemud did not come back after being killed"
}

# acpi_press NAME CMD N: sepvirsh CMD (shutdown or reboot) until the guest has reported the
# power button N times: right after SEPVIRT-GUEST-UP its init may not watch the button yet,
# and a press then is lost (as on real hardware).
acpi_press() {
    local name=$1 cmd=$2 n=$3 i
    for i in 1 2 3 4 5 6 7 8 9 10; do
        "$SEPVIRSH" "$cmd" "$name" >/dev/null || die "$cmd $name"
        wait_for_file_count "$VMDIR/$name.serial" SEPVIRT-POWER-BUTTON "$n" 2 2>/dev/null && return 0
    done
    die "$name: the guest never saw the power button"
}


# took_ms CMD...: runs sepvirsh CMD (must succeed), prints how long it took in ms.
took_ms() {
    local t0=${EPOCHREALTIME/./} out
    out=$(sepvirsh_direct "$@" 2>&1) || { suite_logs; die "sepvirsh $* failed: $out"; }
    echo $(( (${EPOCHREALTIME/./} - t0) / 1000 ))
}
