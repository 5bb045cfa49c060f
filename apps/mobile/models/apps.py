"""Applications (应用, APP-4.x to APP-7, APP-9): the H5 apps onboarded into 全省事, their types,
components and permissions, interface bindings, reviews, anomalies, channels and visit counts."""
from __future__ import annotations

from django.conf import settings
from django.core.validators import FileExtensionValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.crypto import EncryptedTextField
from apps.core.scope import ScopedQuerySet

ICON_EXTENSIONS = ["png", "jpg", "jpeg", "svg", "webp"]
PACKAGE_EXTENSIONS = ["zip", "tar", "gz", "tgz", "rar", "7z"]
DOCUMENT_EXTENSIONS = ["pdf", "doc", "docx", "xls", "xlsx", "txt", "md", "zip"]


class AppType(models.Model):
    """应用类型 (APP-5.1): service field of an app, for classified statistics."""

    code = models.CharField(_("类型编码"), max_length=32, unique=True)
    name = models.CharField(_("类型名称"), max_length=64)
    sort_order = models.PositiveIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("应用类型")
        verbose_name_plural = _("应用类型")
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name


class ComponentKind(models.TextChoices):
    USER = "user", _("用户组件")
    DEVICE = "device", _("设备组件")
    PAGE = "page", _("页面组件")
    MESSAGE = "message", _("消息组件")
    PAYMENT = "payment", _("支付组件")
    UI = "ui", _("UI组件")


class Component(models.Model):
    """组件 (APP-2.x, APP-5.4): a platform capability apps may use; closed ones cannot be chosen."""

    code = models.SlugField(_("组件编码"), max_length=40, unique=True)
    name = models.CharField(_("组件名称"), max_length=64)
    kind = models.CharField(_("组件类别"), max_length=16, choices=ComponentKind.choices)
    is_open = models.BooleanField(_("对外开放"), default=True)
    description = models.TextField(_("说明"), blank=True)
    code_sample = models.TextField(_("代码示例"), blank=True)
    sort_order = models.PositiveIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("组件")
        verbose_name_plural = _("组件")
        ordering = ["sort_order", "code"]
        permissions = [("manage_components", _("维护组件及其开放状态"))]

    def __str__(self) -> str:
        return self.name


class Channel(models.Model):
    """输出渠道 (APP-9): APP, WeChat mini-program, Alipay mini-program..."""

    code = models.SlugField(_("渠道编码"), max_length=32, unique=True)
    name = models.CharField(_("渠道名称"), max_length=64)
    is_enabled = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("输出渠道")
        verbose_name_plural = _("输出渠道")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class EncryptionMethod(models.TextChoices):
    SM4 = "sm4", _("SM4-GCM 国密报文加密")
    AES256 = "aes256", _("AES-256-GCM 报文加密")
    TLS_ONLY = "tls", _("强制 HTTPS 传输加密")


class AppForm(models.TextChoices):
    H5 = "h5", _("H5 应用")
    MINI_PROGRAM = "mini_program", _("小程序")
    NATIVE = "native", _("原生集成")


class NetworkEnvironment(models.TextChoices):
    INTERNET = "internet", _("互联网")
    EXTRANET = "extranet", _("政务外网")
    BOTH = "both", _("互联网及政务外网")


class AppReviewStatus(models.TextChoices):
    DRAFT = "draft", _("待提交")
    PENDING = "pending", _("待审核")
    APPROVED = "approved", _("审核通过")
    REJECTED = "rejected", _("审核退回")


class ListingStatus(models.TextChoices):
    UNLISTED = "unlisted", _("未上架")
    LISTED = "listed", _("已上架")
    DELISTED = "delisted", _("已下架")


class ListingMode(models.TextChoices):
    MANUAL = "manual", _("手动维护")
    AUTOMATIC = "automatic", _("自动维护")


