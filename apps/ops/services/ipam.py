"""IP address planning (OPS-10.5, 10.6): subnets, address allocation, and the network-wide view of
planned versus observed addresses (host assets and received log sources)."""
from __future__ import annotations

import ipaddress

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from apps.core.audit import AuditAction, audit_deletion, audit_record
from apps.ops.models import AddressKind, AddressStatus, HostAsset, IpAddress, LogEvent, Subnet
from apps.ops.services import require

GRID_BLOCK = 256          # one grid page shows 256 addresses (a /24 of IPv4)


def _network(text: str):
    try:
        return ipaddress.ip_network((text or "").strip(), strict=True)
    except ValueError as exc:
        raise ValidationError({"network": _("网段无效：%(e)s") % {"e": exc}}) from None


def subnet_create(*, network: str, area: str, by, group: str = "", vlan: int | None = None,
                  description: str = "") -> Subnet:
    require(by, "ops.manage_ipam")
    net = _network(network)
    if not (area or "").strip():
        raise ValidationError({"area": _("请填写区域。")})
    with transaction.atomic():
        for other in Subnet.objects.select_for_update():
            other_net = ipaddress.ip_network(other.network)
            if other_net.version == net.version and other_net.overlaps(net):
                raise ValidationError({"network": _("与已规划网段 %(o)s 重叠。") % {"o": other.network}})
        subnet = Subnet.objects.create(network=str(net), area=area.strip(), group=(group or "").strip(), vlan=vlan,
                                       description=description)
        audit_record(actor=by, action=AuditAction.CREATE, obj=subnet)
    return subnet


def address_set(*, subnet: Subnet, address: str, status: str, kind: str, by, holder: str = "",
                note: str = "") -> IpAddress:
    """Reserve or allocate one address of the subnet (create or change its plan)."""
    require(by, "ops.manage_ipam")
    try:
        ip = ipaddress.ip_address((address or "").strip())
    except ValueError:
        raise ValidationError({"address": _("IP 地址无效。")}) from None
    net = ipaddress.ip_network(subnet.network)
    if ip not in net:
        raise ValidationError({"address": _("%(ip)s 不在网段 %(n)s 内。") % {"ip": ip, "n": net}})
    if net.version == 4 and net.prefixlen < 31 and ip in (net.network_address, net.broadcast_address):
        raise ValidationError({"address": _("网络地址和广播地址不能分配。")})
    if status not in AddressStatus.values:
        raise ValidationError({"status": _("使用状态无效。")})
    if kind not in AddressKind.values:
        raise ValidationError({"kind": _("类型无效。")})
    with transaction.atomic():
        row, created = IpAddress.objects.select_for_update().update_or_create(
            address=str(ip), defaults={"subnet": subnet, "status": status, "kind": kind, "holder": holder,
                                       "note": note})
        audit_record(actor=by, action=AuditAction.CREATE if created else AuditAction.UPDATE, obj=row,
                     changes={"status": [None, status], "kind": [None, kind]})
    return row


def address_release(*, address: IpAddress, by) -> None:
    require(by, "ops.manage_ipam")
    with transaction.atomic():
        audit_deletion(actor=by, obj=address)
        address.delete()


def subnet_grid(subnet: Subnet, *, block: int = 0) -> dict:
    """One block of the subnet as cells: planned status/type, or "observed" when the address was seen
    (host asset or log source) without a plan, or free. Three queries per block."""
    net = ipaddress.ip_network(subnet.network)
    first = int(net.network_address) + block * GRID_BLOCK
    last = min(int(net.broadcast_address), first + GRID_BLOCK - 1)
    if first > int(net.broadcast_address):
        raise ValidationError({"block": _("超出网段范围。")})
    make = ipaddress.ip_address
    planned = {row.address: row for row in subnet.addresses.all()
               if first <= int(make(row.address)) <= last}
    seen = set()
    lo, hi = str(make(first)), str(make(last))
    if net.version == 4:     # GenericIPAddressField is inet in PostgreSQL: range comparison is by address
        seen |= set(HostAsset.objects.filter(ip_address__gte=lo, ip_address__lte=hi).values_list("ip_address",
                                                                                               flat=True))
        seen |= set(LogEvent.objects.filter(source_ip__gte=lo, source_ip__lte=hi).values_list("source_ip",
                                                                                            flat=True).distinct())
    else:
        seen |= {ip for ip in HostAsset.objects.values_list("ip_address", flat=True)
                 if ":" in ip and first <= int(make(ip)) <= last}
    cells = []
    for value in range(first, last + 1):
        ip = str(make(value))
        row = planned.get(ip)
        state = row.status if row else ("observed" if ip in seen else "free")
        cells.append({"ip": ip, "last": ip.rsplit(".", 1)[-1] if net.version == 4 else ip, "state": state,
                      "kind": row.get_kind_display() if row else "", "holder": row.holder if row else ""})
    total_blocks = max(1, (net.num_addresses + GRID_BLOCK - 1) // GRID_BLOCK)
    counts = {s: sum(1 for c in cells if c["state"] == s) for s in ("reserved", "allocated", "observed", "free")}
    return {"cells": cells, "block": block, "blocks": min(total_blocks, 10_000), "counts": counts}
