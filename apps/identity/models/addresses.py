"""My delivery addresses (我的收货地址, IDN-14.2): one address book per account, shared by the
provincial website and 全省事APP."""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.core.crypto import EncryptedTextField, SensitiveFieldsMixin, mask_mobile
from apps.core.models import Region


class DeliveryAddress(SensitiveFieldsMixin, models.Model):
    """One delivery address of a user; at most one is the default."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="delivery_addresses")
    recipient = models.CharField(_("收件人"), max_length=64)
    mobile_number = EncryptedTextField(_("联系电话"))
    region = models.ForeignKey(Region, verbose_name=_("所在区划"), on_delete=models.PROTECT, related_name="+")
    detail = models.CharField(_("详细地址"), max_length=200)
    postcode = models.CharField(_("邮政编码"), max_length=6, blank=True)
    is_default = models.BooleanField(_("默认地址"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("收货地址")
        verbose_name_plural = _("收货地址")
        ordering = ["-is_default", "-updated_at"]
        constraints = [models.UniqueConstraint(fields=["user"], condition=Q(is_default=True),
                                               name="identity_address_one_default")]
        indexes = [models.Index(fields=["user", "-updated_at"], name="identity_address_user_idx")]

    def __str__(self) -> str:
        return f"{self.recipient} {self.detail[:20]}"

    @property
    def masked_mobile_number(self) -> str:
        return mask_mobile(self.mobile_number)
