"""The platform's one User model (staff, natural persons, legal persons) and staff roles."""
from __future__ import annotations

from django.contrib.auth.models import AbstractUser, Permission, UserManager
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.crypto import (
    EncryptedTextField,
    SensitiveFieldsMixin,
    keyed_digest,
    mask_id_number,
    mask_mobile,
)
from apps.core.models import Organisation, Region
from apps.core.scope import ScopedQuerySet
from apps.core.validators import validate_credit_code

REVIEW_ACCESS_REQUEST_PERMISSION = "identity.review_systemaccessrequest"


class UserKind(models.TextChoices):
    STAFF = "staff", _("政务工作人员")
    NATURAL_PERSON = "natural_person", _("自然人")
    LEGAL_PERSON = "legal_person", _("法人")


class IdType(models.TextChoices):
    """Identity document types accepted at registration (证件类型)."""

    RESIDENT_ID = "resident_id", _("居民身份证")
    PASSPORT = "passport", _("护照")
    HK_MACAU_PERMIT = "hk_macau_permit", _("港澳居民来往内地通行证")
    TAIWAN_PERMIT = "taiwan_permit", _("台湾居民来往大陆通行证")
    FOREIGN_RESIDENCE = "foreign_residence", _("外国人永久居留身份证")


EXIT_ENTRY_ID_TYPES = (IdType.PASSPORT, IdType.HK_MACAU_PERMIT, IdType.TAIWAN_PERMIT, IdType.FOREIGN_RESIDENCE)


class RealNameLevel(models.IntegerChoices):
    """Real-name authentication levels (实名等级), see docs/decisions/0201-identity-real-name-levels.md."""

    NONE = 0, _("未实名")
    BASIC = 1, _("一级（基本实名）")
    VERIFIED = 2, _("二级（实名核验）")
    STRONG = 3, _("三级（强实名）")


class EnterpriseType(models.TextChoices):
    """Legal-person kinds; each is checked by its own registry (IDN-1.8.2)."""

    ENTERPRISE = "enterprise", _("企业")
    INDIVIDUAL_BUSINESS = "individual_business", _("个体工商户")
    PUBLIC_INSTITUTION = "public_institution", _("事业单位")
    SOCIAL_ORGANISATION = "social_organisation", _("社会组织")


class ReviewStatus(models.TextChoices):
    NOT_REQUIRED = "not_required", _("无需审核")
    PENDING = "pending", _("待审核")
    APPROVED = "approved", _("审核通过")
    REJECTED = "rejected", _("审核不通过")


class RegistrationChannel(models.TextChoices):
    PC = "pc", _("网站")
    APP = "app", _("全省事APP")
    MINI_PROGRAM = "mini_program", _("微信小程序")
    STAFF_ADMIN = "admin", _("管理员创建")


class RoleCode(models.TextChoices):
    """Well-known role codes that code refers to; admins may add other roles."""

    SYSTEM_ADMIN = "system_admin", _("系统管理员")
    REVIEWER = "reviewer", _("审核人员")
    PERMISSION_ADMIN = "permission_admin", _("权限管理员")
    HANDLER = "handler", _("经办人")
    CHECKER = "checker", _("检查人员")
    WINDOW_STAFF = "window_staff", _("窗口人员")
    HALL_ADMIN = "hall_admin", _("大厅管理员")


class Role(models.Model):
    """A named permission set given to staff users (角色)."""

    code = models.SlugField(_("角色编码"), max_length=64, unique=True)
    name = models.CharField(_("角色名称"), max_length=64)
    description = models.TextField(_("说明"), blank=True)
    permissions = models.ManyToManyField(Permission, verbose_name=_("权限"), blank=True, related_name="roles")

    class Meta:
        verbose_name = _("角色")
        verbose_name_plural = _("角色")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class UserQuerySet(ScopedQuerySet):
    def with_mobile_number(self, mobile_number: str) -> UserQuerySet:
        return self.filter(mobile_number_digest=keyed_digest(mobile_number))

    def with_id_number(self, id_number: str) -> UserQuerySet:
        return self.filter(id_number_digest=keyed_digest(id_number))


class PlatformUserManager(UserManager.from_queryset(UserQuerySet)):
    pass


