"""Serializers of the analytics API."""
from rest_framework import serializers

from apps.analytics.models import DataLog, TopicDataset


class TopicDatasetSerializer(serializers.ModelSerializer):
    category_display = serializers.CharField(source="get_category_display", read_only=True)

    class Meta:
        model = TopicDataset
        fields = ["code", "name", "english_name", "category", "category_display", "source", "is_enabled",
                  "last_refreshed_at", "row_count", "source_count", "last_job", "last_error"]


class RefreshRequestSerializer(serializers.Serializer):
    codes = serializers.ListField(child=serializers.CharField(max_length=2), required=False, default=list,
                                  help_text="专题库编码（a–u）；为空时刷新全部启用的专题库")


class RefreshStartedSerializer(serializers.Serializer):
    job_id = serializers.IntegerField()
    job_url = serializers.CharField()
    codes = serializers.ListField(child=serializers.CharField())


class PanelSerializer(serializers.Serializer):
    key = serializers.CharField()
    title = serializers.CharField()
    script_id = serializers.CharField()
    option = serializers.DictField(help_text="ECharts option")


class TableSerializer(serializers.Serializer):
    title = serializers.CharField()
    columns = serializers.ListField(child=serializers.CharField())
    rows = serializers.ListField(child=serializers.ListField())


class ChartSerializer(serializers.Serializer):
    code = serializers.CharField()
    title = serializers.CharField()
    description = serializers.CharField()
    region = serializers.DictField(child=serializers.CharField())
    datasets = serializers.ListField(child=serializers.DictField())
    panels = PanelSerializer(many=True)
    tables = TableSerializer(many=True)


class VisitRowSerializer(serializers.Serializer):
    day = serializers.CharField(help_text="YYYY-MM-DD")
    matter_code = serializers.CharField(required=False, allow_blank=True, help_text="实施编码；空 = 非事项页面")
    region = serializers.CharField(required=False, allow_blank=True, help_text="12位区划代码；空 = 客户端的数据区划")
    count = serializers.IntegerField(min_value=0)


class VisitBatchSerializer(serializers.Serializer):
    batch_id = serializers.CharField(max_length=64)
    rows = serializers.ListField(child=serializers.DictField(), help_text="VisitRow 对象的列表（最多5000行）")


class VisitBatchResultSerializer(serializers.Serializer):
    batch_id = serializers.CharField()
    created = serializers.BooleanField(help_text="false = 此批次此前已接收（重复上报，未重复计数）")
    rows = serializers.IntegerField()
    visits = serializers.IntegerField()


class DataLogSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    dataset_code = serializers.CharField(source="dataset.code", read_only=True, default=None)
    operator_name = serializers.CharField(source="operator.__str__", read_only=True, default=None)

    class Meta:
        model = DataLog
        fields = ["id", "kind", "kind_display", "dataset_code", "job", "operator_name", "summary", "records_in",
                  "records_affected", "detail", "created_at"]
