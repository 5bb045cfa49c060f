"""IP address planning (OPS-10.5, 10.6): subnets organised by custom area and group, and the planned
addresses in them with their status and type."""
from django.db import models
from django.utils.translation import gettext_lazy as _


class Subnet(models.Model):
    """A planned network (IPv4 or IPv6), e.g. 10.20.1.0/24 in area 省政务云 / group 办件库."""

    network = models.CharField(_("网段"), max_length=64, unique=True, help_text=_("CIDR，如 10.20.1.0/24"))
    area = models.CharField(_("区域"), max_length=64)
    group = models.CharField(_("分组"), max_length=64, blank=True)
    vlan = models.PositiveSmallIntegerField(_("VLAN"), null=True, blank=True)
    description = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("网段")
        verbose_name_plural = verbose_name
        ordering = ["area", "group", "network"]
        permissions = [("view_ipam", _("查看IP地址规划")), ("manage_ipam", _("维护IP地址规划"))]

    def __str__(self) -> str:
        return self.network

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("ops:subnet-detail", args=[self.pk])


class AddressStatus(models.TextChoices):
    RESERVED = "reserved", _("预留")
    ALLOCATED = "allocated", _("已分配")


class AddressKind(models.TextChoices):
    INTERCONNECT = "interconnect", _("互联IP")
    GATEWAY = "gateway", _("网关IP")
    MANAGEMENT = "management", _("管理IP")
    USER = "user", _("用户IP")


class IpAddress(models.Model):
    """A planned address: reserved or allocated, of one of the four types."""

    subnet = models.ForeignKey(Subnet, verbose_name=_("网段"), on_delete=models.CASCADE, related_name="addresses")
    address = models.GenericIPAddressField(_("IP地址"), unique=True)
    status = models.CharField(_("使用状态"), max_length=16, choices=AddressStatus.choices)
    kind = models.CharField(_("类型"), max_length=16, choices=AddressKind.choices)
    holder = models.CharField(_("使用方"), max_length=100, blank=True)
    note = models.CharField(_("备注"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("IP地址")
        verbose_name_plural = verbose_name
        ordering = ["subnet", "address"]

    def __str__(self) -> str:
        return self.address