class User(SensitiveFieldsMixin, AbstractUser):
    """One account of one kind. Staff belong to an organisation and have roles; natural and
    legal persons are public users identified by ID number or USCC."""

    kind = models.CharField(_("用户类型"), max_length=20, choices=UserKind.choices, default=UserKind.NATURAL_PERSON,
                            db_index=True)
    full_name = models.CharField(_("姓名"), max_length=64, blank=True)
    organisation = models.ForeignKey(Organisation, verbose_name=_("归属部门"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="staff")
    roles = models.ManyToManyField(Role, verbose_name=_("用户角色"), blank=True, related_name="users")
    telephone = models.CharField(_("电话"), max_length=32, blank=True)
    mobile_number = EncryptedTextField(_("手机号码"), digest_field="mobile_number_digest")
    mobile_number_digest = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    id_number = EncryptedTextField(_("证件号码"), digest_field="id_number_digest")
    id_number_digest = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    credit_code = models.CharField(_("统一社会信用代码"), max_length=18, blank=True, validators=[validate_credit_code])
    home_region = models.ForeignKey(Region, verbose_name=_("归属区划"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    real_name_level = models.PositiveSmallIntegerField(_("实名等级"), default=0, choices=RealNameLevel.choices,
                                                       db_index=True)
    id_type = models.CharField(_("证件类型"), max_length=24, choices=IdType.choices, blank=True)
    id_valid_from = models.DateField(_("证件有效期起"), null=True, blank=True)
    id_valid_to = models.DateField(_("证件有效期止"), null=True, blank=True, help_text=_("长期有效留空"))
    enterprise_type = models.CharField(_("法人类型"), max_length=24, choices=EnterpriseType.choices, blank=True)
    legal_representative = models.CharField(_("法定代表人"), max_length=64, blank=True)
    is_temporary_legal_person = models.BooleanField(_("临时法人"), default=False, db_index=True)
    credit_code_locked = models.BooleanField(_("信用代码已锁定"), default=False)
    review_status = models.CharField(_("审核状态"), max_length=16, choices=ReviewStatus.choices,
                                     default=ReviewStatus.NOT_REQUIRED, db_index=True)
    registration_channel = models.CharField(_("注册渠道"), max_length=16, choices=RegistrationChannel.choices,
                                            default=RegistrationChannel.STAFF_ADMIN)
    remarks = models.TextField(_("备注"), blank=True)
    sort_order = models.PositiveIntegerField(_("排序"), default=0)
    password_must_change = models.BooleanField(
        _("须修改密码"), default=False, help_text=_("密码被管理员初始化后，下次登录须先修改密码（MAT-7.6）"))
    # Soft delete (IDN-13.6): the row stays for audit and foreign keys; the account is inactive and
    # hidden from user management.
    deleted_at = models.DateTimeField(_("删除时间"), null=True, blank=True, editable=False, db_index=True)

    objects = PlatformUserManager()

    scope_organisation_field = "organisation"

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")
        permissions = [("authorise_user", _("可以为用户授权（分配角色与权限）")),
                       ("review_registration", _("可以审核注册用户")),
                       ("reset_password", _("可以初始化用户登录密码"))]
        indexes = [
            models.Index(fields=["organisation", "kind"], name="identity_user_org_kind_idx"),
            models.Index(fields=["full_name"], name="identity_user_full_name_idx"),
            models.Index(fields=["credit_code"], name="identity_user_credit_code_idx"),
            models.Index(fields=["kind", "home_region"], name="identity_user_kind_region_idx"),
            # daily user counts (PORTAL-7.8): registrations of a kind in a date range
            models.Index(fields=["kind", "date_joined"], name="identity_user_kind_joined_idx"),
        ]

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def is_staff_user(self) -> bool:
        return self.kind == UserKind.STAFF

    @property
    def role_codes(self) -> set[str]:
        if not self.pk:
            return set()
        from apps.identity.access import access_profile

        return access_profile(self, "roles")["roles"]

    @property
    def is_system_admin(self) -> bool:
        return self.is_superuser or RoleCode.SYSTEM_ADMIN in self.role_codes

    def has_role(self, code: str) -> bool:
        return code in self.role_codes

    @property
    def masked_mobile_number(self) -> str:
        return mask_mobile(self.mobile_number)

    @property
    def masked_id_number(self) -> str:
        return mask_id_number(self.id_number)


class TargetSystem(models.TextChoices):
    """Other systems a registered staff user may ask to use (PORTAL-9.3)."""

    DATA_SHARING = "data_sharing", _("数据资源共享系统")
    MATTER_MANAGEMENT = "matter_management", _("黑龙江省政务服务事项管理平台")


class AccessRequestStatus(models.TextChoices):
    PENDING_REVIEW = "pending_review", _("待审核")
    APPROVED = "approved", _("审核通过")
    REJECTED = "rejected", _("驳回")


class SystemAccessRequestQuerySet(ScopedQuerySet):
    def pending(self) -> SystemAccessRequestQuerySet:
        return self.filter(status=AccessRequestStatus.PENDING_REVIEW)


class SystemAccessRequest(models.Model):
    """A staff user's application for access to another system (系统访问权限申请, PORTAL-9.3).

    pending_review → approved | rejected; every transition is recorded in the kernel's
    workflow history. An approved request is the user's grant to that system."""

    applicant = models.ForeignKey(User, verbose_name=_("申请人"), on_delete=models.PROTECT,
                                  related_name="access_requests")
    system = models.CharField(_("申请系统"), max_length=32, choices=TargetSystem.choices)
    reason = models.TextField(_("申请理由"))
    status = models.CharField(_("状态"), max_length=20, choices=AccessRequestStatus.choices,
                              default=AccessRequestStatus.PENDING_REVIEW, db_index=True)
    reviewer = models.ForeignKey(User, verbose_name=_("审核人"), null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="reviewed_access_requests")
    decided_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    comment = models.TextField(_("审核意见"), blank=True)
    created_at = models.DateTimeField(_("申请时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = SystemAccessRequestQuerySet.as_manager()

    scope_organisation_field = "applicant__organisation"
    scope_owner_field = "applicant"

    class Meta:
        verbose_name = _("系统访问权限申请")
        verbose_name_plural = _("系统访问权限申请")
        ordering = ["-created_at", "-id"]
        permissions = [("review_systemaccessrequest", _("可以审核系统访问权限申请"))]
        constraints = [
            models.UniqueConstraint(fields=["applicant", "system"], condition=models.Q(status="pending_review"),
                                    name="identity_one_pending_access_request"),
        ]
        indexes = [models.Index(fields=["status", "created_at"], name="identity_accessreq_status_idx")]

    def __str__(self) -> str:
        return f"{self.applicant} · {self.get_system_display()}"
