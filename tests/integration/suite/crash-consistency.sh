#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Crash consistency (issues 17 and 18): a client defines and undefines domains and pools and
# creates and deletes volumes in a loop while qemud, storaged and proxyd are killed with SIGKILL
# at random moments (SV_CRASH_KILLS, default 105, in all; sepvirtd restarts them). Every call's
# answer is recorded: success, an error, or "outcome unknown" (the answer never came: the call
# may or may not have been done). Afterwards:
#   - every definition and volume reported done is there (and was loaded: it parses), every one
#     reported undone is gone;
#   - 0 calls that answered an error changed state (an error means nothing was done);
#   - nothing else is there: no duplicate, no stray or corrupt file, no temp file.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/common.sh"
. "$here/../lib/suite.sh"
need_root
in_netns "$@"

KILLS=${SV_CRASH_KILLS:-105}
suite_start
trap 'rc=$?; [ "$rc" = 0 ] || suite_logs; suite_stop "$rc"' EXIT
R=$SEPVIRT_ROOT
mkdir -p "$R/pools"
chown "$SUITE_STORAGE_USER" "$R/pools"
echo "<pool type='dir'><name>vp</name><target><path>$R/pools/vp</path></target></pool>" >"$R/vp.xml"
"$SEPVIRSH" pool-define "$R/vp.xml" >/dev/null
"$SEPVIRSH" pool-build vp >/dev/null
"$SEPVIRSH" pool-start vp >/dev/null
CALLS=$R/calls # one line per call: OP NAME RESULT (ok, err or unknown)
STOP=$R/stop
: >"$CALLS"

# call OP NAME CMD...: runs one sepvirsh call and records how it answered.
call() {
	local op=$1 name=$2 out res
	shift 2
	if out=$("$SEPVIRSH" "$@" 2>&1); then
		res=ok
	else
		case "$out" in
		*"may or may not have been done"*) res=unknown ;;
		*) res=err ;;
		esac
	fi
	echo "$op $name $res" >>"$CALLS"
	[ "$res" != err ] || echo "$op $name: $out" >>"$R/errors"
	[ "$res" = ok ]
}

