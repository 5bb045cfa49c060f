"""Interface management (统一接口管理, APP-3.x): classification, catalogues, resources, their reviews,
withdrawals, subscriptions, API tests, the operation log and the per-day call counts."""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.scope import ScopedQuerySet


class InterfaceCategory(models.Model):
    """统一分类: one node of the interface classification scheme (theme category)."""

    code = models.CharField(_("分类编码"), max_length=32, unique=True)
    name = models.CharField(_("分类名称"), max_length=64)
    parent = models.ForeignKey("self", verbose_name=_("上级分类"), null=True, blank=True, on_delete=models.PROTECT,
                               related_name="children")
    sort_order = models.PositiveIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("接口分类")
        verbose_name_plural = _("接口分类")
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name


class ResourceCatalogue(models.Model):
    """资源目录: a unit's catalogue that published interface resources are mounted under (APP-3.4)."""

    organisation = models.ForeignKey("core.Organisation", verbose_name=_("所属单位"), on_delete=models.PROTECT,
                                     related_name="mobile_catalogues")
    code = models.CharField(_("目录编码"), max_length=40, unique=True)
    name = models.CharField(_("目录名称"), max_length=100)
    description = models.CharField(_("说明"), max_length=300, blank=True)
    is_published = models.BooleanField(_("已发布"), default=False)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    scope_organisation_field = "organisation"

    class Meta:
        verbose_name = _("资源目录")
        verbose_name_plural = _("资源目录")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class ResourceStatus(models.TextChoices):
    DRAFT = "draft", _("待提交")
    PENDING_REVIEW = "pending_review", _("待审核")
    REJECTED = "rejected", _("已退回")
    PUBLISHED = "published", _("已发布")
    WITHDRAWING = "withdrawing", _("撤回审核中")
    WITHDRAWN = "withdrawn", _("已撤回")


class HealthStatus(models.TextChoices):
    PENDING = "pending", _("待检测")
    HEALTHY = "healthy", _("正常")
    FAULTY = "faulty", _("故障")


class HttpMethod(models.TextChoices):
    GET = "GET", "GET"
    POST = "POST", "POST"


