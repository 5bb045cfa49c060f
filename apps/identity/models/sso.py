"""Single sign-on for department systems: client systems and one-time tickets (IDN-6.1, 9.x, 14.5)."""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.crypto import EncryptedTextField
from apps.core.models import Region
from apps.core.scope import ScopedQuerySet

CLAIM_CHOICES = [
    ("name", _("姓名")),
    ("account_type", _("账号类型")),
    ("real_name_level", _("实名等级")),
    ("phone_number", _("手机号码")),
    ("id_number", _("证件号码")),
    ("credit_code", _("统一社会信用代码")),
    ("home_region", _("归属区划")),
    ("organisation", _("归属部门")),
    ("agent_of", _("代理法人")),
]
DEFAULT_CLAIMS = ["name", "account_type", "real_name_level", "home_region"]


class ClientSystemKind(models.TextChoices):
    CITY = "city", _("市地业务系统")
    PROVINCIAL_DEPARTMENT = "department", _("省直厅局系统")
    STAFF_SYSTEM = "staff", _("政务工作人员系统")
    THIRD_PARTY = "third_party", _("第三方系统")


class ClientSystem(models.Model):
    """A department system that logs its users in through us (对接应用). Each has its own OIDC
    client (`application`), a CAS service URL prefix, a secret for the ticket mode, the claims it
    may receive and the real-name level it requires."""

    code = models.SlugField(_("应用标识"), max_length=64, unique=True)
    name = models.CharField(_("应用名称"), max_length=128)
    owner = models.CharField(_("所属单位"), max_length=128)
    kind = models.CharField(_("应用类别"), max_length=16, choices=ClientSystemKind.choices, db_index=True)
    region = models.ForeignKey(Region, verbose_name=_("所属区划"), null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+")
    # The OIDC client (oauth2_provider.Application) by its client_id; a plain column, because a
    # foreign key to the swappable Application model needs OAUTH2_PROVIDER_APPLICATION_MODEL in settings.
    client_id = models.CharField(_("OIDC 客户端标识"), max_length=100, unique=True, null=True, blank=True)
    service_url = models.URLField(_("服务地址"), max_length=300, blank=True,
                                  help_text=_("CAS 与票据模式的回调地址前缀"))
    ticket_secret = EncryptedTextField(_("票据密钥"))
    allowed_claims = models.JSONField(_("允许获取的用户信息"), default=list)
    min_real_name_level = models.PositiveSmallIntegerField(_("最低实名等级"), default=0)
    for_staff = models.BooleanField(_("面向政务工作人员"), default=False)
    is_enabled = models.BooleanField(_("启用"), default=True, db_index=True)
    logout_url = models.URLField(_("注销通知地址"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedQuerySet.as_manager()

    scope_region_field = "region"

    class Meta:
        verbose_name = _("对接应用")
        verbose_name_plural = _("对接应用")
        ordering = ["kind", "code"]

    def __str__(self) -> str:
        return self.name

    @property
    def application(self):
        from oauth2_provider.models import get_application_model

        if not self.client_id:
            return None
        return get_application_model().objects.filter(client_id=self.client_id).first()

    def accepts_service(self, service: str) -> bool:
        return bool(self.service_url) and bool(service) and service.startswith(self.service_url)


class SsoTicketKind(models.TextChoices):
    CAS = "cas", _("CAS 服务票据")
    APP = "app", _("应用票据")
    NATIONAL_TRUST = "national", _("国家平台信任传递码")


class SsoTicket(models.Model):
    """A one-time ticket for one client system and one user (票据). Valid for seconds, used once."""

    ticket = models.CharField(max_length=96, unique=True)
    kind = models.CharField(max_length=8, choices=SsoTicketKind.choices)
    client = models.ForeignKey(ClientSystem, on_delete=models.CASCADE, related_name="tickets")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    service = models.CharField(max_length=500, blank=True)
    session_key = models.CharField(max_length=64, blank=True, db_index=True)
    acting_for = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE,
                                   related_name="+")
    login_method = models.CharField(max_length=20, blank=True, help_text="how the user logged in (trust passing)")
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("票据")
        verbose_name_plural = _("票据")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.ticket[:12]}…"

    @property
    def is_expired(self) -> bool:
        return timezone.now() >= self.expires_at
