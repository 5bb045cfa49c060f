"""API serializers of licences (names prefixed Licence/Seal to stay unique in the schema)."""

from rest_framework import serializers

from ..models import Seal


class SealVerifyRequestSerializer(serializers.Serializer):
    document = serializers.FileField(help_text="带电子签章的 OFD 文件")


class SealVerifyStepSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    status = serializers.CharField(help_text="ok / warn / fail / unverifiable / skipped")
    detail = serializers.CharField()


class SealVerifySignatureSerializer(serializers.Serializer):
    id = serializers.CharField()
    type = serializers.CharField()
    verdict = serializers.CharField()
    seal_name = serializers.CharField()
    es_id = serializers.CharField()
    signer = serializers.CharField()
    signing_time = serializers.CharField()
    failed_steps = serializers.ListField(child=serializers.CharField())
    steps = SealVerifyStepSerializer(many=True)


class SealVerifyReportSerializer(serializers.Serializer):
    verdict = serializers.CharField()
    unprotected = serializers.ListField(child=serializers.CharField())
    package_steps = SealVerifyStepSerializer(many=True)
    signatures = SealVerifySignatureSerializer(many=True)


class SealStatusSerializer(serializers.ModelSerializer):
    organisation = serializers.CharField(source="organisation.name")
    status = serializers.CharField(help_text="印章状态编码（SealStatus）")
    status_label = serializers.CharField(source="get_status_display")

    class Meta:
        model = Seal
        fields = ["es_id", "name", "organisation", "status", "status_label", "valid_until"]


class SealAutoSignRequestSerializer(serializers.Serializer):
    business = serializers.SlugField(help_text="业务编码（签章规则）")
    documents = serializers.ListField(child=serializers.FileField(), help_text="待签章的 OFD 文件（每批 1–50 个）")


class SealAutoSignedDocumentSerializer(serializers.Serializer):
    name = serializers.CharField()
    content = serializers.CharField(help_text="签章后的 OFD，Base64")


class SealAutoSignResponseSerializer(serializers.Serializer):
    documents = SealAutoSignedDocumentSerializer(many=True)


class LicenceSharedSerializer(serializers.Serializer):
    licence_code = serializers.CharField()
    version = serializers.IntegerField()
    name = serializers.CharField()
    licence_number = serializers.CharField()
    holder_name = serializers.CharField()
    issuer_code = serializers.CharField()
    valid_from = serializers.DateField()
    valid_until = serializers.DateField(allow_null=True)
    ofd = serializers.CharField(help_text="Base64 OFD")
