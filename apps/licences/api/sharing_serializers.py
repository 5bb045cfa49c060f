"""Serializers of the sharing interfaces (LIC-2.x, 5.x); names prefixed LicenceShare for a clean schema."""

from rest_framework import serializers


class LicenceShareTokenRequestSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=128)
    password = serializers.CharField(max_length=128)


class LicenceShareTokenSerializer(serializers.Serializer):
    token = serializers.CharField()
    expires_in = serializers.IntegerField()


class LicenceShareInfoSerializer(serializers.Serializer):
    licence_code = serializers.CharField()
    version = serializers.IntegerField()
    name = serializers.CharField()
    licence_number = serializers.CharField()
    type_code = serializers.CharField()
    licence_type = serializers.CharField()
    holder_name = serializers.CharField()
    holder_kind = serializers.CharField()
    issuer_name = serializers.CharField()
    issuer_code = serializers.CharField()
    issued_at = serializers.DateTimeField(allow_null=True)
    valid_from = serializers.DateField()
    valid_until = serializers.DateField(allow_null=True)
    status = serializers.CharField()


class LicenceShareInfoListSerializer(serializers.Serializer):
    licences = LicenceShareInfoSerializer(many=True)


class LicenceShareFileSerializer(serializers.Serializer):
    licence_code = serializers.CharField()
    content_type = serializers.CharField()
    content = serializers.CharField(help_text="Base64")


class LicenceShareFileListSerializer(serializers.Serializer):
    files = LicenceShareFileSerializer(many=True)


class LicenceShareVerifyRequestSerializer(serializers.Serializer):
    licence_number = serializers.CharField(max_length=64)
    type_code = serializers.CharField(max_length=21, required=False, allow_blank=True)
    licence_type = serializers.CharField(max_length=64, required=False, allow_blank=True)
    holder_name = serializers.CharField(max_length=128)
    holder_code = serializers.CharField(max_length=64, required=False, allow_blank=True)


class LicenceShareVerifySerializer(serializers.Serializer):
    result = serializers.ChoiceField(choices=["match", "mismatch", "not_found"])
    detail = serializers.CharField()
    licence_code = serializers.CharField(required=False)
    valid_until = serializers.DateField(required=False, allow_null=True)


class LicenceShareTypeSerializer(serializers.Serializer):
    type_code = serializers.CharField()
    name = serializers.CharField()
    licence_type = serializers.CharField()
    holder_kind = serializers.CharField()


class LicenceShareTypeListSerializer(serializers.Serializer):
    types = LicenceShareTypeSerializer(many=True)


class LicenceShareDetailSerializer(serializers.Serializer):
    detail = serializers.CharField()
