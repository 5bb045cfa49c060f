"""API: SMS log (masked numbers) and scheduled pushes, scoped to the user."""
from __future__ import annotations

from rest_framework import mixins, serializers, viewsets
from rest_framework.permissions import IsAuthenticated
from rest_framework.routers import SimpleRouter

from apps.core.api.outbox import ViewModelPermissions
from apps.core.filters.sms import SmsMessageFilterSet, SmsScheduleFilterSet
from apps.core.models import SmsMessage, SmsSchedule
from apps.core.selectors.sms import sms_message_list, sms_schedule_list


class SmsMessageSerializer(serializers.ModelSerializer):
    mobile_number = serializers.CharField(source="masked_mobile_number", read_only=True)
    status = serializers.CharField(read_only=True)

    class Meta:
        model = SmsMessage
        fields = ["id", "recipient", "mobile_number", "content", "purpose", "status", "created_at"]


class SmsScheduleSerializer(serializers.ModelSerializer):
    times = serializers.SerializerMethodField()

    class Meta:
        model = SmsSchedule
        fields = ["id", "name", "digest_kind", "times", "enabled", "organisation"]

    def get_times(self, obj) -> list[str]:
        return [f"{t.time_of_day:%H:%M}" for t in obj.times.all()]


class SmsMessageViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = SmsMessageSerializer
    filterset_class = SmsMessageFilterSet
    permission_classes = [IsAuthenticated, ViewModelPermissions]
    queryset = SmsMessage.objects.none()

    def get_queryset(self):
        return sms_message_list(user=self.request.user)


class SmsScheduleViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = SmsScheduleSerializer
    filterset_class = SmsScheduleFilterSet
    permission_classes = [IsAuthenticated, ViewModelPermissions]
    queryset = SmsSchedule.objects.none()

    def get_queryset(self):
        return sms_schedule_list(user=self.request.user)


router = SimpleRouter()
router.register("sms/messages", SmsMessageViewSet, basename="sms-message")
router.register("sms/schedules", SmsScheduleViewSet, basename="sms-schedule")
urlpatterns = router.urls
