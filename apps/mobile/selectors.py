"""Reads of mobile, every one cut to the acting user's data scope."""
from __future__ import annotations

from datetime import timedelta

from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncDate
from django.http import Http404
from django.utils import timezone

from apps.core.scope import restrict
from apps.mobile.models import (
    AnomalyStatus, AppAnomaly, AppVisitDay, HealthStatus, InterfaceCallDay, InterfaceResource,
    InterfaceSubscription, ListingStatus, MobileApp, RequestStatus, ResourceCatalogue, ResourceStatus,
    WithdrawalRequest,
)


def resource_list(*, user):
    return restrict(InterfaceResource.objects.select_related("organisation", "category", "catalogue"), user)


def own_resources(*, user):
    """A unit's own resources (what its staff manage, APP-3.1)."""
    qs = InterfaceResource.objects.select_related("organisation", "category", "catalogue")
    if user.is_superuser or getattr(user, "is_system_admin", False):
        return qs
    return qs.filter(organisation_id=user.organisation_id) if user.organisation_id else qs.none()


def access_resource(user, pk) -> InterfaceResource:
    """One resource inside the user's scope, else 404."""
    resource = resource_list(user=user).filter(pk=pk).first()
    if resource is None:
        raise Http404
    return resource


def review_queue(*, user):
    return resource_list(user=user).filter(status=ResourceStatus.PENDING_REVIEW).order_by("updated_at", "pk")


def withdrawal_queue(*, user):
    return restrict(WithdrawalRequest.objects.select_related("resource__organisation", "requested_by"), user).filter(
        status=RequestStatus.PENDING)


def catalogue_list(*, user):
    return restrict(ResourceCatalogue.objects.select_related("organisation").annotate(
        resource_count=Count("resources")), user)


def published_catalogues(*, user):
    """The catalogue picker of the mount dialog: published catalogues only (APP-3.4)."""
    return catalogue_list(user=user).filter(is_published=True)


def subscribable_resources(*, user):
    """Resource subscription (APP-3.5): published resources that are public or the unit's own, with the unit's
    subscription status."""
    qs = (InterfaceResource.objects.select_related("organisation", "category")
          .filter(status=ResourceStatus.PUBLISHED, is_listed=True)
          .filter(Q(is_public=True) | Q(organisation_id=user.organisation_id)))
    subscriptions = dict(InterfaceSubscription.objects.filter(organisation_id=user.organisation_id)
                         .values_list("resource_id", "status"))
    return qs, subscriptions


def subscription_queue(*, user):
    """Subscriptions awaiting an admin, on resources in the admin's scope."""
    visible = resource_list(user=user).values("pk")
    return (InterfaceSubscription.objects.select_related("organisation", "resource__organisation", "requested_by")
            .filter(resource__in=visible, status=RequestStatus.PENDING))


def app_list(*, user):
    return restrict(MobileApp.objects.select_related("organisation", "app_type", "developer"), user)


def own_apps(*, user):
    qs = MobileApp.objects.select_related("organisation", "app_type", "developer")
    if user.is_superuser or getattr(user, "is_system_admin", False):
        return qs
    return qs.filter(organisation_id=user.organisation_id) if user.organisation_id else qs.none()


def access_app(user, pk, *, own: bool = False) -> MobileApp:
    qs = own_apps(user=user) if own else app_list(user=user)
    app = qs.filter(pk=pk).first()
    if app is None:
        raise Http404
    return app


def app_detail(app: MobileApp) -> dict:
    """Everything the detail page shows (APP-4.3, APP-5.2), in a fixed number of queries."""
    return {
        "versions": list(app.versions.select_related("created_by")[:20]),
        "bindings": list(app.bindings.select_related("resource__organisation")),
        "components": list(app.component_permissions.select_related("component")),
        "reviews": list(app.reviews.select_related("reviewer")[:5]),
        "channels": list(app.channels.all()),
        "anomalies": list(app.anomalies.all()[:5]),
    }


def app_timeline(app: MobileApp) -> list:
    """Review and listing history of an app, each state with its Chinese label (both state fields)."""
    from apps.core.workflow import history_for
    from apps.mobile.models import AppReviewStatus

    labels = {**dict(AppReviewStatus.choices), **dict(ListingStatus.choices)}
    transitions = list(history_for(app))
    for item in transitions:
        item.from_label = str(labels.get(item.from_state, item.from_state))
        item.to_label = str(labels.get(item.to_state, item.to_state))
    return transitions


def anomaly_list(*, user):
    return restrict(AppAnomaly.objects.select_related("app__organisation"), user)


def anomaly_summary(*, user) -> dict:
    """APP-6.2 statistics: anomalies, apps pending detection, faulty apps."""
    apps = app_list(user=user).filter(listing_status__in=[ListingStatus.LISTED, ListingStatus.DELISTED])
    counts = apps.aggregate(pending=Count("pk", filter=Q(health="pending")),
                            faulty=Count("pk", filter=Q(health="faulty")))
    open_anomalies = anomaly_list(user=user).exclude(status=AnomalyStatus.RESOLVED).count()
    return {"anomalies": open_anomalies, "pending_apps": counts["pending"], "faulty_apps": counts["faulty"]}


def interface_exception_summary(*, user) -> dict:
    """APP-3.9 exception analysis: abnormal (faulty) interfaces, interfaces pending detection, totals."""
    qs = resource_list(user=user).filter(status=ResourceStatus.PUBLISHED)
    return qs.aggregate(total=Count("pk"), faulty=Count("pk", filter=Q(health=HealthStatus.FAULTY)),
                        pending=Count("pk", filter=Q(health=HealthStatus.PENDING)),
                        healthy=Count("pk", filter=Q(health=HealthStatus.HEALTHY)))


