"""Demo equipment: a device type registry and a router (and sometimes more) per connected customer."""

import datetime as dt

from accountdesk.network.models import DeviceType, Equipment
from accountdesk.network.services import equipment_add

DEVICE_TYPES = [
    ("Ubiquiti", "LiteBeam 5AC Gen2", "Antenna"),
    ("MikroTik", "hAP ac2", "Router"),
    ("TP-Link", "Archer C6", "Router"),
    ("Nokia", "G-010G-Q ONT", "ONT"),
    ("Cambium", "ePMP Force 300", "Antenna"),
]


def demo_populate(ctx) -> None:
    if not ctx.provider.has_module("network"):
        return
    rng = ctx.rng
    # The registry belongs to provider settings (admins); the demo writes it directly.
    types = DeviceType.objects.bulk_create(
        [DeviceType(provider=ctx.provider, name=name, vendor=vendor) for vendor, name, _ in DEVICE_TYPES]
    )
    role_of = {t.pk: role for t, (_, _, role) in zip(types, DEVICE_TYPES, strict=True)}
    used_macs: set[str] = set()
    actors = [ctx.actor("technician"), ctx.actor("agent")]
    for index, customer in enumerate(ctx.customers):
        if customer.status in ("prospect", "archived") and rng.random() < 0.8:
            continue
        joined = ctx.customer_joined_at(customer)
        for kind in rng.sample(types, rng.choice([1, 1, 2, 2, 3])):
            mac = _mac(rng, used_macs)
            online = customer.status == "active" and rng.random() < 0.85
            retired = customer.status == "deactivated"
            status = "retired" if retired else "online" if online else rng.choice(["offline", "unknown"])
            ip = f"10.{(index >> 8) % 256}.{index % 256}.{rng.randint(2, 254)}"
            if rng.random() < 0.2:
                ip = f"2001:db8:{index:x}::{rng.randint(1, 0xFFFF):x}"
            last_seen = ctx.now - dt.timedelta(
                minutes=rng.randint(1, 30) if online else rng.randint(600, 90_000)
            )
            added = ctx.moment_between(joined, min(joined + dt.timedelta(days=14), ctx.now))
            with ctx.at(added):
                item = equipment_add(
                    customer=customer,
                    data={
                        "name": f"{role_of[kind.pk]} {customer.number}",
                        "device_type": kind,
                        # Half typed the Cisco way: the service normalises it.
                        "mac": mac if rng.random() < 0.5 else mac.replace(":", "").lower(),
                        "ip": None if retired else ip,
                        "status": status,
                        "last_seen": None if status == "unknown" else min(last_seen, added),
                    },
                    actor=rng.choice(actors),
                )
            if status != "unknown" and last_seen > added:
                # Seen since it was added: the network's own report, not a person's entry.
                Equipment.objects.filter(pk=item.pk).update(last_seen=last_seen)


def _mac(rng, used: set[str]) -> str:
    while True:
        # 02:.. is a locally administered prefix: never a real vendor's address.
        mac = "02:" + ":".join(f"{rng.randrange(256):02X}" for _ in range(5))
        if mac not in used:
            used.add(mac)
            return mac
