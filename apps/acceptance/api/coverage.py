"""对接覆盖范围 API (ACC-19.5): the same per-department coverage as the page, in the caller's scope."""
from __future__ import annotations

from django.core.exceptions import PermissionDenied
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.acceptance import coverage


class AcceptanceCoverageSystemSerializer(serializers.Serializer):
    name = serializers.CharField()
    system_type = serializers.CharField()


class AcceptanceCoverageDepartmentSerializer(serializers.Serializer):
    organisation_id = serializers.IntegerField(source="organisation.pk")
    organisation = serializers.CharField(source="organisation.name")
    region = serializers.CharField(source="organisation.region_id")
    systems = AcceptanceCoverageSystemSerializer(many=True)
    items = serializers.IntegerField()
    connected = serializers.IntegerField()
    percent = serializers.FloatField()
    received = serializers.IntegerField()
    sent = serializers.IntegerField()


class AcceptanceCoverageReportSerializer(serializers.Serializer):
    departments = serializers.IntegerField()
    connected_departments = serializers.IntegerField()
    items = serializers.IntegerField()
    connected = serializers.IntegerField()
    systems = serializers.IntegerField()
    percent = serializers.FloatField()
    rows = AcceptanceCoverageDepartmentSerializer(many=True)


class AcceptanceCoverageApi(APIView):
    """GET: integration coverage per department (staff with acceptance.view_clientsystem)."""

    @extend_schema(responses={200: AcceptanceCoverageReportSerializer})
    def get(self, request):
        user = request.user
        if not (getattr(user, "is_staff_user", False) or user.is_superuser) \
                or not user.has_perm("acceptance.view_clientsystem"):
            raise PermissionDenied("您没有查看对接覆盖范围的权限。")
        rows = coverage.coverage_by_department(user)
        totals = coverage.coverage_totals(rows)
        totals.pop("by_type")
        return Response(AcceptanceCoverageReportSerializer({**totals, "rows": rows}).data)