identifier_validator = RegexValidator(r"^[a-z][a-z0-9_.-]{2,63}$",
                                      _("应用标识以小写字母开头，只含小写字母、数字、点、下划线或连字符，3–64 位。"))


class MobileApp(models.Model):
    """应用 (APP-4.1): an H5 service onboarded into 全省事 by a unit's developer."""

    organisation = models.ForeignKey("core.Organisation", verbose_name=_("所属单位"), on_delete=models.PROTECT,
                                     related_name="mobile_apps")
    developer = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("开发者"), null=True,
                                  on_delete=models.SET_NULL, related_name="mobile_apps")
    name = models.CharField(_("应用名称"), max_length=64)
    identifier = models.CharField(_("应用标识"), max_length=64, unique=True, validators=[identifier_validator])
    app_type = models.ForeignKey(AppType, verbose_name=_("应用类型"), on_delete=models.PROTECT, related_name="apps")
    encryption_method = models.CharField(_("加密方式"), max_length=16, choices=EncryptionMethod.choices)
    app_form = models.CharField(_("应用形式"), max_length=16, choices=AppForm.choices)
    introduction = models.TextField(_("应用简介"), max_length=2000)
    icon = models.FileField(_("应用图标"), upload_to="mobile/icons/",
                            validators=[FileExtensionValidator(ICON_EXTENSIONS)])
    requires_login = models.BooleanField(_("需要登录用户验证"))
    requires_face = models.BooleanField(_("需要人脸识别验证"))
    unified_auth_integrated = models.BooleanField(_("已对接统一身份认证"))
    network_environment = models.CharField(_("运行网络环境"), max_length=16, choices=NetworkEnvironment.choices)
    source_package = models.FileField(_("源码包"), upload_to="mobile/packages/", blank=True,
                                      validators=[FileExtensionValidator(PACKAGE_EXTENSIONS)])
    test_report = models.FileField(_("版本检测报告"), upload_to="mobile/reports/", blank=True,
                                   validators=[FileExtensionValidator(DOCUMENT_EXTENSIONS)])
    requirements_document = models.FileField(_("需求文档"), upload_to="mobile/documents/", blank=True,
                                             validators=[FileExtensionValidator(DOCUMENT_EXTENSIONS)])
    url = models.URLField(_("应用地址"), max_length=300, blank=True)
    version = models.CharField(_("版本号"), max_length=20, default="1.0.0")
    display_title = models.CharField(_("展示标题"), max_length=64, blank=True)
    display_icon = models.FileField(_("展示图标"), upload_to="mobile/icons/", blank=True,
                                    validators=[FileExtensionValidator(ICON_EXTENSIONS)])
    review_status = models.CharField(_("审核状态"), max_length=16, choices=AppReviewStatus.choices,
                                     default=AppReviewStatus.DRAFT, db_index=True)
    listing_status = models.CharField(_("上架状态"), max_length=16, choices=ListingStatus.choices,
                                      default=ListingStatus.UNLISTED, db_index=True)
    listing_mode = models.CharField(_("上下架方式"), max_length=16, choices=ListingMode.choices,
                                    default=ListingMode.AUTOMATIC)
    delist_reason = models.CharField(_("下架原因"), max_length=300, blank=True)
    health = models.CharField(_("运行状况"), max_length=16, choices=[("pending", _("待检测")), ("healthy", _("正常")),
                                                               ("faulty", _("故障"))], default="pending")
    health_checked_at = models.DateTimeField(_("检测时间"), null=True, blank=True)
    key_digest = models.CharField(_("应用密钥摘要"), max_length=64, editable=False)
    transport_key = EncryptedTextField(_("报文加密密钥"), editable=False)
    channels = models.ManyToManyField(Channel, verbose_name=_("输出渠道"), blank=True, related_name="apps")
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = ScopedQuerySet.as_manager()
    scope_organisation_field = "organisation"

    class Meta:
        verbose_name = _("应用")
        verbose_name_plural = _("应用")
        ordering = ["-created_at", "pk"]
        permissions = [("develop_apps", _("创建和维护本单位应用")),
                       ("administer_apps", _("应用管理中心：审核、上下架、组件权限、监测"))]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("mobile:app-detail", args=[self.pk])

    @property
    def title(self) -> str:
        return self.display_title or self.name

    @property
    def has_source_package(self) -> bool:
        return bool(self.source_package)


