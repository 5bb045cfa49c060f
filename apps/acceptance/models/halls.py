"""Halls, windows and the people and matters at them (ACC-5.1, REV-1.x, MAP-3.x share these)."""
from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from apps.core.crypto import EncryptedTextField, SensitiveFieldsMixin, mask_id_number
from apps.core.models import Organisation, Region
from apps.core.scope import ScopedQuerySet


def new_token() -> str:
    return secrets.token_urlsafe(16)


class HallType(models.TextChoices):
    COMPREHENSIVE = "comprehensive", _("综合性大厅")
    SPECIALISED = "specialised", _("专业大厅")


class IntegrationMode(models.TextChoices):
    QUEUE_MACHINE = "queue_machine", _("对接排队机")
    PLATFORM_QUEUE = "platform_queue", _("平台取号叫号")
    CHECK_IN_QR = "check_in_qr", _("预约核验二维码（无排队系统）")


class Hall(models.Model):
    """政务服务大厅: a physical hall (or sub-hall) run by one organisation inside one region.

    Scope: staff of the hall's organisation (and the region-wide bureaus above it) see it; a
    sub-hall whose organisation sits below the hall's organisation is seen by both (R22).
    """

    name = models.CharField(_("大厅名称"), max_length=128)
    hall_number = models.CharField(_("大厅编号"), max_length=32, unique=True)
    hall_type = models.CharField(_("大厅类型"), max_length=20, choices=HallType.choices,
                                 default=HallType.COMPREHENSIVE)
    region = models.ForeignKey(Region, verbose_name=_("所属区划"), on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(Organisation, verbose_name=_("管理机构"), on_delete=models.PROTECT,
                                     related_name="halls")
    parent_hall = models.ForeignKey("self", verbose_name=_("上级大厅（分厅所属）"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="sub_halls")
    address = models.CharField(_("地址"), max_length=255)
    longitude = models.DecimalField(_("经度"), max_digits=9, decimal_places=6, null=True, blank=True)
    latitude = models.DecimalField(_("纬度"), max_digits=9, decimal_places=6, null=True, blank=True)
    telephone = models.CharField(_("联系电话"), max_length=32, blank=True)
    opening_hours = models.CharField(_("办公时间"), max_length=255, default="工作日 9:00-12:00，13:30-17:00")
    transport_info = models.CharField(_("交通方式"), max_length=255, blank=True)
    booking_tips = models.CharField(_("温馨提示"), max_length=255, blank=True)
    queue_code = models.CharField(_("取号码前缀"), max_length=4, default="A")
    integration_mode = models.CharField(_("对接模式"), max_length=20, choices=IntegrationMode.choices,
                                        default=IntegrationMode.PLATFORM_QUEUE)
    booking_enabled = models.BooleanField(_("开启预约"), default=True)
    notify_by_sms = models.BooleanField(_("预约短信通知"), default=True)
    is_active = models.BooleanField(_("启用"), default=True)
    qr_token = models.CharField(_("大厅二维码标识"), max_length=32, unique=True, default=new_token, editable=False)
    # REV-1.1: what the public hall page (好差评 portal, service map) shows; read live, no publish step.
    display_order = models.PositiveIntegerField(_("显示顺序"), default=0, blank=True)
    introduction = models.TextField(_("大厅简介"), blank=True)
    floor_area = models.DecimalField(_("大厅面积（平方米）"), max_digits=10, decimal_places=2, null=True, blank=True)
    logo = models.ImageField(_("大厅标识缩略图"), upload_to="acceptance/halls/logos/", blank=True)
    floor_guide_map = models.ImageField(_("楼层导引图"), upload_to="acceptance/halls/guides/", blank=True)
    publicity_video = models.FileField(_("宣传视频"), upload_to="acceptance/halls/videos/", blank=True)
    # MAP-3.1 / 1.5: the service map's hall page (one shared hall record, decision 0901).
    floor_info = models.TextField(_("楼层信息"), blank=True, help_text=_("每行一层，例如：1F 综合受理区、不动产登记区"))
    resident_units = models.TextField(_("入驻单位"), blank=True, help_text=_("每行一个入驻单位"))
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    scope_region_field = "region"
    scope_organisation_field = "organisation"

    class Meta:
        verbose_name = _("大厅")
        verbose_name_plural = _("大厅")
        ordering = ["hall_number"]
        indexes = [models.Index(fields=["region", "is_active"], name="acc_hall_region_idx"),
                   models.Index(fields=["organisation"], name="acc_hall_org_idx")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("acceptance:hall-detail", args=[self.pk])


class HallPicture(models.Model):
    """大厅宣传图片 (REV-1.1): one of a hall's publicity pictures, shown in `order`."""

    hall = models.ForeignKey(Hall, verbose_name=_("大厅"), on_delete=models.CASCADE, related_name="pictures")
    image = models.ImageField(_("图片"), upload_to="acceptance/halls/pictures/")
    caption = models.CharField(_("说明"), max_length=128, blank=True)
    order = models.PositiveIntegerField(_("顺序"), default=0, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_region_field = "hall__region"
    scope_organisation_field = "hall__organisation"

    class Meta:
        verbose_name = _("大厅宣传图片")
        verbose_name_plural = _("大厅宣传图片")
        ordering = ["hall", "order", "pk"]

    def __str__(self) -> str:
        return self.caption or self.image.name


class WindowType(models.TextChoices):
    COMPREHENSIVE = "comprehensive", _("综合窗口")
    SPECIALISED = "specialised", _("专业窗口")


class Window(models.Model):
    """窗口: a counter in a hall."""

    hall = models.ForeignKey(Hall, verbose_name=_("大厅"), on_delete=models.CASCADE, related_name="windows")
    window_number = models.CharField(_("窗口编号"), max_length=16)
    name = models.CharField(_("窗口名称"), max_length=64)
    window_type = models.CharField(_("窗口类型"), max_length=20, choices=WindowType.choices,
                                   default=WindowType.COMPREHENSIVE,
                                   help_text=_("综合窗口可入驻多个部门的事项和人员；专业窗口只入驻所属部门的事项和政府组成部门工作人员。"))
    department = models.ForeignKey(Organisation, verbose_name=_("所属部门"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+",
                                   help_text=_("专业窗口必填：只能入驻该部门的事项。"))
    floor = models.CharField(_("楼层"), max_length=16, blank=True)
    zone = models.CharField(_("区域"), max_length=32, blank=True)
    # MAP-3.2: where the applicant goes and whom to call (service map window page, decision 0901).
    handling_location = models.CharField(_("办理地点"), max_length=128, blank=True)
    telephone = models.CharField(_("联系电话"), max_length=32, blank=True)
    supports_appointment = models.BooleanField(_("支持预约"), default=True)
    supports_consultation = models.BooleanField(_("支持咨询"), default=False)
    is_active = models.BooleanField(_("启用"), default=True)
    qr_token = models.CharField(_("窗口二维码标识"), max_length=32, unique=True, default=new_token, editable=False,
                                help_text=_("窗口评价二维码等使用的随机标识，不可猜测。"))

    objects = ScopedQuerySet.as_manager()
    scope_region_field = "hall__region"
    scope_organisation_field = "hall__organisation"

    class Meta:
        verbose_name = _("窗口")
        verbose_name_plural = _("窗口")
        ordering = ["hall", "window_number"]
        constraints = [models.UniqueConstraint(fields=["hall", "window_number"], name="acc_window_number_uniq")]

    def __str__(self) -> str:
        return f"{self.window_number}号窗口 {self.name}"


class HallStaffKind(models.TextChoices):
    DEPARTMENT_STAFF = "department_staff", _("政府组成部门工作人员")
    GOVERNMENT_EMPLOYEE = "government_employee", _("政府雇员")


class HallStaff(SensitiveFieldsMixin, models.Model):
    """人员: a person serving at a hall's windows, evaluable by reviews; may link to a staff User."""

    hall = models.ForeignKey(Hall, verbose_name=_("大厅"), on_delete=models.CASCADE, related_name="staff")
    staff_number = models.CharField(_("人员编号"), max_length=32)
    name = models.CharField(_("姓名"), max_length=64)
    kind = models.CharField(_("人员类别"), max_length=24, choices=HallStaffKind.choices,
                            default=HallStaffKind.DEPARTMENT_STAFF)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("平台账号"), null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="hall_staff_records")
    department = models.ForeignKey(Organisation, verbose_name=_("所属部门"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    id_number = EncryptedTextField(_("身份证号码"), blank=True, digest_field="id_number_digest")
    id_number_digest = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    front_identifier = models.CharField(_("人员前台标识"), max_length=64, blank=True,
                                        help_text=_("窗口桌牌、工牌上显示的称呼或工号。"))
    back_identifier = models.CharField(_("人员后台标识"), max_length=64, blank=True,
                                       help_text=_("业务系统中的账号或编号，用于对接评价数据。"))
    avatar = models.ImageField(_("头像照片"), upload_to="acceptance/staff/avatars/", blank=True)
    is_active = models.BooleanField(_("在岗"), default=True)
    qr_token = models.CharField(_("人员二维码标识"), max_length=32, unique=True, default=new_token, editable=False)

    objects = ScopedQuerySet.as_manager()
    scope_region_field = "hall__region"
    scope_organisation_field = "hall__organisation"

    class Meta:
        verbose_name = _("窗口人员")
        verbose_name_plural = _("窗口人员")
        ordering = ["hall", "staff_number"]
        constraints = [models.UniqueConstraint(fields=["hall", "staff_number"], name="acc_staff_number_uniq")]

    def __str__(self) -> str:
        return f"{self.name}（{self.staff_number}）"

    @property
    def masked_id_number(self) -> str:
        return mask_id_number(self.id_number) if self.id_number else ""


class WindowStaff(models.Model):
    """窗口入驻人员: a staff member assigned to a window."""

    window = models.ForeignKey(Window, verbose_name=_("窗口"), on_delete=models.CASCADE, related_name="assignments")
    staff = models.ForeignKey(HallStaff, verbose_name=_("人员"), on_delete=models.CASCADE, related_name="assignments")

    scope_region_field = "window__hall__region"
    scope_organisation_field = "window__hall__organisation"

    class Meta:
        verbose_name = _("窗口入驻人员")
        verbose_name_plural = _("窗口入驻人员")
        constraints = [models.UniqueConstraint(fields=["window", "staff"], name="acc_window_staff_uniq")]

    def __str__(self) -> str:
        return f"{self.window} · {self.staff}"


class WindowMatter(models.Model):
    """窗口入驻事项: an implementation item a window handles."""

    window = models.ForeignKey(Window, verbose_name=_("窗口"), on_delete=models.CASCADE, related_name="matters")
    matter = models.ForeignKey("matters.ImplementationItem", verbose_name=_("事项"), on_delete=models.PROTECT,
                               related_name="window_assignments")

    scope_region_field = "window__hall__region"
    scope_organisation_field = "window__hall__organisation"

    class Meta:
        verbose_name = _("窗口入驻事项")
        verbose_name_plural = _("窗口入驻事项")
        constraints = [models.UniqueConstraint(fields=["window", "matter"], name="acc_window_matter_uniq")]

    def __str__(self) -> str:
        return f"{self.window} · {self.matter.name}"
