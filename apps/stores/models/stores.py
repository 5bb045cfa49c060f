"""Flagship stores (旗舰店, STORE-1, STORE-4, STORE-5.1): the page templates of the four store levels, the
stores built from them and the service entries each store shows. Decision 0801."""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.models import Organisation, Region
from apps.core.scope import ScopedQuerySet

DEPARTMENT_TEMPLATE_LIMIT = 40


class StoreLevel(models.TextChoices):
    PROVINCIAL_DEPARTMENT = "provincial_department", _("省直部门")
    CITY = "city", _("市地")
    COUNTY = "county", _("区县")
    TOWNSHIP = "township", _("街道")


class StoreSection(models.TextChoices):
    """The blocks a template may lay out on its store's home page, in the template's order."""

    BANNER = "banner", _("形象横幅")
    HIGH_FREQUENCY = "high_frequency", _("高频服务")
    SERVICES = "services", _("服务事项")
    COLUMNS = "columns", _("信息发布")
    SUB_STORES = "sub_stores", _("下级旗舰店")
    CONTACT = "contact", _("联系我们")


DEFAULT_SECTIONS = [StoreSection.BANNER, StoreSection.HIGH_FREQUENCY, StoreSection.SERVICES,
                    StoreSection.COLUMNS, StoreSection.SUB_STORES, StoreSection.CONTACT]


class StoreTemplate(models.Model):
    """页面模板: one set per provincial department (at most 40), and per city one city, one county and one
    township set — every county store of a city renders with that city's county set, every township store
    with its township set (STORE-1.1–1.4)."""

    level = models.CharField(_("旗舰店层级"), max_length=24, choices=StoreLevel.choices)
    name = models.CharField(_("模板名称"), max_length=80)
    organisation = models.ForeignKey(Organisation, verbose_name=_("所属部门"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="store_templates",
                                     help_text=_("省直部门模板填写"))
    city = models.ForeignKey(Region, verbose_name=_("所属市地"), null=True, blank=True, on_delete=models.PROTECT,
                             related_name="store_templates", help_text=_("市地、区县、街道模板填写"))
    theme_colour = models.CharField(_("主题色"), max_length=7, default="#b71c1c")
    sections = models.JSONField(_("页面版块"), default=list)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = ScopedQuerySet.as_manager()
    scope_organisation_field = "organisation"

    class Meta:
        verbose_name = _("旗舰店页面模板")
        verbose_name_plural = _("旗舰店页面模板")
        ordering = ["level", "city_id", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation"], condition=models.Q(level="provincial_department"),
                                    name="stores_one_template_per_department"),
            models.UniqueConstraint(fields=["level", "city"], condition=~models.Q(level="provincial_department"),
                                    name="stores_one_template_per_city_level"),
            models.CheckConstraint(
                condition=(models.Q(level="provincial_department", organisation__isnull=False, city__isnull=True)
                           | (~models.Q(level="provincial_department") & models.Q(city__isnull=False))),
                name="stores_template_owner_matches_level"),
        ]

    def __str__(self) -> str:
        return self.name


class FlagshipStoreQuerySet(ScopedQuerySet):
    def published(self):
        return self.filter(is_published=True)


class FlagshipStore(models.Model):
    """旗舰店: a department's or locality's storefront, rendered from the template of its level."""

    level = models.CharField(_("旗舰店层级"), max_length=24, choices=StoreLevel.choices, db_index=True)
    slug = models.SlugField(_("访问标识"), max_length=40, unique=True)
    name = models.CharField(_("旗舰店名称"), max_length=80)
    title = models.CharField(_("标题"), max_length=120, blank=True)
    description = models.TextField(_("简介"), blank=True)
    banner_image = models.CharField(_("横幅图片路径"), max_length=255, blank=True)
    icon = models.CharField(_("图标"), max_length=64, blank=True)
    organisation = models.ForeignKey(Organisation, verbose_name=_("主办单位"), on_delete=models.PROTECT,
                                     related_name="flagship_stores")
    region = models.ForeignKey(Region, verbose_name=_("区划"), on_delete=models.PROTECT, related_name="+")
    template = models.ForeignKey(StoreTemplate, verbose_name=_("页面模板"), on_delete=models.PROTECT,
                                 related_name="stores")
    contact_phone = models.CharField(_("联系电话"), max_length=40, blank=True)
    own_interface_url = models.URLField(_("部门自建服务界面"), max_length=500, blank=True,
                                        help_text=_("部门按省对接标准自建的旗舰店功能界面（STORE-4.2）"))
    own_interface_client = models.CharField(_("自建界面接入编码"), max_length=64, blank=True,
                                            help_text=_("自建界面在省统一身份认证登记的对接应用编码"))
    order = models.PositiveIntegerField(_("排序"), default=0)
    is_published = models.BooleanField(_("已发布"), default=False)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = FlagshipStoreQuerySet.as_manager()
    scope_organisation_field = "organisation"

    class Meta:
        verbose_name = _("旗舰店")
        verbose_name_plural = _("旗舰店")
        ordering = ["order", "id"]
        indexes = [models.Index(fields=["level", "is_published", "order"], name="stores_store_level_idx"),
                   models.Index(fields=["region", "level"], name="stores_store_region_idx")]
        permissions = [("manage_flagshipstore", _("开设与发布旗舰店")),
                       ("maintain_store_content", _("维护旗舰店内容"))]

    def __str__(self) -> str:
        return self.name