class AppVersion(models.Model):
    """版本信息: one version of an app, recorded at creation and at each configuration upload."""

    app = models.ForeignKey(MobileApp, verbose_name=_("应用"), on_delete=models.CASCADE, related_name="versions")
    version = models.CharField(_("版本号"), max_length=20)
    note = models.CharField(_("版本说明"), max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("提交人"), null=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("提交时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("应用版本")
        verbose_name_plural = _("应用版本")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.app_id} {self.version}"


class AppComponentPermission(models.Model):
    """组件权限 (APP-5.2): whether an app may use a component; switched by admins."""

    app = models.ForeignKey(MobileApp, verbose_name=_("应用"), on_delete=models.CASCADE,
                            related_name="component_permissions")
    component = models.ForeignKey(Component, verbose_name=_("组件"), on_delete=models.CASCADE,
                                  related_name="permissions")
    enabled = models.BooleanField(_("启用"), default=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("应用组件权限")
        verbose_name_plural = _("应用组件权限")
        ordering = ["component__sort_order"]
        constraints = [models.UniqueConstraint(fields=["app", "component"], name="mobile_app_component_unique")]

    def __str__(self) -> str:
        return f"{self.app} · {self.component}"


class AppInterfaceBinding(models.Model):
    """接口绑定: an app's use of an interface resource (gateway calls need it and an approved subscription)."""

    app = models.ForeignKey(MobileApp, verbose_name=_("应用"), on_delete=models.CASCADE, related_name="bindings")
    resource = models.ForeignKey("mobile.InterfaceResource", verbose_name=_("接口资源"), on_delete=models.CASCADE,
                                 related_name="bindings")
    created_at = models.DateTimeField(_("绑定时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("应用接口绑定")
        verbose_name_plural = _("应用接口绑定")
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["app", "resource"], name="mobile_binding_unique")]

    def __str__(self) -> str:
        return f"{self.app} → {self.resource}"


class AppReview(models.Model):
    """应用审核 (APP-5.5): the detection report (connectivity, security, compatibility, stress) and decision."""

    app = models.ForeignKey(MobileApp, verbose_name=_("应用"), on_delete=models.CASCADE, related_name="reviews")
    url = models.CharField(_("检测地址"), max_length=300)
    connectivity_ok = models.BooleanField(_("连通性"), default=False)
    security_ok = models.BooleanField(_("安全性"), default=False)
    compatibility_ok = models.BooleanField(_("兼容性"), default=False)
    stress_ok = models.BooleanField(_("压力测试"), default=False)
    report = models.JSONField(_("检测报告"), default=dict)
    decision = models.CharField(_("审核结果"), max_length=16, blank=True,
                                choices=[("approve", _("通过")), ("reject", _("退回"))])
    comment = models.CharField(_("审核意见"), max_length=500, blank=True)
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("审核人"), null=True,
                                 on_delete=models.SET_NULL, related_name="+")
    detected_at = models.DateTimeField(_("检测时间"), auto_now_add=True)
    decided_at = models.DateTimeField(_("审核时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("应用审核")
        verbose_name_plural = _("应用审核")
        ordering = ["-detected_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.app} {self.detected_at:%Y-%m-%d %H:%M}"

    @property
    def all_passed(self) -> bool:
        return self.connectivity_ok and self.security_ok and self.compatibility_ok and self.stress_ok


class RiskCategory(models.TextChoices):
    UNREACHABLE = "unreachable", _("应用地址不可访问")
    INTERFACE_FAULT = "interface_fault", _("依赖接口故障")


class AnomalyStatus(models.TextChoices):
    FAULTY = "faulty", _("故障")
    PENDING = "pending", _("待检测")
    RESOLVED = "resolved", _("已恢复")


class AppAnomaly(models.Model):
    """应用异常 (APP-6.2, APP-7): a fault found by polling an app or the interfaces it uses."""

    app = models.ForeignKey(MobileApp, verbose_name=_("应用"), on_delete=models.CASCADE, related_name="anomalies")
    risk_category = models.CharField(_("风险类别"), max_length=24, choices=RiskCategory.choices)
    status = models.CharField(_("异常状态"), max_length=16, choices=AnomalyStatus.choices,
                              default=AnomalyStatus.FAULTY, db_index=True)
    detail = models.CharField(_("异常详情"), max_length=1000, blank=True)
    detected_at = models.DateTimeField(_("检测时间"), db_index=True)
    resolved_at = models.DateTimeField(_("恢复时间"), null=True, blank=True)
    notified_at = models.DateTimeField(_("通知时间"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_organisation_field = "app__organisation"

    class Meta:
        verbose_name = _("应用异常")
        verbose_name_plural = _("应用异常")
        ordering = ["-detected_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.app} {self.get_risk_category_display()}"


class AppVisitDay(models.Model):
    """Visits of one app on one day: app opens (channel API) and gateway calls (APP-6.1)."""

    app = models.ForeignKey(MobileApp, verbose_name=_("应用"), on_delete=models.CASCADE, related_name="visit_days")
    day = models.DateField(_("日期"))
    opens = models.PositiveIntegerField(_("打开次数"), default=0)
    gateway_calls = models.PositiveIntegerField(_("接口调用次数"), default=0)
    duration_seconds = models.PositiveBigIntegerField(_("使用时长（秒）"), default=0)

    class Meta:
        verbose_name = _("应用日访问量")
        verbose_name_plural = _("应用日访问量")
        ordering = ["-day"]
        constraints = [models.UniqueConstraint(fields=["app", "day"], name="mobile_visit_day_unique")]

    def __str__(self) -> str:
        return f"{self.app_id} {self.day}"


class UserBinding(models.Model):
    """用户绑定 (APP-2.1): the platform's unified user as seen by one app (a stable per-app open id)."""

    app = models.ForeignKey(MobileApp, verbose_name=_("应用"), on_delete=models.CASCADE, related_name="user_bindings")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("统一用户"), on_delete=models.CASCADE,
                             related_name="mobile_bindings")
    open_id = models.CharField(_("应用内用户标识"), max_length=64, unique=True)
    app_account = models.CharField(_("应用账号"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("绑定时间"), auto_now_add=True)
    last_seen_at = models.DateTimeField(_("最近访问"), auto_now=True)

    class Meta:
        verbose_name = _("用户绑定")
        verbose_name_plural = _("用户绑定")
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["app", "user"], name="mobile_user_binding_unique")]

    def __str__(self) -> str:
        return f"{self.app} · {self.open_id}"


class PushMessage(models.Model):
    """消息组件 (APP-2.4): a message an app pushes to one user, delivered through the outbox."""

    app = models.ForeignKey(MobileApp, verbose_name=_("应用"), on_delete=models.CASCADE, related_name="messages")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("接收用户"), on_delete=models.CASCADE,
                             related_name="mobile_messages")
    title = models.CharField(_("标题"), max_length=64)
    content = models.CharField(_("内容"), max_length=500)
    link = models.CharField(_("跳转地址"), max_length=300, blank=True)
    request_id = models.CharField(_("请求编号"), max_length=64)
    delivered_at = models.DateTimeField(_("送达时间"), null=True, blank=True)
    read_at = models.DateTimeField(_("阅读时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("推送消息")
        verbose_name_plural = _("推送消息")
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["app", "request_id"], name="mobile_push_idempotent")]

    def __str__(self) -> str:
        return self.title
