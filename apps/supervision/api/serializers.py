"""Serializers of the supervision API (names prefixed Complaint… to stay unique in the schema)."""
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from apps.core.crypto import mask_mobile

from apps.supervision.models import (
    Complaint,
    ComplaintKind,
    ComplaintSource,
    ComplaintStatus,
)


@extend_schema_field(OpenApiTypes.STR)
class ComplaintLabelField(serializers.Field):
    """A choice's label from a dict built once per serializer: a to-do page of 20 rows would otherwise
    call get_FOO_display (signature inspection + a translation lookup) 60 times."""

    def __init__(self, choices, **kwargs):
        self.choices = choices
        super().__init__(read_only=True, **kwargs)

    def bind(self, field_name, parent):
        super().bind(field_name, parent)
        self.labels = {value: str(label) for value, label in self.choices}

    def to_representation(self, value):
        return self.labels.get(value, value)


class ComplaintListSerializer(serializers.ModelSerializer):
    # plain strings (the *_display fields carry the labels): no enum-name collisions in the schema
    source = serializers.CharField(read_only=True)
    kind = serializers.CharField(read_only=True)
    status = serializers.CharField(read_only=True)
    source_display = ComplaintLabelField(ComplaintSource.choices, source="source")
    status_display = ComplaintLabelField(ComplaintStatus.choices, source="status")
    kind_display = ComplaintLabelField(ComplaintKind.choices, source="kind")
    department_name = serializers.CharField(source="department.name", default="", read_only=True)
    region_name = serializers.CharField(source="region.name", read_only=True)
    mobile = serializers.CharField(source="masked_mobile", read_only=True)

    class Meta:
        model = Complaint
        fields = ["id", "case_number", "title", "source", "source_display", "kind", "kind_display", "status",
                  "status_display", "department_name", "region_name", "complainant_name", "mobile", "email",
                  "submitted_at", "deadline", "item_code", "item_name"]


_CHOICES = (("source", ComplaintSource.choices), ("kind", ComplaintKind.choices), ("status", ComplaintStatus.choices))
COMPLAINT_LIST_VALUES = ("id", "case_number", "title", "source", "kind", "status", "department__name", "region__name",
                         "complainant_name", "complainant_mobile", "email", "submitted_at", "deadline", "item_code",
                         "item_name")


def complaint_list_rows(values) -> list[dict]:
    """The to-do list's rows, exactly as ComplaintListSerializer renders them (a test holds the two
    together), from `queryset.values(*COMPLAINT_LIST_VALUES)`: on a 20-row page DRF's per-field
    machinery and the model instances cost more than the queries (docs/supervision-bench.md).
    Labels are translated once per page and times formatted as DRF's DateTimeField does (ISO 8601
    in the current time zone, "Z" for UTC)."""
    labels = {field: {value: str(label) for value, label in choices} for field, choices in _CHOICES}
    zone = timezone.get_current_timezone()
    return [_complaint_row(row, labels, zone) for row in values]


def _moment(value, zone):
    if value is None:
        return None
    text = value.astimezone(zone).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def _complaint_row(row: dict, labels: dict, zone) -> dict:
    return {
        "id": row["id"], "case_number": row["case_number"], "title": row["title"],
        "source": row["source"], "source_display": labels["source"].get(row["source"], row["source"]),
        "kind": row["kind"], "kind_display": labels["kind"].get(row["kind"], row["kind"]),
        "status": row["status"], "status_display": labels["status"].get(row["status"], row["status"]),
        "department_name": row["department__name"] or "", "region_name": row["region__name"],
        "complainant_name": row["complainant_name"], "mobile": mask_mobile(row["complainant_mobile"]),
        "email": row["email"], "submitted_at": _moment(row["submitted_at"], zone),
        "deadline": _moment(row["deadline"], zone), "item_code": row["item_code"], "item_name": row["item_name"],
    }


class ComplaintDetailSerializer(ComplaintListSerializer):
    class Meta(ComplaintListSerializer.Meta):
        fields = ComplaintListSerializer.Meta.fields + ["content", "query_code", "result", "replied_at",
                                                        "business_key"]


class ComplaintFileSerializer(serializers.Serializer):
    """What a citizen sends to file a provincial complaint."""

    kind = serializers.CharField(max_length=24, help_text="complaint | consultation | suggestion")
    title = serializers.CharField(max_length=200)
    content = serializers.CharField(max_length=4000)
    complainant_name = serializers.CharField(max_length=64)
    complainant_mobile = serializers.CharField(max_length=11)
    email = serializers.EmailField(required=False, allow_blank=True)
    region_code = serializers.CharField(max_length=12)
    department_id = serializers.IntegerField(required=False, allow_null=True)
    item_code = serializers.CharField(max_length=64, required=False, allow_blank=True)
    item_name = serializers.CharField(max_length=200, required=False, allow_blank=True)


class ComplaintFiledSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    case_number = serializers.CharField()
    query_code = serializers.CharField()
    status = serializers.CharField()


class ComplaintStepSerializer(serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, max_length=4000)
    department_id = serializers.IntegerField(required=False, allow_null=True)


class ComplaintLookupSerializer(serializers.Serializer):
    case_number = serializers.CharField(max_length=40)
    query_code = serializers.CharField(max_length=12)
