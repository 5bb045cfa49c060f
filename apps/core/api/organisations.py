"""API: organisations (PORTAL-8.2) and organisation change requests (PORTAL-8.3)."""
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from apps.core.api.regions import ModelPermissions, ReadModelPermissions
from apps.core.filters.org_changes import OrganisationChangeRequestFilterSet
from apps.core.filters.organisations import OrganisationFilterSet
from apps.core.models import (
    ChangeKind, Organisation, OrganisationChangeRequest, OrganisationKind, Region,
)
from apps.core.selectors import organisations as selectors
from apps.core.services import org_changes as changes
from apps.core.services.organisations import organisation_create, organisation_update
from apps.core.workflow import history_for


class OrganisationSerializer(serializers.ModelSerializer):
    region = serializers.SlugRelatedField(slug_field="code", queryset=Region.objects.all())
    region_name = serializers.CharField(source="region.name", read_only=True)
    parent_region_code = serializers.CharField(source="region.parent_id", read_only=True, allow_null=True)
    parent = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.all(), required=False,
                                                allow_null=True)
    parent_name = serializers.CharField(source="parent.name", read_only=True, allow_null=True, default=None)
    kind = serializers.ChoiceField(choices=OrganisationKind.choices, default=OrganisationKind.DEPARTMENT)

    class Meta:
        model = Organisation
        fields = ["id", "name", "short_name", "credit_code", "region", "region_name", "parent_region_code",
                  "parent", "parent_name", "kind", "is_enabled", "updated_at"]
        read_only_fields = ["id", "updated_at"]
        extra_kwargs = {"credit_code": {"validators": []}}   # validated by the service (clear message)


class OrganisationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                          mixins.UpdateModelMixin, viewsets.GenericViewSet):
    """Scoped organisation list: one query for the page, one for the count."""

    serializer_class = OrganisationSerializer
    filterset_class = OrganisationFilterSet
    permission_classes = [permissions.IsAuthenticated, ModelPermissions]
    queryset = Organisation.objects.none()

    def get_queryset(self):
        return selectors.organisation_queryset(user=self.request.user)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        organisation = organisation_create(actor=request.user, **serializer.validated_data)
        return Response(self.get_serializer(organisation).data, status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        organisation = self.get_object()
        serializer = self.get_serializer(organisation, data=request.data, partial=kwargs.get("partial", False))
        serializer.is_valid(raise_exception=True)
        organisation = organisation_update(organisation=organisation, actor=request.user, **serializer.validated_data)
        return Response(self.get_serializer(organisation).data)


class OrgChangeTransitionSerializer(serializers.Serializer):
    actor_name = serializers.CharField()
    from_state = serializers.CharField()
    to_state = serializers.CharField()
    action = serializers.CharField()
    comment = serializers.CharField()
    at = serializers.DateTimeField()


class OrgChangeRequestSerializer(serializers.ModelSerializer):
    applicant_organisation_name = serializers.CharField(source="applicant_organisation.name", read_only=True)
    history = serializers.SerializerMethodField()

    class Meta:
        model = OrganisationChangeRequest
        fields = ["id", "kind", "status", "target", "proposed_data", "cleansed_data", "problem_data", "reason",
                  "applicant", "applicant_organisation", "applicant_organisation_name", "reviewer",
                  "review_comment", "feedback", "result_organisation", "created_at", "submitted_at",
                  "reviewed_at", "cleansed_at", "delivered_at", "history"]
        read_only_fields = fields

    @extend_schema(responses=OrgChangeTransitionSerializer(many=True))
    def get_history(self, obj) -> list[dict]:
        if not self.context.get("with_history"):
            return []
        return OrgChangeTransitionSerializer(history_for(obj), many=True).data


class OrgChangeInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ChangeKind.choices)
    target = serializers.IntegerField(required=False, allow_null=True)
    proposed_data = serializers.DictField(required=False, default=dict)
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    submit = serializers.BooleanField(required=False, default=True)


class OrgChangeDecisionSerializer(serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class ChangeRequestViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Apply (POST), then one endpoint per step: submit, approve, reject."""

    serializer_class = OrgChangeRequestSerializer
    filterset_class = OrganisationChangeRequestFilterSet
    permission_classes = [permissions.IsAuthenticated, ReadModelPermissions]
    queryset = OrganisationChangeRequest.objects.none()

    def get_queryset(self):
        return selectors.change_request_queryset(user=self.request.user)

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "with_history": self.action != "list"}

    @extend_schema(request=OrgChangeInputSerializer, responses=OrgChangeRequestSerializer)
    def create(self, request):
        data = OrgChangeInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        target = None
        if data.validated_data.get("target"):
            target = selectors.organisation_queryset(user=request.user).filter(pk=data.validated_data["target"]).first()
            if target is None:
                raise serializers.ValidationError({"target": ["目标机构不存在或不在您的数据范围内。"]})
        change = changes.org_change_create(applicant=request.user, kind=data.validated_data["kind"], target=target,
                                           data=data.validated_data["proposed_data"],
                                           reason=data.validated_data["reason"], submit=data.validated_data["submit"])
        return Response(self.get_serializer(change).data, status=status.HTTP_201_CREATED)

    def _decide(self, request, step):
        change = self.get_object()
        decision = OrgChangeDecisionSerializer(data=request.data)
        decision.is_valid(raise_exception=True)
        change = step(change, decision.validated_data["comment"]) or change
        change.refresh_from_db()
        return Response(self.get_serializer(change).data)

    @extend_schema(request=None, responses=OrgChangeRequestSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        return self._decide(request, lambda c, _: changes.org_change_submit(request=c, actor=request.user))

    @extend_schema(request=OrgChangeDecisionSerializer, responses=OrgChangeRequestSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        return self._decide(request, lambda c, text: changes.org_change_approve(request=c, reviewer=request.user,
                                                                                 comment=text))

    @extend_schema(request=OrgChangeDecisionSerializer, responses=OrgChangeRequestSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        return self._decide(request, lambda c, text: changes.org_change_reject(request=c, reviewer=request.user,
                                                                                reason=text))


router = SimpleRouter()
router.register("organisations", OrganisationViewSet, basename="organisation")
router.register("org-changes", ChangeRequestViewSet, basename="orgchange")
urlpatterns = router.urls
