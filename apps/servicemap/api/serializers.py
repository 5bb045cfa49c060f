"""Serializers of the service-map API (MAP-4.1 / 4.2: the 全省事 App reads the same selectors as the web map)."""
from __future__ import annotations

from rest_framework import serializers


class MarkerSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["point", "cluster"])
    id = serializers.IntegerField(required=False)
    name = serializers.CharField(required=False)
    lng = serializers.FloatField()
    lat = serializers.FloatField()
    count = serializers.IntegerField(required=False)
    ids = serializers.ListField(child=serializers.IntegerField(), required=False)
    bounds = serializers.ListField(child=serializers.FloatField(), required=False)
    expand_zoom = serializers.IntegerField(required=False)
    address = serializers.CharField(required=False)
    telephone = serializers.CharField(required=False)
    url = serializers.CharField(required=False)
    hours = serializers.CharField(required=False)
    region = serializers.CharField(required=False)
    type = serializers.CharField(required=False)
    logo = serializers.CharField(required=False, allow_blank=True)
    poi = serializers.BooleanField(required=False)


class MarkersSerializer(serializers.Serializer):
    zoom = serializers.IntegerField()
    markers = MarkerSerializer(many=True)


class RegionBriefSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    level = serializers.IntegerField()


class HallCardSerializer(serializers.Serializer):
    """MAP-1.4: name, thumbnail, location, phone, map position and the route link."""

    id = serializers.IntegerField(source="pk")
    name = serializers.CharField()
    hall_type = serializers.CharField(source="get_hall_type_display")
    address = serializers.CharField()
    telephone = serializers.CharField()
    opening_hours = serializers.CharField()
    longitude = serializers.FloatField(allow_null=True)
    latitude = serializers.FloatField(allow_null=True)
    region = RegionBriefSerializer()
    thumbnail = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    def get_thumbnail(self, hall) -> str:
        return hall.logo.url if hall.logo else ""

    def get_url(self, hall) -> str:
        return f"/map/halls/{hall.pk}/"


class NearbyHallSerializer(HallCardSerializer):
    distance_km = serializers.FloatField()


class RegionNavigationSerializer(serializers.Serializer):
    region = RegionBriefSerializer()
    level_label = serializers.CharField()
    path = RegionBriefSerializer(many=True)
    children = RegionBriefSerializer(many=True)
    halls = HallCardSerializer(many=True)
    centre = serializers.DictField(child=serializers.FloatField(), allow_null=True)


class LocateSerializer(serializers.Serializer):
    ip = serializers.CharField()
    region = RegionBriefSerializer(allow_null=True)
    centre = serializers.DictField(child=serializers.FloatField(), allow_null=True)


class SuggestionSerializer(serializers.Serializer):
    kind = serializers.CharField()
    id = serializers.IntegerField(required=False)
    label = serializers.CharField()
    url = serializers.CharField()


class MatterBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class SearchSerializer(serializers.Serializer):
    query = serializers.CharField()
    regions = RegionBriefSerializer(many=True)
    terms = serializers.ListField(child=serializers.CharField())
    halls = HallCardSerializer(many=True)
    matters = MatterBriefSerializer(many=True)


class WindowBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    window_number = serializers.CharField()
    name = serializers.CharField()
    window_type = serializers.CharField(source="get_window_type_display")
    floor = serializers.CharField()
    zone = serializers.CharField()
    handling_location = serializers.CharField()
    telephone = serializers.CharField()
    supports_appointment = serializers.BooleanField()
    supports_consultation = serializers.BooleanField()


class EvaluationSummarySerializer(serializers.Serializer):
    total = serializers.IntegerField()
    good = serializers.IntegerField()
    bad = serializers.IntegerField()
    rate = serializers.FloatField(allow_null=True)


class HallDetailSerializer(serializers.Serializer):
    hall = HallCardSerializer()
    introduction = serializers.CharField(source="hall.introduction")
    floor_area = serializers.DecimalField(source="hall.floor_area", max_digits=10, decimal_places=2, allow_null=True)
    floors = serializers.ListField(child=serializers.CharField())
    resident_units = serializers.ListField(child=serializers.CharField())
    windows = WindowBriefSerializer(many=True)
    matter_count = serializers.SerializerMethodField()
    staff_count = serializers.SerializerMethodField()
    evaluation = EvaluationSummarySerializer()

    def get_matter_count(self, data) -> int:
        return len(data["matters"])

    def get_staff_count(self, data) -> int:
        return len(data["staff"])


class StaffBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="staff.pk")
    name = serializers.CharField(source="staff.name")
    front_identifier = serializers.CharField(source="staff.front_identifier")
    kind = serializers.CharField(source="staff.get_kind_display")


class SlotBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    matter_id = serializers.IntegerField(source="bookable_matter.matter_id")
    date = serializers.DateField()
    period = serializers.CharField(source="period_label")
    remaining = serializers.SerializerMethodField()

    def get_remaining(self, slot) -> int:
        return max(slot.capacity - slot.booked_count, 0)


class WindowMatterBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="matter.pk")
    name = serializers.CharField(source="matter.name")
    code = serializers.CharField(source="matter.implementation_code")
    guide_url = serializers.SerializerMethodField()

    def get_guide_url(self, wm) -> str:
        return f"/matters/{wm.matter_id}/"


class VideoChannelSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    name = serializers.CharField()
    device_type = serializers.CharField()
    is_window = serializers.SerializerMethodField()
    stream_url = serializers.CharField()

    def get_is_window(self, channel) -> bool:
        return channel.window_id is not None


class WindowDetailSerializer(serializers.Serializer):
    videos = VideoChannelSerializer(many=True)
    window = WindowBriefSerializer()
    hall = HallCardSerializer()
    matters = WindowMatterBriefSerializer(many=True)
    staff = StaffBriefSerializer(many=True)
    open_slots = SlotBriefSerializer(many=True)
    queue_waiting = serializers.IntegerField()
    consultation_count = serializers.IntegerField()
    evaluation = EvaluationSummarySerializer()


class CodeSendInputSerializer(serializers.Serializer):
    mobile_number = serializers.CharField(max_length=11)
    purpose = serializers.ChoiceField(choices=["booking", "consultation", "evaluation"])


class BookingInputSerializer(serializers.Serializer):
    matter = serializers.IntegerField()
    booker_name = serializers.CharField(max_length=64)
    mobile_number = serializers.CharField(max_length=11)
    id_number = serializers.CharField(max_length=18, required=False, allow_blank=True)
    code = serializers.CharField(max_length=6)
    slot = serializers.IntegerField(required=False, help_text="平台统一预约：号源编号")
    date = serializers.DateField(required=False, help_text="大厅自有预约系统：预约日期")
    period_start = serializers.TimeField(required=False)
    period_end = serializers.TimeField(required=False)


class BookingOutputSerializer(serializers.Serializer):
    number = serializers.CharField()
    target = serializers.CharField()
    status = serializers.CharField()
    date = serializers.DateField()
    period = serializers.CharField(source="period_label")
    handling_location = serializers.CharField()
    external_reference = serializers.CharField()


class ConsultationInputSerializer(serializers.Serializer):
    matter = serializers.IntegerField()
    title = serializers.CharField(max_length=100)
    question = serializers.CharField(max_length=2000)
    consultant_name = serializers.CharField(max_length=64, required=False, allow_blank=True)
    mobile_number = serializers.CharField(max_length=11)
    code = serializers.CharField(max_length=6)


class ConsultationOutputSerializer(serializers.Serializer):
    number = serializers.CharField()
    target = serializers.CharField()
    status = serializers.CharField()
    title = serializers.CharField()


class EvaluationInputSerializer(serializers.Serializer):
    application_number = serializers.CharField(max_length=50)
    level = serializers.IntegerField(min_value=1, max_value=5)
    tags = serializers.ListField(child=serializers.CharField(), required=False)
    comment = serializers.CharField(max_length=1000, required=False, allow_blank=True)
    staff = serializers.IntegerField(required=False)
    code = serializers.CharField(max_length=6)


class EvaluationOutputSerializer(serializers.Serializer):
    evaluation_number = serializers.CharField()
    level = serializers.IntegerField()
