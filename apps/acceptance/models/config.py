"""System configuration (系统配置管理, ACC-16.x): print templates, service lists, region links, devices,
item groups, item remarks, SMS channels and message templates.

Print templates shape the printed documents (documents.py) and message templates the booking SMS
(services/booking.py); the other lists are reference data staff maintain for the halls.
"""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.acceptance.models.halls import Hall
from apps.acceptance.models.onewindow import DocumentKind
from apps.core.crypto import EncryptedTextField, SensitiveFieldsMixin, mask_id_number, mask_mobile
from apps.core.models import Organisation, Region
from apps.core.scope import ScopedQuerySet


class PrintTemplate(models.Model):
    """打印模板 (16.1, 16.2): extra text printed on one kind of document, for a unit, an item or everyone.

    Placeholders in `body`: {case_number} {applicant} {item} {organisation} {due_date}.
    """

    name = models.CharField(_("模板名称"), max_length=100)
    kind = models.CharField(_("模板类型"), max_length=32, choices=DocumentKind.choices)
    organisation = models.ForeignKey(Organisation, verbose_name=_("所属单位"), on_delete=models.PROTECT,
                                     related_name="+")
    item = models.ForeignKey("matters.ImplementationItem", verbose_name=_("事项名称"), null=True, blank=True,
                             on_delete=models.CASCADE, related_name="+",
                             help_text=_("不选则用于本单位全部事项。"))
    is_public = models.BooleanField(_("是否公共"), default=False, help_text=_("公共模板用于所有单位。"))
    is_enabled = models.BooleanField(_("是否启用"), default=True)
    body = models.TextField(_("模板内容"), help_text=_("可用占位符：{case_number} {applicant} {item} {organisation} "
                                                       "{due_date}"))
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    scope_organisation_field = "organisation"

    class Meta:
        verbose_name = _("打印模板")
        verbose_name_plural = _("打印模板")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["kind", "is_enabled"], name="acc_printtpl_kind_idx")]

    def __str__(self) -> str:
        return self.name


class ServiceList(SensitiveFieldsMixin, models.Model):
    """服务清单 (16.3): a service list an applicant applied for, with where to send it."""

    applicant_name = models.CharField(_("申请人"), max_length=64)
    applicant_id_number = EncryptedTextField(_("申请人证件号码"), digest_field="applicant_id_number_digest")
    applicant_id_number_digest = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    applicant_mobile = EncryptedTextField(_("申请人电话"), digest_field="applicant_mobile_digest")
    applicant_mobile_digest = models.CharField(max_length=64, blank=True, editable=False)
    address = models.CharField(_("申请人地址"), max_length=200, blank=True)
    mailing_address = models.CharField(_("邮寄地址"), max_length=200, blank=True)
    organisation = models.ForeignKey(Organisation, verbose_name=_("受理单位"), on_delete=models.PROTECT,
                                     related_name="+")
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    scope_organisation_field = "organisation"

    class Meta:
        verbose_name = _("服务清单")
        verbose_name_plural = _("服务清单")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.applicant_name

    @property
    def masked_id_number(self) -> str:
        return mask_id_number(self.applicant_id_number)

    @property
    def masked_mobile(self) -> str:
        return mask_mobile(self.applicant_mobile)


