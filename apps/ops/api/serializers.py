from rest_framework import serializers

from apps.ops.models import Alert, IndicatorKind, Severity, ThreatIndicator, WorkOrder


class AlertSerializer(serializers.ModelSerializer):
    asset_name = serializers.CharField(source="asset.name", default=None, read_only=True)

    class Meta:
        model = Alert
        fields = ["id", "title", "origin", "category", "severity", "direction", "outcome", "status", "source_ip",
                  "destination_ip", "rule_name", "asset_name", "count", "first_seen_at", "last_seen_at"]


class WorkOrderSerializer(serializers.ModelSerializer):
    owner = serializers.CharField(source="owner.username", read_only=True)
    creator = serializers.CharField(source="creator.username", read_only=True)

    class Meta:
        model = WorkOrder
        fields = ["id", "number", "title", "subject", "priority", "status", "owner", "creator", "due_at",
                  "created_at", "handled_at", "closed_at", "resolution"]


class WorkOrderHandleSerializer(serializers.Serializer):
    resolution = serializers.CharField(max_length=4000)


class ThreatIndicatorSerializer(serializers.ModelSerializer):
    kind = serializers.ChoiceField(choices=IndicatorKind.choices)
    severity = serializers.ChoiceField(choices=Severity.choices, default=Severity.HIGH)

    class Meta:
        model = ThreatIndicator
        fields = ["id", "kind", "value", "severity", "is_compromise", "description", "is_enabled", "hit_count",
                  "last_hit_at"]
        read_only_fields = ["is_enabled", "hit_count", "last_hit_at"]
        validators = []


class LogUploadSerializer(serializers.Serializer):
    lines = serializers.ListField(child=serializers.CharField(max_length=65_000, trim_whitespace=False),
                                  min_length=1, max_length=500,
                                  help_text="Syslog lines (RFC 3164 / 5424), as a collector forwards them.")


class LogUploadResultSerializer(serializers.Serializer):
    stored = serializers.IntegerField()
    dropped = serializers.IntegerField()


class MetricSampleInSerializer(serializers.Serializer):
    metric = serializers.CharField(max_length=64)
    target = serializers.CharField(max_length=128)
    value = serializers.FloatField()
    collected_at = serializers.DateTimeField(required=False)


class MetricUploadSerializer(serializers.Serializer):
    samples = MetricSampleInSerializer(many=True, allow_empty=False, max_length=1000)


class MetricUploadResultSerializer(serializers.Serializer):
    stored = serializers.IntegerField()
    alerts = AlertSerializer(many=True)
