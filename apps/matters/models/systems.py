"""Item resources, part two (MAT-4.1.3, 4.1.4, 4.2.1, 4.2.2): licence catalogue requests, proof-type
material annotations, the register of business-handling systems and their links to items."""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.models import Organisation, Region
from apps.core.scope import ScopedQuerySet


class SubjectType(models.TextChoices):
    PERSON = "person", _("个人")
    LEGAL_PERSON = "legal_person", _("法人")
    PROJECT = "project", _("项目")


class LicenceRequestStatus(models.TextChoices):
    SUBMITTED = "submitted", _("已提交")
    CONFIRMED = "confirmed", _("已确认")
    REFUSED = "refused", _("未通过")


class LicenceCatalogueRequest(models.Model):
    """证照目录申请: a new e-licence catalogue entry asked of the licences system through its
    interface; confirmed (with the new code) or refused by the e-licence administrator (MAT-4.1.3)."""

    implementation_item = models.ForeignKey("matters.ImplementationItem", verbose_name=_("事项"),
                                            on_delete=models.CASCADE, related_name="licence_requests")
    name = models.CharField(_("证照名称"), max_length=200)
    subject_type = models.CharField(_("持证主体类型"), max_length=16, choices=SubjectType.choices)
    description = models.TextField(_("证照基本信息"), blank=True)
    template = models.FileField(_("证照模板"), upload_to="matters/licence-templates/%Y/%m/")
    external_id = models.CharField(_("证照系统申请号"), max_length=64, blank=True, db_index=True)
    status = models.CharField(_("状态"), max_length=12, choices=LicenceRequestStatus.choices,
                              default=LicenceRequestStatus.SUBMITTED)
    catalogue_code = models.CharField(_("证照目录编码"), max_length=64, blank=True)
    answer = models.TextField(_("证照系统答复"), blank=True)
    department = models.ForeignKey(Organisation, verbose_name=_("申请单位"), on_delete=models.PROTECT, related_name="+")
    region = models.ForeignKey(Region, verbose_name=_("区划"), on_delete=models.PROTECT, related_name="+")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("申请人"), on_delete=models.PROTECT,
                                     related_name="+")
    created_at = models.DateTimeField(_("申请时间"), auto_now_add=True)
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_region_field = "region"
    scope_organisation_field = "department"

    class Meta:
        verbose_name = _("证照目录申请")
        verbose_name_plural = _("证照目录申请")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.name


class ProofAnnotation(models.Model):
    """证明类材料标注: where and how a proof is obtained, toward automatic issue or exemption (MAT-4.1.4)."""

    class Use(models.TextChoices):
        KEEP = "keep", _("保留")
        AUTO_ISSUE = "auto_issue", _("自动开具")
        SHARED = "shared", _("数据共享替代")
        EXEMPT = "exempt", _("告知承诺免提交")

    material = models.OneToOneField("matters.ApplicationMaterial", verbose_name=_("申请材料"), on_delete=models.CASCADE,
                                    related_name="proof")
    issuing_department = models.ForeignKey(Organisation, verbose_name=_("开具部门"), on_delete=models.PROTECT,
                                           related_name="+")
    apply_address = models.CharField(_("申请地址"), max_length=255)
    apply_conditions = models.TextField(_("申请条件"), blank=True)
    use = models.CharField(_("使用方式"), max_length=12, choices=Use.choices, default=Use.KEEP)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("维护人"), null=True,
                                   on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("证明类材料标注")
        verbose_name_plural = _("证明类材料标注")

    def __str__(self) -> str:
        return str(self.material)


class BusinessSystem(models.Model):
    """业务办理系统: a registered business-handling system items can be linked to (MAT-4.2.1)."""

    class BuildLevel(models.TextChoices):
        NATIONAL = "national", _("国家级")
        PROVINCE = "province", _("省级")
        CITY = "city", _("市级")
        COUNTY = "county", _("县级")

    class Network(models.TextChoices):
        INTERNET = "internet", _("互联网")
        EXTRANET = "extranet", _("电子政务外网")
        INTRANET = "intranet", _("电子政务内网")
        PRIVATE = "private", _("业务专网")

    class Method(models.TextChoices):
        API = "api", _("接口对接")
        DATABASE = "database", _("前置库对接")
        FILE = "file", _("文件交换")
        NONE = "none", _("未对接")

    name = models.CharField(_("系统名称"), max_length=200)
    department = models.ForeignKey(Organisation, verbose_name=_("所属部门"), on_delete=models.PROTECT,
                                   related_name="business_systems")
    region = models.ForeignKey(Region, verbose_name=_("区划"), on_delete=models.PROTECT, related_name="+")
    build_level = models.CharField(_("建设层级"), max_length=12, choices=BuildLevel.choices)
    network = models.CharField(_("网络情况"), max_length=12, choices=Network.choices)
    integration_method = models.CharField(_("对接方式"), max_length=12, choices=Method.choices)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    scope_region_field = "region"
    scope_organisation_field = "department"

    class Meta:
        verbose_name = _("业务办理系统")
        verbose_name_plural = _("业务办理系统")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["department", "name"], name="matters_bizsys_dept_name_uniq")]

    def __str__(self) -> str:
        return self.name


class SystemLink(models.Model):
    """An item's use of a registered business system: what is exchanged, how, in which direction,
    and whether automatic integration is done (MAT-4.2, 4.2.2). Several per item."""

    class Direction(models.TextChoices):
        TO_SYSTEM = "to_system", _("平台→业务系统")
        FROM_SYSTEM = "from_system", _("业务系统→平台")
        BOTH = "both", _("双向")

    implementation_item = models.ForeignKey("matters.ImplementationItem", verbose_name=_("事项"),
                                            on_delete=models.CASCADE, related_name="system_links")
    system = models.ForeignKey(BusinessSystem, verbose_name=_("业务办理系统"), on_delete=models.PROTECT,
                               related_name="links")
    exchange_content = models.CharField(_("交互内容"), max_length=255)
    interface_method = models.CharField(_("接口方式"), max_length=100)
    direction = models.CharField(_("数据流向"), max_length=12, choices=Direction.choices)
    auto_integrated = models.BooleanField(_("已自动对接"), default=False)
    created_at = models.DateTimeField(_("关联时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("业务办理系统关联")
        verbose_name_plural = _("业务办理系统关联")
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["implementation_item", "system", "exchange_content"],
                                               name="matters_syslink_uniq")]

    def __str__(self) -> str:
        return f"{self.implementation_item} · {self.system}"
