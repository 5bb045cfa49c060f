"""Monthly case reports (办件月报, PORTAL-11): one row per unit per month, three variants by unit kind.

The variant follows from the filing organisation (see `report_variant_of` in services and
docs/decisions/0701-portal-monthly-case-report.md). One table holds all three variants: each
variant fills exactly its own figures (VARIANT_FIGURES) and leaves the others empty (NULL), so
the statistics of every variant are one indexed query over one table.
"""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.core.models import Organisation, Region
from apps.core.scope import ScopedQuerySet


class ReportVariant(models.TextChoices):
    CENTRAL_PROVINCIAL = "central_provincial", _("中省直")
    CITY_BUREAU = "city_bureau", _("市（地）营商局")
    CITY_OTHER = "city_other", _("市（地）其他单位")


# Figure field → Chinese label, in the tender's order (PORTAL-11.1–11.3).
FIGURE_LABELS = {
    "service_matter_count": _("政务服务事项数量"),
    "classified_matter_count": _("涉密事项数量"),
    "stationed_matter_count": _("进驻大厅事项数量"),
    "already_stationed_matter_count": _("已进驻大厅事项数量"),
    "one_window_matter_count": _("实现“一窗”受理政务服务事项数量"),
    "offline_case_count": _("线下政务服务事项办件数量"),
    "offline_comprehensive_hall_case_count": _("线下政务服务事项办件数量中综合性政务大厅数量"),
    "offline_other_hall_case_count": _("其他服务大厅和业务部门数量"),
    "private_network_case_count": _("专网政务服务事项办件数量"),
    "website_case_count": _("黑龙江省政务服务网事项办件数量"),
}

VARIANT_FIGURES = {
    # PORTAL-11.1 中省直
    ReportVariant.CENTRAL_PROVINCIAL: ["service_matter_count", "classified_matter_count", "offline_case_count",
                                       "private_network_case_count", "website_case_count"],
    # PORTAL-11.2 市（地）营商局
    ReportVariant.CITY_BUREAU: ["stationed_matter_count", "already_stationed_matter_count",
                                "one_window_matter_count", "offline_comprehensive_hall_case_count",
                                "offline_other_hall_case_count", "private_network_case_count", "website_case_count"],
    # PORTAL-11.3 市（地）其他单位
    ReportVariant.CITY_OTHER: ["service_matter_count", "classified_matter_count", "offline_case_count",
                               "private_network_case_count"],
}


def _figure(name: str) -> models.PositiveIntegerField:
    return models.PositiveIntegerField(FIGURE_LABELS[name], null=True, blank=True)


class MonthlyCaseReport(models.Model):
    """办件月报: the figures one unit reports for one month (one row per organisation and month)."""

    month = models.DateField(_("月份"), help_text=_("该月第一天"))
    variant = models.CharField(_("月报类型"), max_length=32, choices=ReportVariant.choices)
    organisation = models.ForeignKey(Organisation, verbose_name=_("填报单位"), on_delete=models.PROTECT,
                                     related_name="monthly_case_reports")
    region = models.ForeignKey(Region, verbose_name=_("区划"), on_delete=models.PROTECT, related_name="+")
    city = models.ForeignKey(Region, verbose_name=_("所属市（地）"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="+",
                             help_text=_("中省直单位为空；市（地）及其区县单位为所属市（地）"))
    is_own_level = models.BooleanField(_("市本级"), default=False,
                                       help_text=_("市（地）本级单位为是，区县及以下单位为否"))
    service_matter_count = _figure("service_matter_count")
    classified_matter_count = _figure("classified_matter_count")
    stationed_matter_count = _figure("stationed_matter_count")
    already_stationed_matter_count = _figure("already_stationed_matter_count")
    one_window_matter_count = _figure("one_window_matter_count")
    offline_case_count = _figure("offline_case_count")
    offline_comprehensive_hall_case_count = _figure("offline_comprehensive_hall_case_count")
    offline_other_hall_case_count = _figure("offline_other_hall_case_count")
    private_network_case_count = _figure("private_network_case_count")
    website_case_count = _figure("website_case_count")
    filled_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("填报人"), null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("填报时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = ScopedQuerySet.as_manager()

    scope_region_field = "region"
    scope_organisation_field = "organisation"

    class Meta:
        verbose_name = _("办件月报")
        verbose_name_plural = _("办件月报")
        ordering = ["-month", "organisation_id"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "month"], name="portal_report_one_per_org_month"),
            models.CheckConstraint(condition=Q(month__day=1), name="portal_report_month_first_day"),
        ]
        indexes = [
            models.Index(fields=["variant", "month"], name="portal_report_variant_month"),
            models.Index(fields=["city", "month"], name="portal_report_city_month"),
        ]
        permissions = [
            ("fill_monthlycasereport", _("填报办件月报")),
            ("view_monthlycasereport_statistics", _("查看办件月报统计")),
            ("lock_monthlycasereport", _("锁定办件月报月份")),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} {self.month:%Y-%m}"

    @property
    def figure_names(self) -> list[str]:
        return VARIANT_FIGURES[ReportVariant(self.variant)]


