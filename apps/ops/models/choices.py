"""Choices shared by the ops models (安全运维)."""
from django.db import models
from django.utils.translation import gettext_lazy as _


class Severity(models.TextChoices):
    INFO = "info", _("信息")
    LOW = "low", _("低危")
    MEDIUM = "medium", _("中危")
    HIGH = "high", _("高危")
    CRITICAL = "critical", _("严重")


SEVERITY_RANK = {Severity.INFO: 0, Severity.LOW: 1, Severity.MEDIUM: 2, Severity.HIGH: 3, Severity.CRITICAL: 4}
HIGH_SEVERITIES = [Severity.HIGH, Severity.CRITICAL]


class Importance(models.TextChoices):
    LOW = "low", _("一般")
    MEDIUM = "medium", _("重要")
    HIGH = "high", _("核心")
