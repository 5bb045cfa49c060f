"""Choices shared by the matters models (事项枚举)."""
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.models import RegionLevel


class MatterStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PENDING_REVIEW = "pending_review", _("待审核")
    REJECTED = "rejected", _("驳回")
    PUBLISHED = "published", _("在用（已发布）")
    SUSPENDED = "suspended", _("暂停")
    CANCELLED = "cancelled", _("注销")


class MatterType(models.TextChoices):
    """事项类型代码, GB/T 39046-2020 Table A.1 (the national numeric codes)."""

    ADMINISTRATIVE_POWER = "00", _("行政权力事项")
    ADMINISTRATIVE_LICENSING = "01", _("行政许可")
    ADMINISTRATIVE_PENALTY = "02", _("行政处罚")
    ADMINISTRATIVE_COERCION = "03", _("行政强制")
    ADMINISTRATIVE_LEVY = "04", _("行政征收")
    ADMINISTRATIVE_PAYMENT = "05", _("行政给付")
    ADMINISTRATIVE_INSPECTION = "06", _("行政检查")
    ADMINISTRATIVE_CONFIRMATION = "07", _("行政确认")
    ADMINISTRATIVE_REWARD = "08", _("行政奖励")
    ADMINISTRATIVE_ADJUDICATION = "09", _("行政裁决")
    OTHER_POWER = "10", _("其他行政权力")
    PUBLIC_SERVICE = "20", _("公共服务事项")


class ExerciseLevel(models.TextChoices):
    """行使层级代码, GB/T 39046-2020 Table A.2."""

    NATIONAL = "1", _("国家级")
    PROVINCE = "2", _("省级")
    CITY = "3", _("市级")
    COUNTY = "4", _("县级")
    TOWNSHIP = "5", _("镇（乡、街道）级")
    VILLAGE = "6", _("村（社区）级")
    TIERED = "7", _("分级管理")


EXERCISE_LEVEL_OF_REGION = {
    RegionLevel.PROVINCE: ExerciseLevel.PROVINCE,
    RegionLevel.CITY: ExerciseLevel.CITY,
    RegionLevel.COUNTY: ExerciseLevel.COUNTY,
    RegionLevel.TOWNSHIP: ExerciseLevel.TOWNSHIP,
    RegionLevel.VILLAGE: ExerciseLevel.VILLAGE,
}


class ImplementingBodyNature(models.TextChoices):
    """实施主体性质代码, GB/T 39046-2020 Table A.3."""

    STATUTORY_AUTHORITY = "1", _("法定机关")
    AUTHORISED_ORGANISATION = "2", _("授权组织")
    ENTRUSTED_ORGANISATION = "3", _("受委托组织")
    OTHER = "9", _("其他")


class CaseType(models.TextChoices):
    IMMEDIATE = "immediate", _("即办件")
    COMMITTED = "committed", _("承诺件")


class CrossRegionScope(models.TextChoices):
    NONE = "", _("不通办")
    REGIONAL = "regional", _("区域通办")
    PROVINCE_WIDE = "province_wide", _("全省通办")
    CROSS_PROVINCE = "cross_province", _("跨省通办")


class HandlingForm(models.TextChoices):
    WINDOW = "window", _("窗口办理")
    ONLINE = "online", _("网上办理")
    WINDOW_AND_ONLINE = "window_and_online", _("窗口办理、网上办理")


class ChangeRoute(models.TextChoices):
    IMMEDIATE = "immediate", _("即时生效")
    ESCALATED = "escalated", _("逐级报法制办审核")


class ChangeRequestStatus(models.TextChoices):
    PENDING_REVIEW = "pending_review", _("待审核")
    APPROVED = "approved", _("审核通过")
    REJECTED = "rejected", _("驳回")