class MonthlyReportLock(models.Model):
    """A month the statistics team has locked: its reports can no longer be filled or corrected."""

    month = models.DateField(_("月份"), unique=True, help_text=_("该月第一天"))
    locked_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("锁定人"), null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")
    locked_at = models.DateTimeField(_("锁定时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("办件月报锁定月份")
        verbose_name_plural = _("办件月报锁定月份")
        ordering = ["-month"]
        constraints = [models.CheckConstraint(condition=Q(month__day=1), name="portal_lock_month_first_day")]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m}"


# --- Information publishing (信息发布, PORTAL-5.1) ---------------------------------------------------
# Content columns (栏目) form a tree at most COLUMN_MAX_DEPTH levels deep; each column belongs to an
# organisation (栏目归属机构, its data scope) and holds articles (信息). See
# docs/decisions/0702-portal-information-columns.md.

COLUMN_MAX_DEPTH = 3


class ColumnModel(models.TextChoices):
    """栏目模型: what a column holds."""

    NEWS_LIST = "news_list", _("新闻列表")
    SINGLE_PAGE = "single_page", _("单页")
    LINK = "link", _("外部链接")


class DisplayPosition(models.TextChoices):
    """显示位置: where the work-portal home page shows the column."""

    HOME_MAIN = "home_main", _("首页主栏")
    HOME_SIDE = "home_side", _("首页侧栏")
    HIDDEN = "hidden", _("不在首页显示")
    PUBLIC_FTZ = "public_ftz", _("公众网站·自贸区专栏")
    PUBLIC_RUSSIA = "public_russia", _("公众网站·对俄服务专区（中俄双语）")


WORK_PORTAL_POSITIONS = (DisplayPosition.HOME_MAIN, DisplayPosition.HOME_SIDE)
PUBLIC_ZONES = {"ftz": DisplayPosition.PUBLIC_FTZ, "russia": DisplayPosition.PUBLIC_RUSSIA}


class DisplayMode(models.TextChoices):
    """展示方式: how the column's latest articles are shown."""

    TITLE_LIST = "title_list", _("标题列表")
    TITLE_SUMMARY = "title_summary", _("标题加摘要")
    IMAGE_TITLE = "image_title", _("图片加标题")


class ContentColumn(models.Model):
    """栏目（内容）: a news or information column of the work-portal home page, multi-level."""

    name = models.CharField(_("栏目名称"), max_length=60)
    parent = models.ForeignKey("self", verbose_name=_("上级栏目"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="children")
    organisation = models.ForeignKey(Organisation, verbose_name=_("栏目归属机构"), on_delete=models.PROTECT,
                                     related_name="content_columns")
    column_model = models.CharField(_("栏目模型"), max_length=16, choices=ColumnModel.choices,
                                    default=ColumnModel.NEWS_LIST)
    position = models.CharField(_("显示位置"), max_length=16, choices=DisplayPosition.choices,
                                default=DisplayPosition.HOME_MAIN)
    is_categorised = models.BooleanField(_("分类显示"), default=False,
                                         help_text=_("开启后，栏目中的信息按“分类”分组显示"))
    display_mode = models.CharField(_("展示方式"), max_length=16, choices=DisplayMode.choices,
                                    default=DisplayMode.TITLE_LIST)
    link_url = models.URLField(_("链接地址"), blank=True, help_text=_("栏目模型为“外部链接”时填写"))
    home_count = models.PositiveSmallIntegerField(_("首页显示条数"), default=5)
    order = models.PositiveIntegerField(_("排序"), default=0, help_text=_("数字小的排在前面"))
    is_enabled = models.BooleanField(_("启用"), default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("创建人"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = ScopedQuerySet.as_manager()

    scope_organisation_field = "organisation"

    class Meta:
        verbose_name = _("信息发布栏目")
        verbose_name_plural = _("信息发布栏目")
        ordering = ["order", "id"]
        indexes = [
            models.Index(fields=["position", "is_enabled", "order"], name="portal_column_home"),
        ]
        permissions = [("manage_contentcolumn", _("管理信息发布栏目"))]

    def __str__(self) -> str:
        return self.name


class Article(models.Model):
    """信息: an item published in a content column; plain text (rendered escaped)."""

    column = models.ForeignKey(ContentColumn, verbose_name=_("所属栏目"), on_delete=models.PROTECT,
                               related_name="articles")
    title = models.CharField(_("标题"), max_length=120)
    category = models.CharField(_("分类"), max_length=30, blank=True)
    summary = models.CharField(_("摘要"), max_length=300, blank=True)
    body = models.TextField(_("正文"), blank=True)
    title_ru = models.CharField(_("标题（俄文）"), max_length=200, blank=True,
                                help_text=_("对俄服务专区的信息必填，俄文界面显示"))
    summary_ru = models.CharField(_("摘要（俄文）"), max_length=500, blank=True)
    body_ru = models.TextField(_("正文（俄文）"), blank=True)
    image_url = models.URLField(_("图片地址"), blank=True, help_text=_("展示方式为“图片加标题”时使用"))
    is_published = models.BooleanField(_("已发布"), default=False)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("作者"), null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = ScopedQuerySet.as_manager()

    scope_organisation_field = "column__organisation"

    class Meta:
        verbose_name = _("信息")
        verbose_name_plural = _("信息")
        ordering = ["-published_at", "-id"]
        indexes = [
            models.Index(fields=["column", "is_published", "-published_at"], name="portal_article_column_pub"),
        ]
        permissions = [("manage_article", _("维护栏目信息"))]

    def __str__(self) -> str:
        return self.title

    def localised(self, language: str) -> dict:
        """Title, summary and body in `language` (Russian where a translation exists, else Chinese)."""
        russian = language == "ru" and bool(self.title_ru)
        return {"title": self.title_ru if russian else self.title,
                "summary": self.summary_ru if russian else self.summary,
                "body": self.body_ru if russian else self.body, "lang": "ru" if russian else "zh-hans"}
