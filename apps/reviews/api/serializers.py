"""Serializers of the reviews API (names prefixed with Review/Evaluation for a unique schema)."""
from rest_framework import serializers

from apps.reviews.models import Evaluation, EvaluationIndicator, EvaluationTag, SensitiveWord


class EvaluationIndicatorSerializer(serializers.ModelSerializer):
    object_kind = serializers.CharField(read_only=True)
    channel = serializers.CharField(read_only=True)
    level = serializers.IntegerField(read_only=True)
    aspect = serializers.CharField(read_only=True)
    source = serializers.CharField(read_only=True)

    class Meta:
        model = EvaluationIndicator
        fields = ["id", "object_kind", "channel", "level", "name", "aspect", "national_code", "source"]


class EvaluationTagSerializer(serializers.ModelSerializer):
    object_kind = serializers.CharField(read_only=True)
    level = serializers.IntegerField(read_only=True)

    class Meta:
        model = EvaluationTag
        fields = ["id", "object_kind", "level", "name", "national_code", "description"]


class ReviewImpressionSetSerializer(serializers.Serializer):
    """The convenient impression dimensions of one object kind on one channel (REV-23.2)."""

    object_kind = serializers.CharField()
    channel = serializers.CharField()
    dimensions = serializers.ListField(child=serializers.CharField())
    values = serializers.ListField(child=serializers.CharField())


class ReviewIndicatorSetSerializer(serializers.Serializer):
    indicators = EvaluationIndicatorSerializer(many=True)
    tags = EvaluationTagSerializer(many=True)
    impressions = ReviewImpressionSetSerializer(many=True)


class EvaluationUploadItemSerializer(serializers.Serializer):
    """One evaluation uploaded by an integrator (the level is checked by the service)."""

    external_id = serializers.CharField(max_length=64)
    object_kind = serializers.CharField(max_length=16)
    level = serializers.JSONField()
    tags = serializers.ListField(child=serializers.CharField(max_length=64), required=False, default=list)
    indicators = serializers.ListField(child=serializers.CharField(max_length=128), required=False, default=list)
    comment = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="")
    case_number = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")
    matter_code = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")
    hall_number = serializers.CharField(max_length=32, required=False, allow_blank=True, default="")
    window_number = serializers.CharField(max_length=16, required=False, allow_blank=True, default="")
    staff_number = serializers.CharField(max_length=32, required=False, allow_blank=True, default="")
    evaluator_name = serializers.CharField(max_length=64, required=False, allow_blank=True, default="")
    evaluator_id_number = serializers.CharField(
        max_length=18, required=False, allow_blank=True, default="", write_only=True,
        help_text="评价人身份证号码（可选）：仅用于生成国家好差评 certKey 散列值，平台不保存")
    is_anonymous = serializers.BooleanField(required=False, default=False)
    evaluated_at = serializers.DateTimeField(required=False, allow_null=True, default=None)


class EvaluationUploadSerializer(serializers.Serializer):
    evaluations = EvaluationUploadItemSerializer(many=True)


class EvaluationUploadResultSerializer(serializers.Serializer):
    accepted = serializers.IntegerField()
    evaluation_numbers = serializers.ListField(child=serializers.CharField())


class EvaluationPublicSerializer(serializers.ModelSerializer):
    """What integrators and departments may see: no evaluator identity (REV-23.8)."""

    object_kind = serializers.CharField(read_only=True)
    channel = serializers.CharField(read_only=True)
    level = serializers.IntegerField(read_only=True)
    level_name = serializers.CharField(source="get_level_display")
    case_number = serializers.CharField(source="case.case_number", default="")
    matter_code = serializers.CharField(source="matter.implementation_code", default="")

    class Meta:
        model = Evaluation
        fields = ["evaluation_number", "external_id", "object_kind", "channel", "level", "level_name", "tags",
                  "comment", "case_number", "matter_code", "region", "is_default", "is_valid", "hotline_status",
                  "feedback", "evaluated_at"]


class EvaluationFeedbackSerializer(serializers.Serializer):
    evaluation_number = serializers.CharField(max_length=32)
    feedback = serializers.CharField(max_length=1000)


class EvaluationCitizenSubmitSerializer(serializers.Serializer):
    """The app's evaluation of one of the user's concluded cases (REV-17.x)."""

    case_number = serializers.CharField(max_length=50)
    level = serializers.JSONField()
    tags = serializers.ListField(child=serializers.CharField(max_length=64), required=False, default=list)
    indicators = serializers.ListField(child=serializers.CharField(max_length=128), required=False, default=list,
                                       help_text="印象评价，如 “办事效率:好”")
    comment = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="")
    is_anonymous = serializers.BooleanField(required=False, default=False)


class EvaluationMineSerializer(serializers.ModelSerializer):
    object_kind = serializers.CharField(read_only=True)
    channel = serializers.CharField(read_only=True)
    level = serializers.IntegerField(read_only=True)
    level_name = serializers.CharField(source="get_level_display")
    matter_name = serializers.CharField(source="matter.name", default="")

    class Meta:
        model = Evaluation
        fields = ["evaluation_number", "object_kind", "channel", "level", "level_name", "tags", "indicators",
                  "comment", "matter_name", "is_default", "evaluated_at"]


class HotlineVerificationSerializer(serializers.Serializer):
    result = serializers.CharField(max_length=500)


class ReviewSensitiveWordSerializer(serializers.ModelSerializer):
    class Meta:
        model = SensitiveWord
        fields = ["id", "word", "created_at"]
        read_only_fields = ["created_at"]