class AuthMethod(models.TextChoices):
    """Higher authentication a service may demand on top of login (STORE-2.1.3)."""

    FACE = "face", _("人脸识别")
    SMS = "sms", _("短信验证")
    BUSINESS_LICENCE = "business_licence", _("电子营业执照")
    SOCIAL_SECURITY_CARD = "social_security_card", _("电子社保卡")


class ServiceKind(models.TextChoices):
    MATTER = "matter", _("政务服务事项")
    CONVENIENCE = "convenience", _("便民服务")


class StoreService(models.Model):
    """服务事项界面: a service tile of a store, with its page (phones, conditions, notes are mandatory to
    publish — STORE-4.6) and its online-handling link (through a provincial ticket when the handling
    system is a registered client system — STORE-2.1.4)."""

    store = models.ForeignKey(FlagshipStore, verbose_name=_("旗舰店"), on_delete=models.CASCADE,
                              related_name="services")
    title = models.CharField(_("服务名称"), max_length=120)
    kind = models.CharField(_("服务类别"), max_length=16, choices=ServiceKind.choices, default=ServiceKind.MATTER)
    description = models.TextField(_("内容描述"), blank=True)
    icon = models.CharField(_("图标"), max_length=64, blank=True)
    image_path = models.CharField(_("图片路径"), max_length=255, blank=True)
    handling_url = models.URLField(_("在线办理链接"), max_length=500, blank=True)
    matter_code = models.CharField(_("事项编码"), max_length=33, blank=True)
    implementation_item = models.ForeignKey("matters.ImplementationItem", verbose_name=_("实施清单事项"),
                                            null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    client_system_code = models.CharField(_("办理系统接入编码"), max_length=64, blank=True,
                                          help_text=_("办理系统已接入统一身份认证时填写，跳转时携带用户票据"))
    min_real_name_level = models.PositiveSmallIntegerField(_("最低实名等级"), default=0)
    auth_methods = models.JSONField(_("增强认证方式"), default=list, blank=True)
    is_high_frequency = models.BooleanField(_("高频服务"), default=False)
    enquiry_phone = models.CharField(_("业务咨询电话"), max_length=40, blank=True)
    support_phone = models.CharField(_("技术咨询电话"), max_length=40, blank=True)
    conditions = models.TextField(_("办理条件"), blank=True)
    notes = models.TextField(_("注意事项"), blank=True)
    order = models.PositiveIntegerField(_("排序"), default=0)
    is_published = models.BooleanField(_("已发布"), default=False)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = ScopedQuerySet.as_manager()
    scope_organisation_field = "store__organisation"

    class Meta:
        verbose_name = _("旗舰店服务事项")
        verbose_name_plural = _("旗舰店服务事项")
        ordering = ["order", "id"]
        indexes = [models.Index(fields=["store", "is_published", "order"], name="stores_service_store_idx")]
        constraints = [models.CheckConstraint(
            condition=models.Q(is_published=False) | (~models.Q(enquiry_phone="") & ~models.Q(support_phone="")
                                                       & ~models.Q(conditions="") & ~models.Q(notes="")),
            name="stores_published_service_has_contacts")]

    def __str__(self) -> str:
        return self.title

    def auth_method_labels(self) -> list[str]:
        return [str(AuthMethod(m).label) for m in self.auth_methods if m in AuthMethod.values]


class StoreAuthentication(models.Model):
    """A completed higher authentication (face, SMS, e-business licence, e-social-security card) of a user
    for a service's level, valid for a limited time (STORE-2.1.3)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("用户"), on_delete=models.CASCADE,
                             related_name="+")
    method = models.CharField(_("认证方式"), max_length=24, choices=AuthMethod.choices)
    reference = models.CharField(_("认证流水号"), max_length=64, blank=True)
    verified_at = models.DateTimeField(_("认证时间"), auto_now_add=True)
    valid_until = models.DateTimeField(_("有效期至"))

    objects = ScopedQuerySet.as_manager()
    scope_owner_field = "user"

    class Meta:
        verbose_name = _("增强认证记录")
        verbose_name_plural = _("增强认证记录")
        ordering = ["-verified_at"]
        indexes = [models.Index(fields=["user", "method", "valid_until"], name="stores_auth_user_idx")]

    def __str__(self) -> str:
        return f"{self.user} {self.get_method_display()}"
