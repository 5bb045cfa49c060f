"""API serializers of acceptance (names prefixed with the entity: unique OpenAPI components)."""
from rest_framework import serializers

from apps.acceptance.models import Appointment, BookableMatter, Channel, Hall, QueueTicket, Slot


class AcceptanceHallSerializer(serializers.ModelSerializer):
    region_name = serializers.CharField(source="region.name", read_only=True)

    class Meta:
        model = Hall
        fields = ["id", "name", "hall_number", "hall_type", "region", "region_name", "address", "telephone",
                  "opening_hours", "transport_info", "booking_enabled", "integration_mode"]


class AcceptanceBookableMatterSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="matter.name", read_only=True)
    implementation_code = serializers.CharField(source="matter.implementation_code", read_only=True)

    class Meta:
        model = BookableMatter
        fields = ["id", "name", "implementation_code", "department_name"]


class AcceptanceSlotSerializer(serializers.ModelSerializer):
    is_full = serializers.BooleanField(read_only=True)
    day_labels = serializers.ListField(child=serializers.CharField(), read_only=True, default=list)
    kind = serializers.CharField(read_only=True, help_text="priority_handling / extended_service / custom")

    class Meta:
        model = Slot
        fields = ["id", "date", "period_start", "period_end", "capacity", "booked_count", "is_full", "kind",
                  "day_labels"]


class AcceptanceAppointmentSerializer(serializers.ModelSerializer):
    hall_name = serializers.CharField(source="hall.name", read_only=True)
    matter_name = serializers.CharField(source="bookable_matter.matter.name", read_only=True)
    mobile_number = serializers.CharField(source="masked_mobile_number", read_only=True)
    status = serializers.CharField(read_only=True, help_text="booked / confirmed / checked_in / fulfilled / "
                                                             "cancelled / no_show")
    channel = serializers.CharField(read_only=True)

    class Meta:
        model = Appointment
        fields = ["appointment_number", "booker_name", "mobile_number", "hall", "hall_name", "matter_name", "date",
                  "period_start", "period_end", "status", "channel", "is_extended_service", "created_at"]


class AcceptanceBookingInputSerializer(serializers.Serializer):
    slot = serializers.IntegerField()
    booker_name = serializers.CharField(max_length=64, required=False, allow_blank=True, default="")
    mobile_number = serializers.CharField(max_length=11, required=False, allow_blank=True, default="")
    id_number = serializers.CharField(max_length=18, required=False, allow_blank=True, default="")
    channel = serializers.ChoiceField(choices=Channel.choices, default=Channel.APP)


class AcceptanceTicketInputSerializer(serializers.Serializer):
    appointment_number = serializers.CharField(required=False, allow_blank=True, default="")
    id_number = serializers.CharField(required=False, allow_blank=True, default="")
    bookable_matter = serializers.IntegerField(required=False, allow_null=True, default=None)


class AcceptanceTicketSerializer(serializers.ModelSerializer):
    appointment_number = serializers.CharField(source="appointment.appointment_number", read_only=True,
                                               default=None)

    class Meta:
        model = QueueTicket
        fields = ["id", "number", "date", "status", "is_priority", "appointment_number", "taken_at"]

    status = serializers.CharField(read_only=True, help_text="waiting / called / done / skipped")


class AcceptanceDisplayCallSerializer(serializers.Serializer):
    number = serializers.CharField()
    window = serializers.CharField()
    window_name = serializers.CharField()
    call_count = serializers.IntegerField()
    called_at = serializers.CharField()


class AcceptanceDisplaySerializer(serializers.Serializer):
    hall = serializers.CharField()
    waiting = serializers.IntegerField()
    now = serializers.CharField()
    calls = AcceptanceDisplayCallSerializer(many=True)