def seven_days(end=None) -> list:
    end = end or timezone.localdate()
    return [end - timedelta(days=n) for n in range(6, -1, -1)]


def interface_trends(*, user, end=None, organisation=None, category=None, app=None) -> dict:
    """APP-3.8 / APP-3.9: 7-day series (ending `end`) of new interfaces, requests, exceptions and health
    (success rate %), filterable by uploading organisation, theme category and owning application; 2 queries."""
    days = seven_days(end)
    visible = resource_list(user=user)
    if organisation is not None:
        visible = visible.filter(organisation=organisation)
    if category is not None:
        visible = visible.filter(category=category)
    if app is not None:
        visible = visible.filter(bindings__app=app)
    created = dict(visible.filter(created_at__date__gte=days[0], created_at__date__lte=days[-1])
                   .annotate(day=TruncDate("created_at")).values("day").annotate(n=Count("pk")).values_list("day", "n"))
    calls = {row["day"]: row for row in InterfaceCallDay.objects.filter(resource__in=visible.values("pk"),
                                                                        day__gte=days[0], day__lte=days[-1])
             .values("day").annotate(calls=Sum("calls"), failures=Sum("failures"))}
    requests_ = [calls.get(d, {}).get("calls", 0) or 0 for d in days]
    failures = [calls.get(d, {}).get("failures", 0) or 0 for d in days]
    health = [round(100 * (r - f) / r, 1) if r else None for r, f in zip(requests_, failures)]
    return {"days": [d.strftime("%m-%d") for d in days], "new": [created.get(d, 0) for d in days],
            "requests": requests_, "exceptions": failures, "health": health}


def app_statistics(*, user) -> dict:
    """APP-6.1: onboarded organisations and apps, visits per app, ranking, distribution by region and type,
    multi-channel output. A fixed number of queries whatever the number of apps."""
    apps = app_list(user=user)
    totals = apps.aggregate(apps=Count("pk", distinct=True), organisations=Count("organisation", distinct=True),
                            listed=Count("pk", filter=Q(listing_status=ListingStatus.LISTED), distinct=True))
    since = seven_days()[0] - timedelta(days=23)
    visits = list(AppVisitDay.objects.filter(app__in=apps.values("pk"), day__gte=since)
                  .values("app_id", "app__name", "app__organisation__name")
                  .annotate(opens=Sum("opens"), calls=Sum("gateway_calls"), seconds=Sum("duration_seconds"))
                  .order_by("-opens", "-calls")[:10])
    for row in visits:
        row["average_minutes"] = round((row["seconds"] or 0) / row["opens"] / 60, 1) if row["opens"] else 0
    by_region = list(apps.values("organisation__region__name").annotate(n=Count("pk")).order_by("-n")[:15])
    by_type = list(apps.values("app_type__name").annotate(n=Count("pk")).order_by("-n"))
    by_org = list(apps.values("organisation__name").annotate(n=Count("pk")).order_by("-n")[:10])
    by_channel = list(apps.filter(listing_status=ListingStatus.LISTED).values("channels__name")
                      .exclude(channels__name=None).annotate(n=Count("pk")).order_by("-n"))
    totals["visits"] = sum((row["opens"] or 0) + (row["calls"] or 0) for row in visits)
    return {"totals": totals, "ranking": visits, "by_region": by_region, "by_type": by_type,
            "by_organisation": by_org, "by_channel": by_channel}


def running_interfaces(*, user):
    """APP-3.6: the published, listed interfaces in scope with their health and last 7 days' calls."""
    since = seven_days()[0]
    return (resource_list(user=user).filter(status=ResourceStatus.PUBLISHED, is_listed=True)
            .annotate(week_calls=Sum("call_days__calls", filter=Q(call_days__day__gte=since)),
                      week_failures=Sum("call_days__failures", filter=Q(call_days__day__gte=since)))
            .order_by("organisation__name", "code"))


def channel_catalogue(*, channel_code: str):
    """APP-9 / APP-5.6: what a production channel shows — listed apps, and auto-delisted ones as maintenance."""
    return (MobileApp.objects.filter(channels__code=channel_code, channels__is_enabled=True,
                                     review_status="approved")
            .filter(Q(listing_status=ListingStatus.LISTED)
                    | Q(listing_status=ListingStatus.DELISTED, listing_mode="automatic",
                        delist_reason__startswith="自动维护"))
            .select_related("app_type", "organisation").order_by("name"))


def inbox_items(*, user) -> list:
    """Pending work for the portal inbox: resources, withdrawals, subscriptions and apps awaiting review."""
    from django.urls import reverse

    from apps.core.navigation import InboxItem

    items = []
    if user.has_perm("mobile.review_interfaces"):
        queue = reverse("mobile:review-queue")
        items += [InboxItem(title=f"接口资源审核 {r.code} {r.name}", url=r.get_absolute_url(), category="移动端接口审核",
                            created_at=r.updated_at) for r in review_queue(user=user)[:20]]
        items += [InboxItem(title=f"接口撤回审核 {w.resource.code}", url=queue, category="移动端接口审核",
                            created_at=w.created_at) for w in withdrawal_queue(user=user)[:20]]
        items += [InboxItem(title=f"接口订阅审核 {s.organisation.name} → {s.resource.code}", url=queue,
                            category="移动端接口审核", created_at=s.created_at)
                  for s in subscription_queue(user=user)[:20]]
    if user.has_perm("mobile.administer_apps"):
        items += [InboxItem(title=f"应用审核 {a.name}", url=a.get_absolute_url(), category="移动端应用审核",
                            created_at=a.updated_at) for a in app_list(user=user).filter(review_status="pending")[:20]]
    return items
