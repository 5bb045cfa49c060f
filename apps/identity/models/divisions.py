"""Loading cities' divisions and departments (IDN-11.1, 11.2) and the organisation sync with the
old item library (MAT-7.7)."""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.models import JobRun, Organisation, Region
from apps.core.scope import ScopedQuerySet


class ImportKind(models.TextChoices):
    REGIONS = "regions", _("区划数据")
    ORGANISATIONS = "organisations", _("部门数据")


class ImportSource(models.TextChoices):
    UPLOAD = "upload", _("文件上传")
    CITY_PLATFORM = "city_platform", _("地市平台接口")


class ImportStatus(models.TextChoices):
    REFUSED = "refused", _("校验未通过")
    PREVIEWED = "previewed", _("待确认导入")
    QUEUED = "queued", _("排队中")
    APPLIED = "applied", _("已导入")
    FAILED = "failed", _("导入失败")


class ChangeAction(models.TextChoices):
    ADD = "add", _("新增")
    MODIFY = "modify", _("修改")
    DELETE = "delete", _("删除")


class DivisionImport(models.Model):
    """One batch of division or department data reported by a city. Parsed and checked in full
    first (`rows`, per-row `errors`); a batch with any error is refused and writes nothing; a clean
    batch is applied by a background job whose progress the page shows."""

    kind = models.CharField(_("数据类型"), max_length=16, choices=ImportKind.choices)
    source = models.CharField(_("数据来源"), max_length=16, choices=ImportSource.choices)
    city = models.ForeignKey(Region, verbose_name=_("上报地市"), on_delete=models.PROTECT, related_name="+")
    filename = models.CharField(_("文件名"), max_length=200, blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=ImportStatus.choices, db_index=True)
    rows = models.JSONField(_("数据行"), default=list, blank=True)
    errors = models.JSONField(_("错误行"), default=list, blank=True, help_text=_("[{row, field, value, message}]"))
    counts = models.JSONField(_("处理结果"), default=dict, blank=True)
    job = models.ForeignKey(JobRun, verbose_name=_("后台任务"), null=True, blank=True, on_delete=models.SET_NULL,
                            related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("操作人"), on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    applied_at = models.DateTimeField(_("导入时间"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    scope_region_field = "city"
    scope_owner_field = "created_by"

    class Meta:
        verbose_name = _("地市区划及部门数据导入")
        verbose_name_plural = _("地市区划及部门数据导入")
        ordering = ["-created_at", "-id"]
        permissions = [("import_divisions", _("可以导入地市区划及部门数据"))]
        indexes = [models.Index(fields=["city", "-created_at"], name="identity_divimport_city_idx")]

    def __str__(self) -> str:
        return f"{self.city.name} · {self.get_kind_display()} · {self.created_at:%Y-%m-%d %H:%M}"


class SyncDirection(models.TextChoices):
    INBOUND = "inbound", _("原事项库 → 统一用户中心")
    OUTBOUND = "outbound", _("统一用户中心 → 原事项库")


class SyncStatus(models.TextChoices):
    PENDING = "pending", _("待处理")
    APPLIED = "applied", _("已同步")
    REFUSED = "refused", _("未同步")
    SENT = "sent", _("已推送待回写")
    ACKNOWLEDGED = "acknowledged", _("对方已处理")
    REJECTED = "rejected", _("对方处理失败")


class OrgSyncRecord(models.Model):
    """One organisation change travelling between the unified user centre and the old item
    library (原事项库), in either direction, with the processing result written back."""

    direction = models.CharField(_("方向"), max_length=10, choices=SyncDirection.choices)
    change_id = models.CharField(_("变更编号"), max_length=64)
    action = models.CharField(_("变更类型"), max_length=8, choices=ChangeAction.choices)
    credit_code = models.CharField(_("统一社会信用代码"), max_length=18, db_index=True)
    name = models.CharField(_("机构名称"), max_length=128)
    payload = models.JSONField(_("变更数据"), default=dict)
    organisation = models.ForeignKey(Organisation, verbose_name=_("机构"), null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    status = models.CharField(_("状态"), max_length=16, choices=SyncStatus.choices, db_index=True)
    result_message = models.CharField(_("处理结果"), max_length=300, blank=True)
    peer_answer = models.JSONField(_("对方回写"), default=dict, blank=True)
    handled_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("处理人"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    handled_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    written_back_at = models.DateTimeField(_("回写时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("接收时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("组织机构同步记录")
        verbose_name_plural = _("组织机构同步记录")
        ordering = ["-created_at", "-id"]
        permissions = [("sync_organisations", _("可以处理组织机构信息同步"))]
        constraints = [models.UniqueConstraint(fields=["direction", "change_id"], name="identity_orgsync_unique")]
        indexes = [models.Index(fields=["direction", "status"], name="identity_orgsync_status_idx")]

    def __str__(self) -> str:
        return f"{self.get_direction_display()} · {self.get_action_display()} · {self.name}"
