"""Public matter-guide serializers (explicit fields for drf-spectacular)."""
from rest_framework import serializers

from apps.matters.models import ApplicationMaterial, FeeItem, ImplementationItem, ProcessStep, Situation


class GuideListSerializer(serializers.ModelSerializer):
    matter_type_display = serializers.CharField(source="get_matter_type_display", read_only=True)
    region_code = serializers.CharField(source="region_id", read_only=True)
    region_name = serializers.CharField(source="region.name", read_only=True)
    department = serializers.CharField(source="handling_department.name", read_only=True)
    implementing_body = serializers.CharField(source="implementing_body.name", read_only=True)

    class Meta:
        model = ImplementationItem
        fields = ["id", "name", "implementation_code", "basic_code", "matter_type", "matter_type_display",
                  "region_code", "region_name", "department", "implementing_body", "theme", "is_immediate",
                  "statutory_limit_working_days", "committed_limit_working_days", "online_handling_url", "version"]


class MaterialSerializer(serializers.ModelSerializer):
    class Meta:
        model = ApplicationMaterial
        fields = ["name", "is_required", "original_copies", "photocopy_copies", "source", "is_proof", "situation"]


class StepSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProcessStep
        fields = ["name", "is_acceptance", "step_limit_working_days", "description"]


class FeeSerializer(serializers.ModelSerializer):
    class Meta:
        model = FeeItem
        fields = ["name", "amount_fen", "basis"]


class SituationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Situation
        fields = ["id", "name", "conditions"]


class GuideDetailSerializer(GuideListSerializer):
    materials = MaterialSerializer(many=True, read_only=True)
    steps = StepSerializer(many=True, read_only=True)
    fees = FeeSerializer(many=True, read_only=True)
    situations = SituationSerializer(many=True, read_only=True)
    handling_form_display = serializers.CharField(source="get_handling_form_display", read_only=True)

    class Meta(GuideListSerializer.Meta):
        fields = GuideListSerializer.Meta.fields + [
            "legal_basis", "acceptance_conditions", "handling_location", "handling_hours", "consultation_phone",
            "supervision_phone", "handling_form", "handling_form_display", "is_charged", "fee_standard",
            "fee_basis", "result_name", "quantity_limit", "service_targets", "cross_region_scope",
            "supports_appointment", "supports_online_payment", "supports_express_delivery", "faq",
            "handling_process", "materials", "steps", "fees", "situations"]
