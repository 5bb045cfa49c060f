"""Catalogue items (目录清单事项) and implementation items (实施清单事项) with their elements."""
from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.db import models
from django.db.models.functions import Upper
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from apps.core.models import Organisation, Region, RegionLevel
from apps.core.scope import ScopedQuerySet
from apps.matters.models.enums import (
    CaseType, CrossRegionScope, HandlingForm, ImplementingBodyNature, MatterStatus, MatterType,
)

# Fields whose change takes effect at once (MAT-2.1.6 (3)); everything else goes to 法制办.
IMMEDIATE_CHANGE_FIELDS = ("consultation_phone", "supervision_phone", "handling_department", "handling_location")


class MatterQuerySet(ScopedQuerySet):
    def published(self):
        return self.filter(status=MatterStatus.PUBLISHED)


class MatterElements(models.Model):
    """The elements a catalogue item and an implementation item share (MAT-2.2.3's 31 elements
    plus the flags of MAT-2.1.5/2.1.6). Child rows (materials, steps, fees, situations) hang off
    the concrete models."""

    name = models.CharField(_("事项名称"), max_length=200)
    matter_type = models.CharField(_("事项类型"), max_length=2, choices=MatterType.choices)
    legal_basis = models.TextField(_("设定依据"), blank=True)
    region = models.ForeignKey(Region, verbose_name=_("区划"), on_delete=models.PROTECT, related_name="+")
    level = models.PositiveSmallIntegerField(_("层级"), choices=RegionLevel.choices, editable=False)
    theme = models.CharField(_("主题分类"), max_length=64, blank=True)
    # Handling
    handling_department = models.ForeignKey(Organisation, verbose_name=_("办理部门"), on_delete=models.PROTECT,
                                            related_name="+")
    handling_location = models.CharField(_("办理地点"), max_length=255, blank=True)
    handling_hours = models.CharField(_("办理时间"), max_length=255, blank=True)
    consultation_phone = models.CharField(_("咨询电话"), max_length=64, blank=True)
    supervision_phone = models.CharField(_("监督电话"), max_length=64, blank=True)
    online_handling_url = models.URLField(_("网上办理地址"), max_length=500, blank=True)
    handling_form = models.CharField(_("办理形式"), max_length=24, choices=HandlingForm.choices,
                                     default=HandlingForm.WINDOW_AND_ONLINE)
    # Time limits in working days (MAT-2.1.5)
    is_immediate = models.BooleanField(_("即办件"), default=False)
    statutory_limit_working_days = models.PositiveSmallIntegerField(_("法定办结时限（工作日）"), null=True, blank=True)
    committed_limit_working_days = models.PositiveSmallIntegerField(_("承诺办结时限（工作日）"), null=True, blank=True)
    # Remaining elements of MAT-2.2.3
    authority_division = models.TextField(_("权限划分"), blank=True)
    exercise_content = models.TextField(_("行使内容"), blank=True)
    implementing_body_nature = models.CharField(_("实施主体性质"), max_length=1, choices=ImplementingBodyNature.choices,
                                                default=ImplementingBodyNature.STATUTORY_AUTHORITY)
    acceptance_conditions = models.TextField(_("受理条件"), blank=True)
    co_handling_agencies = models.CharField(_("联办机构"), max_length=255, blank=True)
    has_intermediary_service = models.BooleanField(_("是否有中介服务事项"), default=False)
    handling_process = models.TextField(_("办理流程"), blank=True)
    quantity_limit = models.CharField(_("数量限制"), max_length=255, blank=True)
    result_name = models.CharField(_("结果名称"), max_length=200, blank=True)
    result_sample = models.CharField(_("结果样本"), max_length=255, blank=True)
    is_charged = models.BooleanField(_("是否收费"), default=False)
    fee_standard = models.TextField(_("收费标准"), blank=True)
    fee_basis = models.TextField(_("收费依据"), blank=True)
    service_targets = models.CharField(_("服务对象"), max_length=64, blank=True, help_text=_("自然人、法人"))
    case_type = models.CharField(_("办件类型"), max_length=16, choices=CaseType.choices, default=CaseType.COMMITTED)
    cross_region_scope = models.CharField(_("通办范围"), max_length=20, choices=CrossRegionScope.choices, blank=True)
    supports_appointment = models.BooleanField(_("预约办理"), default=False)
    supports_online_payment = models.BooleanField(_("网上支付"), default=False)
    supports_express_delivery = models.BooleanField(_("物流快递"), default=False)
    business_system = models.CharField(_("运行系统"), max_length=128, blank=True)
    faq = models.TextField(_("常见问题"), blank=True)
    contact_notes = models.CharField(_("联系人"), max_length=64, blank=True)
    # Lifecycle
    status = models.CharField(_("状态"), max_length=20, choices=MatterStatus.choices, default=MatterStatus.DRAFT)
    version = models.PositiveIntegerField(_("版本号"), default=0)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("创建人"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = MatterQuerySet.as_manager()

    scope_region_field = "region"

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        # Derived column only (the level of the region), no business logic.
        if self.region_id:
            from apps.core.models.regions import level_of_code

            self.level = level_of_code(self.region_id)
        super().save(*args, **kwargs)


class CatalogueItem(MatterElements):
    """目录清单事项: one basic-catalogue entry with its basic code, shared by every implementer."""

    basic_code = models.CharField(_("基本编码"), max_length=50, unique=True)
    parent = models.ForeignKey("self", verbose_name=_("所属大项"), null=True, blank=True, on_delete=models.PROTECT,
                               related_name="sub_items")
    department = models.ForeignKey(Organisation, verbose_name=_("主管部门"), on_delete=models.PROTECT,
                                   related_name="catalogue_items")
    exercise_levels = models.JSONField(_("行使层级"), default=list, blank=True)
    is_national = models.BooleanField(_("国家目录事项"), default=False)

    scope_organisation_field = "department"

    class Meta:
        verbose_name = _("目录清单事项")
        verbose_name_plural = _("目录清单事项")
        ordering = ["basic_code"]
        permissions = [
            ("review_catalogueitem", _("可以审核事项申报")),
            ("correct_matter_code", _("可以手工修正事项编码")),
            ("sync_catalogueitem", _("可以同步上级事项目录")),
        ]
        indexes = [
            models.Index(fields=["status", "region"], name="matters_cat_status_region_idx"),
            models.Index(fields=["department", "status"], name="matters_cat_dept_status_idx"),
            models.Index(fields=["matter_type"], name="matters_cat_type_idx"),
            models.Index(fields=["level", "status"], name="matters_cat_level_idx"),
            models.Index(fields=["name"], name="matters_cat_name_idx"),
            models.Index(fields=["theme"], name="matters_cat_theme_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.basic_code}）"

    def get_absolute_url(self) -> str:
        return reverse("matters:catalogue-detail", args=[self.pk])

    @property
    def kind(self) -> str:
        return "catalogue"

    @property
    def code(self) -> str:
        return self.basic_code


class ImplementationItem(MatterElements):
    """实施清单事项: a catalogue item as run by one implementing body, with its own implementation code."""

    catalogue_item = models.ForeignKey(CatalogueItem, verbose_name=_("目录清单事项"), on_delete=models.PROTECT,
                                       related_name="implementation_items")
    basic_code = models.CharField(_("基本编码"), max_length=50, db_index=True)
    implementation_code = models.CharField(_("实施编码"), max_length=50, unique=True)
    implementing_body = models.ForeignKey(Organisation, verbose_name=_("实施主体"), on_delete=models.PROTECT,
                                          related_name="implementation_items")
    implementing_agency = models.ForeignKey(Organisation, verbose_name=_("实施机构"), null=True, blank=True,
                                            on_delete=models.PROTECT, related_name="+")
    exercise_level = models.CharField(_("行使层级"), max_length=1, blank=True)
    business_item = models.ForeignKey("matters.BusinessItem", verbose_name=_("业务项"), null=True, blank=True,
                                      on_delete=models.PROTECT, related_name="implementation_items")
    # 授权代办事项 (MAT-2.1.6 (7)): a service setting of the implementing body, not a versioned element
    proxy_handling = models.BooleanField(_("授权代办事项"), default=False, db_index=True)
    proxy_handling_note = models.CharField(_("代办须知"), max_length=255, blank=True)

    scope_organisation_field = "implementing_body"

    # Elements synchronised from the catalogue and read-only here (MAT-2.2 (3)); 受理条件 is not one (MAT-7.4).
    synced_elements = ("name", "matter_type", "legal_basis", "basic_code")

    class Meta:
        verbose_name = _("实施清单事项")
        verbose_name_plural = _("实施清单事项")
        ordering = ["implementation_code"]
        indexes = [
            models.Index(fields=["status", "region"], name="matters_imp_status_region_idx"),
            models.Index(fields=["implementing_body", "status"], name="matters_imp_body_status_idx"),
            models.Index(fields=["handling_department", "status"], name="matters_imp_dept_status_idx"),
            models.Index(fields=["matter_type"], name="matters_imp_type_idx"),
            models.Index(fields=["level", "status"], name="matters_imp_level_idx"),
            models.Index(fields=["name"], name="matters_imp_name_idx"),
            # Public search is `name ILIKE '%…%'` (Django's icontains compares UPPER(name)): trigram GIN.
            GinIndex(OpClass(Upper("name"), name="gin_trgm_ops"), name="matters_imp_name_trgm_idx"),
            models.Index(fields=["theme", "status"], name="matters_imp_theme_idx"),
            models.Index(fields=["catalogue_item", "implementing_body"], name="matters_imp_cat_body_idx"),
            # Public search (decision 0105): published rows in the list's order, so a page is the first
            # rows of the index — alone, or after the theme filter.
            models.Index(fields=["implementation_code"], condition=models.Q(status="published"),
                         name="matters_imp_pub_code_idx"),
            models.Index(fields=["theme", "implementation_code"], condition=models.Q(status="published"),
                         name="matters_imp_pub_theme_code_idx"),
            # The plain-SQL public search matches names in the distinct-name table first, then fetches the
            # published items of those names by this index (decision 0107, migration 0011).
            models.Index(Upper("name"), condition=models.Q(status="published"), name="matters_imp_pub_uname_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.implementation_code}）"

    def get_absolute_url(self) -> str:
        return reverse("matters:implementation-detail", args=[self.pk])

    @property
    def kind(self) -> str:
        return "implementation"

    @property
    def code(self) -> str:
        return self.implementation_code
