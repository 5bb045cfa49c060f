"""System-management rows that are 好差评's own: dictionaries (REV-10.5), announcements (REV-10.6),
column maintenance of the public 好差评 column (REV-10.3) and common-problem opinions (REV-9.3).
Departments, users, roles and logs are the kernel's (core.Organisation, identity.User/Role,
core.AuditLog); reviews only shows them (decision 0604)."""
from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class RecordStatus(models.TextChoices):
    NORMAL = "normal", _("正常")
    CLOSED = "closed", _("停用")


class ReviewDictionary(models.Model):
    """字典: a named list of entries (registration type, ID-document type, staff category, …)."""

    name = models.CharField(_("字典名称"), max_length=64)
    code = models.SlugField(_("字典类型"), max_length=64, unique=True)
    status = models.CharField(_("状态"), max_length=8, choices=RecordStatus.choices, default=RecordStatus.NORMAL)
    remarks = models.CharField(_("备注"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("好差评字典")
        verbose_name_plural = _("好差评字典")
        ordering = ["code"]
        permissions = [("manage_system", "好差评系统管理（组织、栏目、字典、公告、日志）")]

    def __str__(self) -> str:
        return self.name


class ReviewDictionaryEntry(models.Model):
    """One value of a dictionary, unique per dictionary."""

    dictionary = models.ForeignKey(ReviewDictionary, verbose_name=_("字典"), on_delete=models.CASCADE,
                                   related_name="entries")
    label = models.CharField(_("字典标签"), max_length=64)
    value = models.CharField(_("字典键值"), max_length=64)
    order = models.PositiveSmallIntegerField(_("显示顺序"), default=0)
    status = models.CharField(_("状态"), max_length=8, choices=RecordStatus.choices, default=RecordStatus.NORMAL)

    class Meta:
        verbose_name = _("字典数据")
        verbose_name_plural = _("字典数据")
        ordering = ["dictionary_id", "order", "pk"]
        constraints = [models.UniqueConstraint(fields=["dictionary", "value"], name="rev_dict_entry_value_uniq")]

    def __str__(self) -> str:
        return self.label


class AnnouncementKind(models.TextChoices):
    NOTICE = "notice", _("通知")
    ANNOUNCEMENT = "announcement", _("公告")


class ReviewAnnouncement(models.Model):
    """公告: shown on the public 好差评 column while its status is normal."""

    title = models.CharField(_("公告标题"), max_length=128)
    kind = models.CharField(_("公告类型"), max_length=16, choices=AnnouncementKind.choices,
                            default=AnnouncementKind.ANNOUNCEMENT)
    content = models.TextField(_("公告内容"))
    status = models.CharField(_("状态"), max_length=8, choices=RecordStatus.choices, default=RecordStatus.NORMAL)
    created_by = models.ForeignKey("identity.User", verbose_name=_("创建人"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("好差评公告")
        verbose_name_plural = _("好差评公告")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "-created_at"], name="rev_announce_status_idx")]

    def __str__(self) -> str:
        return self.title


class ColumnKind(models.TextChoices):
    DIRECTORY = "directory", _("目录")
    MENU = "menu", _("菜单")
    BUTTON = "button", _("按钮")


class ReviewColumn(models.Model):
    """栏目 (REV-10.3): an entry of the public 好差评 column's navigation; hidden ones are not shown."""

    parent = models.ForeignKey("self", verbose_name=_("上级栏目"), null=True, blank=True, on_delete=models.CASCADE,
                               related_name="children")
    kind = models.CharField(_("栏目类型"), max_length=12, choices=ColumnKind.choices, default=ColumnKind.MENU)
    name = models.CharField(_("栏目名称"), max_length=32)
    url = models.CharField(_("请求地址"), max_length=255, blank=True)
    open_in_new_window = models.BooleanField(_("新窗口打开"), default=False)
    permission = models.CharField(_("权限标识"), max_length=100, blank=True)
    order = models.PositiveSmallIntegerField(_("显示顺序"), default=0)
    icon = models.CharField(_("图标"), max_length=32, blank=True)
    is_visible = models.BooleanField(_("显示"), default=True)

    class Meta:
        verbose_name = _("好差评栏目")
        verbose_name_plural = _("好差评栏目")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.name


class CommonProblemOpinion(models.Model):
    """共性问题处理意见 (REV-9.3): the handling opinion given to departments when a bad-review tag
    recurs; without one, a default opinion is generated."""

    tag = models.CharField(_("问题（差评标签）"), max_length=64, unique=True)
    opinion = models.TextField(_("处理意见"))
    is_enabled = models.BooleanField(_("启用"), default=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("共性问题处理意见")
        verbose_name_plural = _("共性问题处理意见")

    def __str__(self) -> str:
        return self.tag


class DepartmentProfile(models.Model):
    """好差评 fields of a department (REV-10.1) the kernel's Organisation does not carry: display
    order, head, contact phone and email. Name and status (is_enabled) stay on Organisation."""

    organisation = models.OneToOneField("core.Organisation", verbose_name=_("部门"), on_delete=models.CASCADE,
                                        related_name="review_profile")
    order = models.PositiveIntegerField(_("显示顺序"), default=0)
    head = models.CharField(_("负责人"), max_length=32, blank=True)
    phone = models.CharField(_("联系电话"), max_length=32, blank=True)
    email = models.EmailField(_("邮箱"), blank=True)

    scope_region_field = "organisation__region"
    scope_organisation_field = "organisation"

    class Meta:
        verbose_name = _("部门信息（好差评）")
        verbose_name_plural = _("部门信息（好差评）")

    def __str__(self) -> str:
        return str(self.organisation)
