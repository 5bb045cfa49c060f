"""Admin of the service map: hall connections, themes and places, the IP table, window requests, codes."""
from django.contrib import admin

from apps.core.admin.audit import AuditedModelAdmin
from apps.servicemap import models as m


@admin.register(m.HallConnection)
class HallConnectionAdmin(AuditedModelAdmin):
    list_display = ["hall", "booking_system_name", "booking_system_url", "consultation_system_url", "theme_tags"]
    search_fields = ["hall__name", "hall__hall_number", "theme_tags"]
    list_filter = ["hall__hall_type"]
    raw_id_fields = ["hall"]


@admin.register(m.Theme)
class ThemeAdmin(AuditedModelAdmin):
    list_display = ["name", "code", "is_halls", "display_order", "is_enabled"]
    list_filter = ["is_halls", "is_enabled"]
    search_fields = ["name", "code"]


@admin.register(m.PointOfInterest)
class PointOfInterestAdmin(AuditedModelAdmin):
    list_display = ["name", "theme", "region", "address", "telephone", "is_enabled"]
    list_filter = ["theme", "is_enabled"]
    search_fields = ["name", "address", "region__name"]
    raw_id_fields = ["region"]


@admin.register(m.IpRange)
class IpRangeAdmin(AuditedModelAdmin):
    list_display = ["network", "region", "note"]
    search_fields = ["network", "region__name", "region__code"]
    list_filter = ["region__level"]
    raw_id_fields = ["region"]


@admin.register(m.WindowBooking)
class WindowBookingAdmin(AuditedModelAdmin):
    list_display = ["number", "hall", "window", "matter", "date", "target", "status", "created_at"]
    list_filter = ["target", "status"]
    search_fields = ["number", "hall__name", "booker_name", "external_reference"]
    raw_id_fields = ["applicant", "hall", "window", "matter", "appointment"]
    readonly_fields = ["number", "mobile_number_digest", "created_at"]


@admin.register(m.WindowConsultation)
class WindowConsultationAdmin(AuditedModelAdmin):
    list_display = ["number", "hall", "window", "matter", "title", "target", "status", "created_at"]
    list_filter = ["target", "status"]
    search_fields = ["number", "hall__name", "title", "consultant_name"]
    raw_id_fields = ["applicant", "hall", "window", "matter", "consultation"]
    readonly_fields = ["number", "mobile_number_digest", "created_at"]


@admin.register(m.VerificationCode)
class VerificationCodeAdmin(AuditedModelAdmin):
    list_display = ["purpose", "created_at", "expires_at", "used_at", "attempts"]
    list_filter = ["purpose"]
    readonly_fields = ["mobile_number_digest", "code_digest", "purpose", "attempts", "created_at", "expires_at",
                       "used_at"]

    def has_add_permission(self, request):
        return False


@admin.register(m.VideoChannel)
class VideoChannelAdmin(AuditedModelAdmin):
    list_display = ["name", "hall", "window", "device_type", "brand", "channel_number", "is_enabled"]
    list_filter = ["device_type", "is_enabled"]
    search_fields = ["name", "hall__name", "brand"]
    raw_id_fields = ["hall", "window"]