# The client: random calls until told to stop. Only what was reported created is deleted
# (once): each name's history is one create and at most one delete.
client() {
	local c=$1 i=0 doms=() pools=() vols=() k n
	while [ ! -e "$STOP" ]; do
		i=$((i + 1))
		case $((RANDOM % 6)) in
		0 | 1)
			n=d$c$i
			printf "<domain type='qemu'><name>%s</name><uuid>%s</uuid><memory unit='MiB'>64</memory><os><type arch='x86_64'>hvm</type></os></domain>\n" \
				"$n" "$(cat /proc/sys/kernel/random/uuid)" >"$R/c$c.xml"
			call define "$n" define "$R/c$c.xml" >/dev/null && doms+=("$n") || true ;;
		2)
			[ ${#doms[@]} -gt 0 ] || continue
			k=$((RANDOM % ${#doms[@]}))
			call undefine "${doms[$k]}" undefine "${doms[$k]}" >/dev/null || true
			doms=("${doms[@]:0:$k}" "${doms[@]:$((k + 1))}") ;;
		3)
			n=p$c$i
			echo "<pool type='dir'><name>$n</name><target><path>$R/pools/$n</path></target></pool>" >"$R/c$c.xml"
			call pool-define "$n" pool-define "$R/c$c.xml" >/dev/null && pools+=("$n") || true
			if [ ${#pools[@]} -gt 3 ]; then
				k=$((RANDOM % ${#pools[@]}))
				call pool-undefine "${pools[$k]}" pool-undefine "${pools[$k]}" >/dev/null || true
				pools=("${pools[@]:0:$k}" "${pools[@]:$((k + 1))}")
			fi ;;
		4)
			n=v$c$i
			call vol-create "$n" vol-create-as vp "$n" 1M --format "$( ((i % 2)) && echo raw || echo qcow2)" >/dev/null &&
				vols+=("$n") || true ;;
		5)
			[ ${#vols[@]} -gt 0 ] || continue
			k=$((RANDOM % ${#vols[@]}))
			call vol-delete "${vols[$k]}" vol-delete "${vols[$k]}" --pool vp >/dev/null || true
			vols=("${vols[@]:0:$k}" "${vols[@]:$((k + 1))}") ;;
		esac
	done
}

# The killer: SIGKILL of a daemon chosen at random, at a random moment once it has served a
# little (sepvirtd restarts a daemon that served for 1 s at once; one killed sooner backs off).
killer() {
	local kills=0 now pid comm
	declare -A seen=() due=()
	while [ "$kills" -lt "$KILLS" ]; do
		now=$(now_ms)
		# one look at the suite per round: sepvirtd's children by comm
		while read -r pid comm; do
			case $comm in sepvirt-qemud | sepvirt-storage | sepvirt-proxyd) ;; *) continue ;; esac
			if [ -z "${seen[$pid]:-}" ]; then
				seen[$pid]=$now
				due[$pid]=$((now + 1500 + RANDOM % 600))
			elif [ "$now" -ge "${due[$pid]}" ] && [ "$kills" -lt "$KILLS" ]; then
				kill -KILL "$pid" 2>/dev/null && kills=$((kills + 1))
				due[$pid]=$((now + 100000))
			fi
		done < <(pgrep -l -P "$SUITE_PID" || true)
		sleep 0.05
	done
	echo "$kills" >"$R/kills"
}

start=$(now_ms)
# Two clients (names of their own, so each name's history stays one client's).
client a &
ca=$!
client b &
cb=$!
killer
touch "$STOP"
wait "$ca" "$cb"
elapsed=$(( ($(now_ms) - start) / 1000 ))

# Every daemon back and serving, then the checks.
deadline=$(( $(now_ms) + 60000 ))
until "$SEPVIRSH" list --all >/dev/null 2>&1 && "$SEPVIRSH" pool-list --all >/dev/null 2>&1; do
	[ "$(now_ms)" -lt "$deadline" ] || die "the suite did not come back after the kills"
	sleep 0.2
done
grep -q "given up\|failed at start" "$R/log/sepvirtd.log" && die "sepvirtd gave a daemon up: $(grep "failed at start" "$R/log/sepvirtd.log")"

ncalls=$(wc -l <"$CALLS")
read -r nok nerr nunk < <(awk '{ c[$3]++ } END { print c["ok"]+0, c["err"]+0, c["unknown"]+0 }' "$CALLS")
log "$(cat "$R/kills") kills in ${elapsed}s; $ncalls calls: $nok ok, $nerr errors, $nunk outcome unknown"
[ "$(cat "$R/kills")" -ge "$KILLS" ] || die "only $(cat "$R/kills") kills"
[ "$nok" -ge 25 ] || die "only $nok calls succeeded during $KILLS kills: the test proves little"

"$SEPVIRSH" list --all --name | sed '/^$/d' | sort >"$R/have.dom"
"$SEPVIRSH" pool-list --all --name | sed 's/ *$//;/^$/d;/^vp$/d' | sort >"$R/have.pool"
"$SEPVIRSH" vol-list vp | awk 'NR > 2 && NF { print $1 }' | sort >"$R/have.vol"

# What each name must be now, from its history: "must", "mustnot" or "either".
awk '
	$1 == "define" || $1 == "pool-define" || $1 == "vol-create" { create[$2] = $3; kind[$2] = $1 }
	$1 == "undefine" || $1 == "pool-undefine" || $1 == "vol-delete" { del[$2] = $3 }
	END {
		for (n in create) {
			c = create[n]; d = (n in del) ? del[n] : "none"
			if (c == "err") want = "mustnot"          # an error: nothing was done
			else if (c == "unknown") want = "either"
			else if (d == "none" || d == "err") want = "must"  # a failed delete changed nothing
			else if (d == "ok") want = "mustnot"
			else want = "either"
			print kind[n], n, want, c, d
		}
	}' "$CALLS" | sort -k2 >"$R/want"

bad=0 lying=0
while read -r kind n want c d; do
	case $kind in define) f=$R/have.dom ;; pool-define) f=$R/have.pool ;; vol-create) f=$R/have.vol ;; esac
	if grep -qx "$n" "$f"; then present=1; else present=0; fi
	if [ "$want" = must ] && [ "$present" = 0 ]; then
		log "MISSING: $kind $n (create: $c, delete: $d)"
		bad=$((bad + 1))
		[ "$d" = err ] && lying=$((lying + 1))
	elif [ "$want" = mustnot ] && [ "$present" = 1 ]; then
		log "PRESENT: $kind $n (create: $c, delete: $d)"
		bad=$((bad + 1))
		[ "$c" = err ] && lying=$((lying + 1))
	fi
done <"$R/want"
# Nothing that no call created.
for f in dom pool vol; do
	while read -r n; do
		grep -q " $n " "$R/want" || { log "STRAY: $f $n was never created"; bad=$((bad + 1)); }
	done <"$R/have.$f"
done
log "$lying calls answered an error but changed state"
[ "$lying" = 0 ] || die "$lying calls answered an error but changed state"
[ "$bad" = 0 ] || die "$bad objects are not what the calls' answers said"

# Files: one definition per listed object, none corrupt (a definition a daemon could not load is
# logged and skipped), no duplicate, no temp file left anywhere.
ndef=$(find "$R/etc/qemu" -maxdepth 1 -name '*.xml' | wc -l)
[ "$ndef" = "$(wc -l <"$R/have.dom")" ] || die "$ndef domain files for $(wc -l <"$R/have.dom") domains"
npdef=$(find "$R/etc/storage" -maxdepth 1 -name '*.xml' | wc -l)
[ "$npdef" = $(( $(wc -l <"$R/have.pool") + 1 )) ] || die "$npdef pool files for $(wc -l <"$R/have.pool") pools and vp"
[ "$(sort "$R/have.dom" | uniq -d)" = "" ] || die "duplicate domains"
[ -z "$(cat "$R"/etc/qemu/*.xml 2>/dev/null | grep -o '<uuid>[^<]*</uuid>' | sort | uniq -d)" ] ||
	die "two domains share a UUID"
grep -h "ignoring definition\|ignoring pool definition" "$R"/log/*.log && die "a definition could not be loaded"
nvol=$(find "$R/pools/vp" -mindepth 1 -maxdepth 1 | wc -l)
[ "$nvol" = "$(wc -l <"$R/have.vol")" ] || die "$nvol files in the pool for $(wc -l <"$R/have.vol") volumes: $(ls -A "$R/pools/vp")"
for n in $(cat "$R/have.vol"); do
	qemu-img info -U "$R/pools/vp/$n" >/dev/null 2>&1 || die "volume $n does not parse"
done
tmp=$(find "$R/etc" "$R/run" "$R/lib" "$R/pools" -name '*.tmp.*' -o -name '.sepvirt-tmp-*' -o -name 'devices.tmp' 2>/dev/null)
[ -z "$tmp" ] || die "temp files left: $tmp"
log "all $(wc -l <"$R/want") objects as their calls said; no stray, duplicate, corrupt or temp file"