class RegionLink(models.Model):
    """区划关联 (16.5): a child region associated with a region (e.g. a development zone with its city)."""

    region = models.ForeignKey(Region, verbose_name=_("归属区划"), on_delete=models.CASCADE, related_name="+")
    child_region = models.ForeignKey(Region, verbose_name=_("子集区划"), on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    scope_region_field = "region"

    class Meta:
        verbose_name = _("区划关联")
        verbose_name_plural = _("区划关联")
        ordering = ["region", "child_region"]
        constraints = [models.UniqueConstraint(fields=["region", "child_region"], name="acc_regionlink_uniq")]

    def __str__(self) -> str:
        return f"{self.region} → {self.child_region}"


class DeviceType(models.TextChoices):
    QUEUE_MACHINE = "queue_machine", _("排队取号机")
    CALLER = "caller", _("呼叫设备")
    DOCUMENT_CAMERA = "document_camera", _("高拍仪")
    ID_READER = "id_reader", _("身份证读卡器")
    INTERACTIVE_SCREEN = "interactive_screen", _("窗口互动屏")
    PRINTER = "printer", _("打印机")
    SELF_SERVICE = "self_service", _("自助终端")


class Device(models.Model):
    """设备 (16.6): a hall device with its code."""

    name = models.CharField(_("设备名称"), max_length=100)
    code = models.CharField(_("设备编码"), max_length=64, unique=True)
    device_type = models.CharField(_("设备类型"), max_length=24, choices=DeviceType.choices)
    region = models.ForeignKey(Region, verbose_name=_("所属区划"), on_delete=models.PROTECT, related_name="+")
    hall = models.ForeignKey(Hall, verbose_name=_("所在大厅"), null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="devices")
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    scope_region_field = "region"

    class Meta:
        verbose_name = _("设备")
        verbose_name_plural = _("设备")
        ordering = ["region", "code"]

    def __str__(self) -> str:
        return f"{self.name}（{self.code}）"


class ItemGroup(models.Model):
    """事项群组 (16.9): items handled together (e.g. a "one thing" bundle at a comprehensive window)."""

    name = models.CharField(_("群组名称"), max_length=100)
    organisation = models.ForeignKey(Organisation, verbose_name=_("所属单位"), on_delete=models.PROTECT,
                                     related_name="+")
    items = models.ManyToManyField("matters.ImplementationItem", verbose_name=_("包含事项"), related_name="+")
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    scope_organisation_field = "organisation"

    class Meta:
        verbose_name = _("事项群组")
        verbose_name_plural = _("事项群组")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.name


class ItemRemark(models.Model):
    """事项备注 (16.10): the acceptance platform's remark on a business item (shown at intake)."""

    item = models.OneToOneField("matters.ImplementationItem", verbose_name=_("事项"), on_delete=models.CASCADE,
                                related_name="acceptance_remark")
    remark = models.TextField(_("备注"))
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("更新人"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    objects = ScopedQuerySet.as_manager()
    scope_region_field = "item__region"
    scope_organisation_field = "item__handling_department"

    class Meta:
        verbose_name = _("事项备注")
        verbose_name_plural = _("事项备注")
        ordering = ["item__name"]

    def __str__(self) -> str:
        return f"{self.item}"


class SmsChannel(models.Model):
    """短信通道 (16.11): an SMS gateway account of a region; only enabled channels are offered."""

    name = models.CharField(_("通道名称"), max_length=100)
    description = models.CharField(_("通道描述"), max_length=300, blank=True)
    region = models.ForeignKey(Region, verbose_name=_("所属区划"), on_delete=models.PROTECT, related_name="+")
    is_enabled = models.BooleanField(_("是否启用"), default=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    scope_region_field = "region"

    class Meta:
        verbose_name = _("短信通道")
        verbose_name_plural = _("短信通道")
        ordering = ["region", "name"]

    def __str__(self) -> str:
        return self.name


class MessageType(models.TextChoices):
    APPOINTMENT_BOOKED = "appointment_booked", _("预约成功通知")
    PRE_REVIEW_RESULT = "pre_review_result", _("预审结果通知")
    SUPPLEMENT_NOTICE = "supplement_notice", _("补齐补正告知")
    ISSUED = "issued", _("出件通知")


class MessageTemplate(models.Model):
    """消息模板 (16.12): the text of a notification; a region's own template wins over a shared one.

    Placeholders for 预约成功通知: {name} {hall} {matter} {date} {period} {number} {transport} {tips}.
    """

    name = models.CharField(_("模板名称"), max_length=100)
    message_type = models.CharField(_("类型名称"), max_length=32, choices=MessageType.choices)
    content = models.TextField(_("模板内容"))
    is_enabled = models.BooleanField(_("是否启用"), default=True)
    is_shared = models.BooleanField(_("是否共用"), default=False, help_text=_("共用模板用于所有区划。"))
    region = models.ForeignKey(Region, verbose_name=_("所属区域"), on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    scope_region_field = "region"

    class Meta:
        verbose_name = _("消息模板")
        verbose_name_plural = _("消息模板")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["message_type", "is_enabled"], name="acc_msgtpl_type_idx")]

    def __str__(self) -> str:
        return self.name


class HallDepartment(models.Model):
    """部门管理 (5.2): a department stationed in a hall. The department is an organisation of the kernel's
    organisation data (kept in step with the provincial platform), so rows are matched by USCC."""

    hall = models.ForeignKey(Hall, verbose_name=_("大厅"), on_delete=models.CASCADE, related_name="departments")
    organisation = models.ForeignKey(Organisation, verbose_name=_("组织机构"), on_delete=models.PROTECT,
                                     related_name="+")
    name = models.CharField(_("部门名称"), max_length=128)
    phone = models.CharField(_("联系电话"), max_length=32, blank=True)
    location = models.CharField(_("办公位置"), max_length=100, blank=True, help_text=_("如：二楼B区"))
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    scope_region_field = "hall__region"
    scope_organisation_field = "hall__organisation"

    class Meta:
        verbose_name = _("进驻部门")
        verbose_name_plural = _("进驻部门")
        ordering = ["hall", "name"]
        constraints = [models.UniqueConstraint(fields=["hall", "organisation"], name="acc_hall_dept_uniq")]

    def __str__(self) -> str:
        return self.name
