"""Serializers of the mobile API."""
from rest_framework import serializers

from apps.mobile.models import InterfaceResource, MobileApp


class ResourceSerializer(serializers.ModelSerializer):
    provider = serializers.CharField(source="organisation.name", read_only=True)
    category_name = serializers.CharField(source="category.name", read_only=True)

    class Meta:
        model = InterfaceResource
        fields = ["id", "code", "name", "provider", "version", "status", "category", "category_name", "method",
                  "upstream_url", "internet_url", "is_listed", "is_public", "rate_limit_count",
                  "rate_limit_seconds", "health", "rejection_reason", "created_at"]
        read_only_fields = ["status", "internet_url", "is_listed", "health", "rejection_reason", "created_at"]


class ReviewInputSerializer(serializers.Serializer):
    ids = serializers.ListField(child=serializers.IntegerField(), allow_empty=False)
    approve = serializers.BooleanField()
    reason = serializers.CharField(required=False, allow_blank=True, max_length=500)


class CountSerializer(serializers.Serializer):
    reviewed = serializers.IntegerField()


class AppSerializer(serializers.ModelSerializer):
    organisation_name = serializers.CharField(source="organisation.name", read_only=True)
    app_type_name = serializers.CharField(source="app_type.name", read_only=True)

    class Meta:
        model = MobileApp
        fields = ["id", "name", "identifier", "organisation_name", "app_type", "app_type_name", "app_form",
                  "encryption_method", "version", "url", "review_status", "listing_status", "listing_mode", "health",
                  "created_at"]
        read_only_fields = fields


class ChannelAppSerializer(serializers.Serializer):
    identifier = serializers.CharField()
    title = serializers.CharField()
    url = serializers.CharField(allow_blank=True)
    icon = serializers.CharField(allow_blank=True)
    app_type = serializers.CharField()
    organisation = serializers.CharField()
    maintenance = serializers.BooleanField(help_text="true：应用维护中，客户端显示维护提示而不打开应用")
    notice = serializers.CharField(allow_blank=True)


class UserInfoSerializer(serializers.Serializer):
    open_id = serializers.CharField()
    app_account = serializers.CharField(allow_blank=True)
    name = serializers.CharField()
    user_kind = serializers.CharField()
    real_name_level = serializers.IntegerField()
    mobile_number = serializers.CharField(allow_blank=True)
    region = serializers.CharField(allow_blank=True)


class BindAccountSerializer(serializers.Serializer):
    app_account = serializers.CharField(max_length=64)


class PushInputSerializer(serializers.Serializer):
    open_id = serializers.CharField(max_length=64)
    title = serializers.CharField(max_length=64)
    content = serializers.CharField(max_length=500)
    link = serializers.CharField(max_length=300, required=False, allow_blank=True)
    request_id = serializers.CharField(max_length=64)


class PushOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    request_id = serializers.CharField()
    created_at = serializers.DateTimeField()


class DurationSerializer(serializers.Serializer):
    seconds = serializers.IntegerField(min_value=1, max_value=86400, help_text="本次使用时长（秒）")
