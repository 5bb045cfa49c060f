"""API: outbox messages (scoped list/detail; retry a dead message)."""
from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import DjangoModelPermissions, IsAuthenticated
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from apps.core.filters.outbox import OutboxMessageFilterSet
from apps.core.models import OutboxMessage
from apps.core.outbox import outbox_message_retry
from apps.core.scope import restrict


class ViewModelPermissions(DjangoModelPermissions):
    """DjangoModelPermissions that also requires view_<model> for reads."""

    perms_map = {**DjangoModelPermissions.perms_map, "GET": ["%(app_label)s.view_%(model_name)s"]}


class OutboxMessageSerializer(serializers.ModelSerializer):
    status_display = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = OutboxMessage
        fields = ["id", "peer", "kind", "idempotency_key", "status", "status_display", "attempts",
                  "next_attempt_at", "last_error", "created_at", "delivered_at"]


class RetryInputSerializer(serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, max_length=500)


class OutboxMessageViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = OutboxMessageSerializer
    filterset_class = OutboxMessageFilterSet
    permission_classes = [IsAuthenticated, ViewModelPermissions]
    queryset = OutboxMessage.objects.all()

    def get_queryset(self):
        return restrict(OutboxMessage.objects.select_related("region"), self.request.user)

    @extend_schema(request=RetryInputSerializer, responses=OutboxMessageSerializer)
    @action(detail=True, methods=["post"])
    def retry(self, request, pk=None):
        """Send a dead message again (needs core.change_outboxmessage)."""
        data = RetryInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        message = outbox_message_retry(message=self.get_object(), by=request.user,
                                       comment=data.validated_data.get("comment", ""))
        return Response(OutboxMessageSerializer(message).data)


router = SimpleRouter()
router.register("outbox", OutboxMessageViewSet, basename="outbox")
urlpatterns = router.urls
