"""Supervision API: file and look up complaints (citizens), list/detail/steps (staff)."""
from django.core.exceptions import PermissionDenied
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core.api.pagination import RememberedCountPagination
from apps.supervision import selectors
from apps.supervision.api.serializers import (
    COMPLAINT_LIST_VALUES,
    ComplaintDetailSerializer,
    ComplaintFiledSerializer,
    ComplaintFileSerializer,
    ComplaintListSerializer,
    ComplaintLookupSerializer,
    ComplaintStepSerializer,
    complaint_list_rows,
)
from apps.supervision.api.todo import lean_todo_response
from apps.supervision.filters import ComplaintFilterSet
from apps.supervision.services.complaints import complaint_file
from apps.supervision.services.workflow import STEPS, complaint_step


class ComplaintListApi(generics.ListCreateAPIView):
    """GET: complaints in the caller's data scope (staff: by scope; citizens: their own), with the
    same filters as the portal list. POST: a citizen files a provincial complaint (PORTAL-1.4)."""

    filterset_class = ComplaintFilterSet
    pagination_class = RememberedCountPagination

    def get_queryset(self):
        return selectors.complaint_list(user=self.request.user)

    def filter_queryset(self, queryset):
        # only the columns the rows show (not the complaint text or the result), as plain rows
        return super().filter_queryset(queryset).values(*COMPLAINT_LIST_VALUES)

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(complaint_list_rows(page))

    def get_serializer_class(self):
        return ComplaintFileSerializer if self.request.method == "POST" else ComplaintListSerializer

    @extend_schema(operation_id="supervision_complaint_list")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(request=ComplaintFileSerializer, responses={201: ComplaintFiledSerializer},
                   operation_id="supervision_complaint_file")
    def post(self, request):
        serializer = ComplaintFileSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        complaint = complaint_file(data=serializer.validated_data, complainant=request.user)
        return Response(ComplaintFiledSerializer(complaint).data, status=status.HTTP_201_CREATED)


class ComplaintDetailApi(generics.RetrieveAPIView):
    serializer_class = ComplaintDetailSerializer

    def get_object(self):
        return selectors.access_complaint(self.request.user, self.kwargs["pk"])


class ComplaintStepApi(APIView):
    """POST one workflow step: accept, transfer, assign, retain, return_upstream, receive, return,
    enter_result, review, reject, submit, reply, close."""

    @extend_schema(request=ComplaintStepSerializer, responses={200: ComplaintDetailSerializer},
                   operation_id="supervision_complaint_step",
                   parameters=[OpenApiParameter("action", str, OpenApiParameter.PATH,
                                                description="one of: " + ", ".join(sorted(STEPS)))])
    def post(self, request, pk, action):
        if not getattr(request.user, "is_staff_user", False) and not request.user.is_superuser:
            raise PermissionDenied("仅限政务工作人员办理投诉。")
        complaint = selectors.access_complaint(request.user, pk)
        serializer = ComplaintStepSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        complaint = complaint_step(complaint=complaint, action=action, actor=request.user,
                                   comment=serializer.validated_data.get("comment", ""),
                                   department=serializer.validated_data.get("department_id"))
        return Response(ComplaintDetailSerializer(complaint).data)


class ComplaintLookupApi(APIView):
    """Anyone holding a case number and its query code sees the complaint's status."""

    permission_classes = [AllowAny]

    @extend_schema(request=ComplaintLookupSerializer, responses={200: ComplaintFiledSerializer},
                   operation_id="supervision_complaint_lookup")
    def post(self, request):
        serializer = ComplaintLookupSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        complaint = selectors.public_lookup(**serializer.validated_data)
        if complaint is None:
            return Response({"message": "未找到对应的投诉，请核对办件编号和查询码。"}, status=404)
        return Response(ComplaintFiledSerializer(complaint).data)


ComplaintListApi.permission_classes = [IsAuthenticated]

_complaint_list_drf = ComplaintListApi.as_view()


@csrf_exempt    # as DRF's own view: DRF's session authentication checks CSRF on unsafe methods itself
def complaint_list_endpoint(request, *args, **kwargs):
    """The list URL: a GET of the to-do list's common shape is answered by the lean view (decision
    0503), everything else — POST, other filters, errors — by ComplaintListApi. `cls` and
    `initkwargs` let drf-spectacular document ComplaintListApi for this URL as before."""
    if request.method == "GET":
        response = lean_todo_response(request)
        if response is not None:
            return response
    return _complaint_list_drf(request, *args, **kwargs)


complaint_list_endpoint.cls = ComplaintListApi
complaint_list_endpoint.initkwargs = _complaint_list_drf.initkwargs
