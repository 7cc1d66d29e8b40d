#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""How much of libvirt's x86_64 qemuxml2argv inputs sepvirt runs, and what it drops.

  argv-coverage.py ARGV_DUMP DIR [--min-accepted N] [--max-dropping N] [-v]

DIR holds libvirt's inputs (NAME.xml) with its command lines beside them (NAME.x86_64-latest.args
or NAME.args): ../shared/testdata/libvirt/domain, or tests/qemuxml2argvdata of a libvirt source
tree. Inputs for another architecture are left out. Each input is given to ARGV_DUMP (the
parser and the argv builder of qemud's define); for each accepted one with a libvirt command
line, the elements that reach libvirt's QEMU but not sepvirt's are listed: a -device driver
libvirt has and sepvirt does not (controllers, video, input, balloon...), a PCI address given in
the XML but passed nowhere, the memory size, the CPU model, graphics. Prints the counts; exits 1
when fewer than --min-accepted are accepted or more than --max-dropping accepted inputs drop
something."""
import collections
import json
import os
import re
import shlex
import subprocess
import sys

OTHER_ARCH = re.compile(r"arch=['\"](?!x86_64|i686)[a-z0-9_]+['\"]")
# Names of one device that differ between libvirt generations or spellings (QEMU's aliases, and
# Intel's root port that libvirt used for model pcie-root-port before QEMU had the generic one).
ALIASES = {"ide-drive": "ide-hd", "usb-ehci": "ich9-usb-ehci1", "lsi": "lsi53c895a", "ahci": "ich9-ahci",
           "ioh3420": "pcie-root-port"}
# Drivers that exist only because of another choice sepvirt makes differently (none yet).
IGNORED = set()


def read_args(path):
    with open(path) as f:
        text = f.read().replace("\\\n", " ")
    try:
        return shlex.split(text)
    except ValueError:
        return text.split()


def summary(args):
    """What a command line gives the guest, comparable across libvirt's generations."""
    s = {"devices": collections.Counter(), "mem": None, "cpu": None, "graphics": False, "addr": 0}
    for i, a in enumerate(args):
        v = args[i + 1] if i + 1 < len(args) else ""
        if a == "-device":
            if v.startswith("{"):
                try:
                    d = json.loads(v)
                except ValueError:
                    continue
                drv = d.get("driver", "")
                has_addr = "addr" in d
            else:
                drv = v.split(",")[0]
                has_addr = ",addr=" in v
            drv = ALIASES.get(drv, drv)
            if drv not in IGNORED:
                s["devices"][drv] += 1
            s["addr"] += has_addr
        elif a == "-usb":
            s["devices"]["piix3-usb-uhci"] += 1
        elif a == "-balloon" and v.startswith("virtio"):
            s["devices"]["virtio-balloon-pci"] += 1
        elif a == "-vga" and v != "none":
            s["devices"][{"std": "VGA", "cirrus": "cirrus-vga", "qxl": "qxl-vga"}.get(v, v)] += 1
        elif a == "-m":
            m = re.match(r"(?:size=)?(\d+)(k?)", v)
            if m:
                s["mem"] = int(m.group(1)) // 1024 if m.group(2) else int(m.group(1))
        elif a == "-cpu":
            s["cpu"] = v.split(",")[0]
        elif a in ("-vnc", "-spice", "-sdl") or (a == "-display" and v != "none"):
            s["graphics"] = True
    return s


def dropped(xml, ref, ours):
    out = []
    for drv, n in ref["devices"].items():
        if ours["devices"][drv] < n:
            out.append("device " + drv)
    if ref["mem"] is not None and ref["mem"] != ours["mem"]:
        out.append("memory %s MiB (sepvirt: %s)" % (ref["mem"], ours["mem"]))
    if ref["cpu"] and ref["cpu"] != ours["cpu"]:
        out.append("cpu %s (sepvirt: %s)" % (ref["cpu"], ours["cpu"]))
    if ref["graphics"] and not ours["graphics"]:
        out.append("graphics")
    given = len(re.findall(r"<address[^>]*type=['\"]pci['\"]", xml))
    if given and ours["addr"] < min(given, ref["addr"]):
        out.append("pci address")
    return out


def main():
    argv = sys.argv[1:]
    opts = {"--min-accepted": 0, "--max-dropping": None}
    verbose = "-v" in argv
    argv = [a for a in argv if a != "-v"]
    for k in list(opts):
        if k in argv:
            i = argv.index(k)
            opts[k] = int(argv[i + 1])
            del argv[i:i + 2]
    dump, d = argv
    names = []
    for f in sorted(os.listdir(d)):
        if not f.endswith(".xml"):
            continue
        with open(os.path.join(d, f), errors="replace") as fh:
            if OTHER_ARCH.search(fh.read()):
                continue
        names.append(f[:-4])
    out = subprocess.run([dump] + [os.path.join(d, n + ".xml") for n in names], capture_output=True,
                         text=True, check=True).stdout
    results = {}
    for block in out.split("== ")[1:]:
        path, rest = block.split("\n", 1)
        results[os.path.basename(path)[:-4]] = rest.rstrip("\n").split("\n")
    accepted = [n for n in names if results[n][0] == "OK"]
    refusals = collections.Counter()
    for n in names:
        if results[n][0] != "OK":
            # the element or attribute named stays, the values after it go
            msg = results[n][0][len("REFUSED "):]
            head, _, tail = msg.partition("' ")
            refusals[(head + "' " + re.sub(r"'[^']*'", "'…'", tail) if tail else msg)[:100]] += 1
    compared = dropping = 0
    what = collections.Counter()
    for n in accepted:
        ref_path = next((os.path.join(d, n + s) for s in (".x86_64-latest.args", ".args")
                         if os.path.exists(os.path.join(d, n + s))), None)
        if not ref_path:
            continue
        compared += 1
        with open(os.path.join(d, n + ".xml"), errors="replace") as fh:
            xml = fh.read()
        lost = dropped(xml, summary(read_args(ref_path)), summary(results[n][1:]))
        if lost:
            dropping += 1
            what.update(set(x.split(" (")[0] if x.startswith(("memory", "cpu")) else x for x in lost))
            if verbose:
                print("  %s: %s" % (n, "; ".join(lost)))
    print("accepted %d of %d x86_64 inputs (%.0f%%)" % (len(accepted), len(names),
                                                      100.0 * len(accepted) / max(len(names), 1)))
    print("accepted with a libvirt command line: %d; dropping an element: %d" % (compared, dropping))
    for w, c in what.most_common(25):
        print("  dropped %4d  %s" % (c, w))
    if verbose:
        for w, c in refusals.most_common(40):
            print("  refused %4d  %s" % (c, w))
    ok = len(accepted) >= opts["--min-accepted"]
    ok = ok and (opts["--max-dropping"] is None or dropping <= opts["--max-dropping"])
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
