"""The offline IP → region table for IP city location (MAP-2.3, decision 0903)."""
from __future__ import annotations

import ipaddress

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.models import Region


class IpRange(models.Model):
    """IP 归属地: one network (IPv4 or IPv6, CIDR) and the city (or county) it belongs to.

    `start` / `end` are the network's first and last address as integers (39 digits hold IPv6), so a
    lookup is one indexed range query."""

    network = models.CharField(_("网段"), max_length=64, unique=True, help_text=_("CIDR，例如 221.208.0.0/14"))
    region = models.ForeignKey(Region, verbose_name=_("所属区划"), on_delete=models.PROTECT, related_name="+")
    start = models.DecimalField(max_digits=39, decimal_places=0, editable=False, db_index=True)
    end = models.DecimalField(max_digits=39, decimal_places=0, editable=False)
    note = models.CharField(_("说明"), max_length=128, blank=True)

    scope_region_field = "region"

    class Meta:
        verbose_name = _("IP归属地")
        verbose_name_plural = _("IP归属地")
        ordering = ["start"]

    def __str__(self) -> str:
        return f"{self.network} → {self.region_id}"

    def clean(self) -> None:
        try:
            net = ipaddress.ip_network(self.network.strip(), strict=False)
        except ValueError:
            raise ValidationError({"network": _("网段格式不正确，请填写 CIDR，例如 221.208.0.0/14。")}) from None
        self.network = str(net)
        self.start, self.end = int(net.network_address), int(net.broadcast_address)
