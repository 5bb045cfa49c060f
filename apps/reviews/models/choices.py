"""Enumerations shared by every reviews model (levels, objects, channels)."""
from django.db import models
from django.utils.translation import gettext_lazy as _


class EvaluationLevel(models.IntegerChoices):
    """The five national levels; 1 is best (REV-23.3.1). Stars = 6 − level (REV-19.3)."""

    VERY_SATISFIED = 1, _("非常满意")
    SATISFIED = 2, _("满意")
    BASICALLY_SATISFIED = 3, _("基本满意")
    DISSATISFIED = 4, _("不满意")
    VERY_DISSATISFIED = 5, _("非常不满意")


BAD_LEVELS = (EvaluationLevel.DISSATISFIED, EvaluationLevel.VERY_DISSATISFIED)
GOOD_LEVELS = (EvaluationLevel.VERY_SATISFIED, EvaluationLevel.SATISFIED)


class ObjectKind(models.TextChoices):
    CASE = "case", _("办件")
    MATTER = "matter", _("事项")
    SERVICE_GUIDE = "service_guide", _("办事指南")
    HALL = "hall", _("大厅")
    WINDOW = "window", _("窗口")
    STAFF = "staff", _("人员")


class EvaluationChannel(models.TextChoices):
    """The seven channels of REV-12.3 / 13.2.3."""

    PC = "pc", _("政务服务网")
    APP = "app", _("移动端")
    QR = "qr", _("二维码")
    HALL = "hall", _("实体大厅")
    SELF_SERVICE_TERMINAL = "self_service_terminal", _("自助终端")
    HOTLINE = "hotline", _("服务热线")
    SMS = "sms", _("短信")


class QrKind(models.TextChoices):
    STATIC = "static", _("静态二维码")
    DYNAMIC = "dynamic", _("动态二维码")


class EvaluationApiCategory(models.TextChoices):
    INDICATOR_FETCH = "indicator_fetch", _("评价指标实时获取")
    EVALUATION_UPLOAD = "evaluation_upload", _("评价数据实时上传")
    EVALUATION_DOWNLOAD = "evaluation_download", _("评价数据实时下载")
    FEEDBACK_UPLOAD = "feedback_upload", _("评价反馈实时上传")
