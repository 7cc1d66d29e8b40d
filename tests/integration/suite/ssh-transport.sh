#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# qemu+ssh:// URIs: libsepvirt runs `ssh HOST sepvirt-ssh-helper`, which splices to the host's
# proxyd socket as the ssh user. No sshd here, so a stand-in "ssh" runs the helper locally as
# that user (what sshd would do); everything after ssh is the real code path.
set -euo pipefail
. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/../lib/suite.sh"
. "$(dirname "$0")/../qemud/lib.sh"
trap qemud_stop EXIT # the suite, and the QEMU of the console check
suite_start

fake="$SEPVIRT_ROOT/fake-ssh"
cat >"$fake" <<SH
#!/bin/sh
# fake-ssh [-p PORT] -- [USER@]HOST COMMAND ARGS: run COMMAND locally as USER (default root)
[ "\$1" = -p ] && shift 2
[ "\$1" = -- ] && shift
host=\$1; shift
cmd=\$1; shift
case "\$host" in *@*) user=\${host%@*} ;; *) user=root ;; esac
echo "\$host" >>"$SEPVIRT_ROOT/ssh-hosts"
exec setpriv --reuid "\$user" --regid "\$(id -g "\$user")" --clear-groups env SEPVIRT_ROOT="$SEPVIRT_ROOT" "$abs_top_builddir/\$cmd" "\$@"
SH
chmod 755 "$fake"
export SEPVIRT_SSH="$fake"

out=$("$SEPVIRSH" -c qemu+ssh://root@testhost:2222/system version) || die "version over ssh failed: $out"
echo "$out" | grep -q "Running against daemon" || die "no daemon answer over ssh: $out"
grep -q "root@testhost" "$SEPVIRT_ROOT/ssh-hosts" || die "ssh was not asked for root@testhost"
# As an ordinary remote user: read-only works, read-write is refused (the socket's mode).
"$SEPVIRSH" -r -c qemu+ssh://nobody@testhost/system version >/dev/null || die "read-only over ssh as nobody failed"
expect_fail "read-write over ssh as nobody" "proxyd.sock': Permission denied" \
	"$SEPVIRSH" -c qemu+ssh://nobody@testhost/system version
expect_fail "bad transport" "unsupported transport" "$SEPVIRSH" -c qemu+tcp://h/system version
expect_fail "ssh without host" "+ssh needs a host" "$SEPVIRSH" -c qemu+ssh:///system version
expect_fail "host with shell characters" "invalid host" "$SEPVIRSH" -c 'qemu+ssh://a;b/system' version
# events reach a remote client; a console cannot (its fd does not cross ssh): a clear refusal
out=$("$SEPVIRSH" -c qemu+ssh://root@testhost/system event --all --timeout 1 2>&1 || true)
echo "$out" | grep -q "^event loop timed out" || die "event over ssh: $out"
cat >"$SEPVIRT_ROOT/s.xml" <<XML
<domain type='qemu'><name>s</name><memory unit='MiB'>32</memory><os><type arch='x86_64'>hvm</type></os>
<devices><serial type='pty'><target port='0'/></serial></devices></domain>
XML
"$SEPVIRSH" create "$SEPVIRT_ROOT/s.xml" >/dev/null || { suite_logs; die "create s"; }
expect_fail "console over ssh" "cannot be opened over a remote (ssh) connection" \
	"$SEPVIRSH" -c qemu+ssh://root@testhost/system console s </dev/null
"$SEPVIRSH" destroy s >/dev/null
echo "PASS: qemu+ssh:// through sepvirt-ssh-helper"
