# SPDX-License-Identifier: LGPL-2.1-or-later
"""python3-libvirt against sepvirt's libvirt-sock: the calls a script makes, and lifecycle events.
Usage: libvirt-python.py URI DOMAIN.xml (the domain must not be defined yet)."""
import sys
import threading
import time

import libvirt

uri, xml = sys.argv[1], open(sys.argv[2]).read()
libvirt.virEventRegisterDefaultImpl()
seen = []
names = {libvirt.VIR_DOMAIN_EVENT_DEFINED: "defined", libvirt.VIR_DOMAIN_EVENT_STARTED: "started",
         libvirt.VIR_DOMAIN_EVENT_STOPPED: "destroyed", libvirt.VIR_DOMAIN_EVENT_UNDEFINED: "undefined"}


def on_event(conn, dom, event, detail, opaque):
    seen.append(names.get(event, "event-%d-%d" % (event, detail)))


def run_loop():
    while True:
        libvirt.virEventRunDefaultImpl()


conn = libvirt.open(uri)
assert conn.getType() == "QEMU", conn.getType()
assert conn.getLibVersion() >= 9000000
cb = conn.domainEventRegisterAny(None, libvirt.VIR_DOMAIN_EVENT_ID_LIFECYCLE, on_event, None)
threading.Thread(target=run_loop, daemon=True).start()

dom = conn.defineXML(xml)
assert dom.ID() == -1 and not dom.isActive() and dom.isPersistent()
assert [d.name() for d in conn.listAllDomains()] == [dom.name()]
assert [d.name() for d in conn.listAllDomains(libvirt.VIR_CONNECT_LIST_DOMAINS_ACTIVE)] == []
assert conn.listDefinedDomains() == [dom.name()] and conn.numOfDomains() == 0
dom.create()
state, reason = dom.state()
assert (state, reason) == (libvirt.VIR_DOMAIN_RUNNING, libvirt.VIR_DOMAIN_RUNNING_BOOTED), (state, reason)
info = dom.info()
assert info[0] == libvirt.VIR_DOMAIN_RUNNING and info[1] == 262144 and info[3] == 1, info
assert conn.listDomainsID() == [dom.ID()] and conn.numOfDomains() == 1
assert conn.lookupByID(dom.ID()).UUIDString() == dom.UUIDString()
assert conn.lookupByUUIDString(dom.UUIDString()).name() == dom.name()
assert "<name>%s</name>" % dom.name() in dom.XMLDesc()
assert dom.autostart() == 0
dom.destroy()
assert dom.state()[0] == libvirt.VIR_DOMAIN_SHUTOFF
dom.undefine()
try:
    conn.lookupByName(dom.name())
    sys.exit("lookup of an undefined domain succeeded")
except libvirt.libvirtError as e:
    assert e.get_error_code() == libvirt.VIR_ERR_NO_DOMAIN, e.get_error_code()
    assert str(e) == "Domain not found: no domain with matching name '%s'" % dom.name(), str(e)

for _ in range(50):
    if len(seen) >= 4:
        break
    time.sleep(0.1)
conn.domainEventDeregisterAny(cb)
conn.close()
print("events: " + " ".join(seen))
