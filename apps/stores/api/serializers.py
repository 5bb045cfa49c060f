from rest_framework import serializers

from apps.stores.models import (
    EnterpriseMessage, FlagshipStore, KeywordAssociation, ProofListEntry, RecommendedMatter, StoreService, ZoneMatter,
)


class SmartSearchQuerySerializer(serializers.Serializer):
    q = serializers.CharField(max_length=100)
    region = serializers.CharField(max_length=12, required=False, allow_blank=True)
    page = serializers.IntegerField(min_value=1, required=False, default=1)


class GuideRowSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    implementation_code = serializers.CharField()
    region_code = serializers.CharField()
    region_name = serializers.CharField()
    implementing_body = serializers.CharField()
    matter_type_display = serializers.CharField()


class SmartSearchResultSerializer(serializers.Serializer):
    q = serializers.CharField()
    words = serializers.ListField(child=serializers.CharField(), help_text="自动分词结果")
    terms = serializers.ListField(child=serializers.CharField(), help_text="参与检索的词（去掉了“如何”“办理”等）")
    expansions = serializers.DictField(child=serializers.ListField(child=serializers.CharField()),
                                       help_text="关键字 → 同时检索的关联词")
    related = serializers.ListField(child=serializers.CharField(), help_text="相关搜索")
    region = serializers.CharField(allow_null=True)
    count = serializers.IntegerField()
    relaxed = serializers.BooleanField(help_text="没有同时包含全部词的事项时为 true，结果为包含任一词的事项")
    has_next = serializers.BooleanField()
    results = GuideRowSerializer(many=True)


class ZoneMatterSerializer(serializers.ModelSerializer):
    supplying_department = serializers.CharField(source="supplying_department.name")
    can_jump = serializers.BooleanField(read_only=True)
    guide_id = serializers.IntegerField(source="implementation_item_id", allow_null=True)

    class Meta:
        model = ZoneMatter
        fields = ["id", "zone", "name", "matter_code", "classification", "attribute_flags", "icon",
                  "is_identity_connected", "can_jump", "handling_url", "partner_province", "supplying_department",
                  "guide_id"]


class RecommendedMatterSerializer(serializers.ModelSerializer):
    guide_id = serializers.IntegerField(source="implementation_item_id")

    class Meta:
        model = RecommendedMatter
        fields = ["id", "matter_code", "name", "department_name", "order", "valid_from", "valid_to", "guide_id"]


class MatterLookupSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    implementation_code = serializers.CharField()
    name = serializers.CharField()
    implementing_body = serializers.CharField()
    region_name = serializers.CharField()
    matter_type = serializers.CharField()


class StoreServiceSerializer(serializers.ModelSerializer):
    class Meta:
        model = StoreService
        fields = ["id", "title", "description", "icon", "image_path", "handling_url", "matter_code",
                  "is_high_frequency", "enquiry_phone", "support_phone", "conditions", "notes", "auth_methods",
                  "min_real_name_level"]


class FlagshipStoreSerializer(serializers.ModelSerializer):
    region_code = serializers.CharField(source="region_id")
    template = serializers.CharField(source="template.name")

    class Meta:
        model = FlagshipStore
        fields = ["id", "slug", "level", "name", "title", "description", "banner_image", "icon", "region_code",
                  "template"]


class FlagshipStoreDetailSerializer(FlagshipStoreSerializer):
    services = serializers.SerializerMethodField()

    class Meta(FlagshipStoreSerializer.Meta):
        fields = [*FlagshipStoreSerializer.Meta.fields, "services"]

    def get_services(self, store) -> list[dict]:
        return StoreServiceSerializer(self.context["services"], many=True).data


class ProofListEntrySerializer(serializers.ModelSerializer):
    department = serializers.CharField(source="department.name")

    class Meta:
        model = ProofListEntry
        fields = ["id", "name", "status", "department", "basis", "notes", "decided_on"]


class KeywordAssociationSerializer(serializers.ModelSerializer):
    associated_words = serializers.ListField(child=serializers.CharField(max_length=40), allow_empty=True)

    class Meta:
        model = KeywordAssociation
        fields = ["id", "keyword", "associated_words", "is_enabled", "updated_at"]
        read_only_fields = ["updated_at"]


class EnterpriseMessageSerializer(serializers.ModelSerializer):
    class Meta:
        model = EnterpriseMessage
        fields = ["id", "kind", "title", "body", "link", "created_at", "read_at"]
