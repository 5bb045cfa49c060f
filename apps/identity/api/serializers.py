"""Serializers of the identity API: explicit fields, numbers always masked."""
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from apps.identity.models import SystemAccessRequest, TargetSystem, User, UserKind


@extend_schema_field({"type": "string", "enum": UserKind.values,
                      "description": "用户类型：staff 政务工作人员 / natural_person 自然人 / legal_person 法人"})
class UserKindField(serializers.CharField):
    """Inline enum: a component named after the field ("kind") would collide with other apps' kinds."""


class OrganisationRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)
    region_code = serializers.CharField(source="region_id", read_only=True)


class RoleRefSerializer(serializers.Serializer):
    code = serializers.CharField(read_only=True)
    name = serializers.CharField(read_only=True)


class UserSerializer(serializers.ModelSerializer):
    """A user as a list or detail shows it: mobile and ID numbers masked."""

    organisation = OrganisationRefSerializer(read_only=True, allow_null=True)
    roles = RoleRefSerializer(many=True, read_only=True)
    kind = UserKindField(read_only=True)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    mobile_number = serializers.CharField(source="masked_mobile_number", read_only=True,
                                          help_text=_("脱敏手机号码，如 138****5678"))
    id_number = serializers.CharField(source="masked_id_number", read_only=True,
                                      help_text=_("脱敏证件号码，如 2301**********1234"))

    class Meta:
        model = User
        fields = ["id", "username", "full_name", "kind", "kind_display", "organisation", "email", "telephone",
                  "mobile_number", "id_number", "roles", "remarks", "is_active"]
        read_only_fields = fields


class MeSerializer(UserSerializer):
    permissions = serializers.SerializerMethodField()
    is_system_admin = serializers.BooleanField(read_only=True)

    class Meta(UserSerializer.Meta):
        fields = [*UserSerializer.Meta.fields, "real_name_level", "is_system_admin", "permissions"]
        read_only_fields = fields

    def get_permissions(self, obj) -> list[str]:
        return sorted(obj.get_all_permissions())


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField()
    password = serializers.CharField(style={"input_type": "password"}, trim_whitespace=False)


class TokenResponseSerializer(serializers.Serializer):
    token = serializers.CharField()
    user = MeSerializer()


class ApplicantSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    username = serializers.CharField(read_only=True)
    full_name = serializers.CharField(read_only=True)
    organisation = serializers.CharField(source="organisation.name", read_only=True, default="")


class AccessRequestSerializer(serializers.ModelSerializer):
    applicant = ApplicantSerializer(read_only=True)
    reviewer = ApplicantSerializer(read_only=True, allow_null=True)
    system_display = serializers.CharField(source="get_system_display", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = SystemAccessRequest
        fields = ["id", "applicant", "system", "system_display", "reason", "status", "status_display", "reviewer",
                  "decided_at", "comment", "created_at"]
        read_only_fields = fields


class AccessRequestCreateSerializer(serializers.Serializer):
    system = serializers.ChoiceField(choices=TargetSystem.choices)
    reason = serializers.CharField(max_length=1000)


class DecisionSerializer(serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, default="",
                                    help_text=_("审核意见；驳回时必填"))
