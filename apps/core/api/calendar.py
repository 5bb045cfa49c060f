"""API: working-day calendar (list a year's special days; working-day arithmetic)."""
from __future__ import annotations

from django.urls import path
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core import calendar
from apps.core.filters.calendar import CalendarDayFilterSet
from apps.core.models import CalendarDay


class CalendarDaySerializer(serializers.ModelSerializer):
    kind = serializers.CharField(read_only=True)

    class Meta:
        model = CalendarDay
        fields = ["date", "is_working_day", "is_holiday", "is_makeup_day", "kind", "label", "source"]


class CalendarDayListApi(generics.ListAPIView):
    """Holidays, make-up working days and other configured dates (filter with ?year=2026)."""

    serializer_class = CalendarDaySerializer
    filterset_class = CalendarDayFilterSet
    pagination_class = None
    queryset = CalendarDay.objects.order_by("date")   # province-wide reference data, not scoped


def _instant(value):
    return timezone.make_aware(value) if timezone.is_naive(value) else value


class AddWorkingDaysQuerySerializer(serializers.Serializer):
    start = serializers.DateTimeField()
    days = serializers.IntegerField(min_value=0, max_value=3650)


class AddWorkingDaysResultSerializer(serializers.Serializer):
    start = serializers.DateTimeField()
    days = serializers.IntegerField()
    result = serializers.DateTimeField()


class WorkingDaysBetweenQuerySerializer(serializers.Serializer):
    start = serializers.DateTimeField()
    end = serializers.DateTimeField()

    def validate(self, attrs):
        if attrs["end"] < attrs["start"]:
            raise serializers.ValidationError({"end": "结束时间早于开始时间。"})
        return attrs


class WorkingDaysBetweenResultSerializer(serializers.Serializer):
    start = serializers.DateTimeField()
    end = serializers.DateTimeField()
    working_days = serializers.IntegerField()


class AddWorkingDaysApi(APIView):
    """The instant N working days after `start` (start's own day does not count)."""

    @extend_schema(parameters=[AddWorkingDaysQuerySerializer], responses=AddWorkingDaysResultSerializer)
    def get(self, request):
        query = AddWorkingDaysQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        start, days = _instant(query.validated_data["start"]), query.validated_data["days"]
        result = calendar.add_working_days(start, days)
        return Response(AddWorkingDaysResultSerializer({"start": start, "days": days, "result": result}).data)


class WorkingDaysBetweenApi(APIView):
    """Working days after start's date up to and including end's date."""

    @extend_schema(parameters=[WorkingDaysBetweenQuerySerializer], responses=WorkingDaysBetweenResultSerializer)
    def get(self, request):
        query = WorkingDaysBetweenQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        start, end = _instant(query.validated_data["start"]), _instant(query.validated_data["end"])
        count = calendar.working_days_between(start, end)
        return Response(WorkingDaysBetweenResultSerializer({"start": start, "end": end, "working_days": count}).data)


urlpatterns = [
    path("calendar/days/", CalendarDayListApi.as_view(), name="api-calendar-days"),
    path("calendar/add-working-days/", AddWorkingDaysApi.as_view(), name="api-calendar-add-working-days"),
    path("calendar/working-days-between/", WorkingDaysBetweenApi.as_view(), name="api-calendar-working-days-between"),
]