class InterfaceResource(models.Model):
    """接口资源: an interface a unit registers in the mobile gateway (APP-3.1 to 3.7)."""

    organisation = models.ForeignKey("core.Organisation", verbose_name=_("资源提供单位"), on_delete=models.PROTECT,
                                     related_name="mobile_resources")
    category = models.ForeignKey(InterfaceCategory, verbose_name=_("接口分类"), on_delete=models.PROTECT,
                                 related_name="resources")
    catalogue = models.ForeignKey(ResourceCatalogue, verbose_name=_("挂载目录"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="resources")
    code = models.SlugField(_("资源编码"), max_length=40, unique=True,
                            help_text=_("字母、数字、下划线或连字符；网关地址中使用。"))
    name = models.CharField(_("资源名称"), max_length=100)
    version = models.CharField(_("版本号"), max_length=20, default="1.0")
    description = models.TextField(_("接口说明"), blank=True)
    method = models.CharField(_("请求方式"), max_length=8, choices=HttpMethod.choices, default=HttpMethod.GET)
    upstream_url = models.URLField(_("接口地址（政务外网）"), max_length=300)
    internet_url = models.CharField(_("互联网访问地址"), max_length=300, blank=True)
    status = models.CharField(_("资源状态"), max_length=16, choices=ResourceStatus.choices,
                              default=ResourceStatus.DRAFT, db_index=True)
    is_listed = models.BooleanField(_("已上架"), default=False)
    is_public = models.BooleanField(_("公开"), default=False, help_text=_("公开的接口可被其他单位订阅。"))
    rate_limit_count = models.PositiveIntegerField(_("限流次数"), default=100)
    rate_limit_seconds = models.PositiveIntegerField(_("限流周期（秒）"), default=60)
    rejection_reason = models.CharField(_("退回原因"), max_length=500, blank=True)
    health = models.CharField(_("运行状况"), max_length=16, choices=HealthStatus.choices,
                              default=HealthStatus.PENDING)
    health_checked_at = models.DateTimeField(_("检测时间"), null=True, blank=True)
    health_detail = models.CharField(_("检测结果"), max_length=500, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("创建人"), null=True,
                                   on_delete=models.SET_NULL, related_name="+")
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("提交人"), null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = ScopedQuerySet.as_manager()
    scope_organisation_field = "organisation"

    class Meta:
        verbose_name = _("接口资源")
        verbose_name_plural = _("接口资源")
        ordering = ["-created_at", "pk"]
        permissions = [("manage_interfaces", _("维护本单位接口资源")),
                       ("review_interfaces", _("审核接口资源、撤回与订阅"))]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("mobile:resource-detail", args=[self.pk])

    @property
    def provider(self) -> str:
        return self.organisation.name

    @property
    def is_callable(self) -> bool:
        return self.status == ResourceStatus.PUBLISHED and self.is_listed


class ReviewDecision(models.TextChoices):
    APPROVE = "approve", _("通过")
    REJECT = "reject", _("退回")


class InterfaceReview(models.Model):
    """One review of a resource's publication (APP-3.2): single or part of a batch."""

    resource = models.ForeignKey(InterfaceResource, verbose_name=_("接口资源"), on_delete=models.CASCADE,
                                 related_name="reviews")
    decision = models.CharField(_("审核结果"), max_length=8, choices=ReviewDecision.choices)
    reason = models.CharField(_("审核意见"), max_length=500, blank=True)
    batch = models.CharField(_("批次"), max_length=32, blank=True)
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("审核人"), null=True,
                                 on_delete=models.SET_NULL, related_name="+")
    reviewed_at = models.DateTimeField(_("审核时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("接口资源审核")
        verbose_name_plural = _("接口资源审核")
        ordering = ["-reviewed_at"]

    def __str__(self) -> str:
        return f"{self.resource_id} {self.get_decision_display()}"


class InterfaceTest(models.Model):
    """API 测试: one test call of a resource's upstream address (APP-3.7)."""

    resource = models.ForeignKey(InterfaceResource, verbose_name=_("接口资源"), on_delete=models.CASCADE,
                                 related_name="tests")
    ok = models.BooleanField(_("测试通过"))
    status_code = models.PositiveIntegerField(_("响应状态码"), null=True, blank=True)
    latency_ms = models.PositiveIntegerField(_("耗时（毫秒）"), default=0)
    detail = models.CharField(_("测试结果"), max_length=1000, blank=True)
    tested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("测试人"), null=True,
                                  on_delete=models.SET_NULL, related_name="+")
    tested_at = models.DateTimeField(_("测试时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("接口测试记录")
        verbose_name_plural = _("接口测试记录")
        ordering = ["-tested_at"]

    def __str__(self) -> str:
        return f"{self.resource_id} {'通过' if self.ok else '失败'}"


class RequestStatus(models.TextChoices):
    PENDING = "pending", _("待审核")
    APPROVED = "approved", _("已通过")
    REJECTED = "rejected", _("未通过")


class WithdrawalRequest(models.Model):
    """撤回申请 (APP-3.3): approval withdraws the resource and delists every app bound to it."""

    resource = models.ForeignKey(InterfaceResource, verbose_name=_("接口资源"), on_delete=models.CASCADE,
                                 related_name="withdrawals")
    reason = models.CharField(_("撤回原因"), max_length=500)
    status = models.CharField(_("状态"), max_length=16, choices=RequestStatus.choices, default=RequestStatus.PENDING)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("申请人"), null=True,
                                     on_delete=models.SET_NULL, related_name="+")
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("审核人"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    review_comment = models.CharField(_("审核意见"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("申请时间"), auto_now_add=True)
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_organisation_field = "resource__organisation"

    class Meta:
        verbose_name = _("接口撤回申请")
        verbose_name_plural = _("接口撤回申请")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.resource} {self.get_status_display()}"


class InterfaceSubscription(models.Model):
    """接口资源订阅 (APP-3.5): a unit asks to use a resource; usable through the gateway once approved."""

    organisation = models.ForeignKey("core.Organisation", verbose_name=_("订阅单位"), on_delete=models.PROTECT,
                                     related_name="mobile_subscriptions")
    resource = models.ForeignKey(InterfaceResource, verbose_name=_("接口资源"), on_delete=models.CASCADE,
                                 related_name="subscriptions")
    purpose = models.CharField(_("用途"), max_length=300, blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=RequestStatus.choices, default=RequestStatus.PENDING)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("申请人"), null=True,
                                     on_delete=models.SET_NULL, related_name="+")
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("审核人"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    review_comment = models.CharField(_("审核意见"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("申请时间"), auto_now_add=True)
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_organisation_field = "organisation"

    class Meta:
        verbose_name = _("接口订阅")
        verbose_name_plural = _("接口订阅")
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["organisation", "resource"],
                                               name="mobile_subscription_unique")]

    def __str__(self) -> str:
        return f"{self.organisation} → {self.resource}"


class LogModule(models.TextChoices):
    MANAGEMENT = "management", _("接口管理")
    CATEGORY = "category", _("接口类型")
    REVIEW = "review", _("接口审核")
    BINDING = "binding", _("接口绑定")
    APPLICATION = "application", _("接口申请")
    CONFIGURATION = "configuration", _("配置管理")


class InterfaceLog(models.Model):
    """统一日志 (APP-3.9): one operation on the interface modules, filterable by time, organisation,
    application and theme category."""

    module = models.CharField(_("模块"), max_length=16, choices=LogModule.choices, db_index=True)
    action = models.CharField(_("操作"), max_length=40)
    resource = models.ForeignKey(InterfaceResource, verbose_name=_("接口资源"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="logs")
    app = models.ForeignKey("mobile.MobileApp", verbose_name=_("应用"), null=True, blank=True,
                            on_delete=models.SET_NULL, related_name="interface_logs")
    organisation = models.ForeignKey("core.Organisation", verbose_name=_("单位"), null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    category = models.ForeignKey(InterfaceCategory, verbose_name=_("主题分类"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+")
    operator = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("操作人"), null=True,
                                 on_delete=models.SET_NULL, related_name="+")
    operator_name = models.CharField(_("操作人姓名"), max_length=64, blank=True)
    detail = models.CharField(_("详情"), max_length=500, blank=True)
    at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)

    objects = ScopedQuerySet.as_manager()
    scope_organisation_field = "organisation"

    class Meta:
        verbose_name = _("接口操作日志")
        verbose_name_plural = _("接口操作日志")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_module_display()} {self.action}"


class InterfaceCallDay(models.Model):
    """Gateway calls of one resource on one day (statistics APP-3.8/3.9, counted by the gateway)."""

    resource = models.ForeignKey(InterfaceResource, verbose_name=_("接口资源"), on_delete=models.CASCADE,
                                 related_name="call_days")
    day = models.DateField(_("日期"))
    calls = models.PositiveIntegerField(_("请求次数"), default=0)
    failures = models.PositiveIntegerField(_("异常次数"), default=0)

    class Meta:
        verbose_name = _("接口日调用量")
        verbose_name_plural = _("接口日调用量")
        ordering = ["-day"]
        constraints = [models.UniqueConstraint(fields=["resource", "day"], name="mobile_call_day_unique")]

    def __str__(self) -> str:
        return f"{self.resource_id} {self.day}"
