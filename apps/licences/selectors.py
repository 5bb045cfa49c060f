"""Read-side queries of licences, all cut to the user's data scope: statistics (LIC-1.19–1.21, 1.24),
expiring licences (LIC-1.22), archive (LIC-1.16). Each statistic is one aggregate query."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from apps.core.models import Organisation
from apps.core.scope import restrict

from .models import Licence, LicenceCategory, LicenceSource, LicenceStatus, LicenceTemplate, TemplateMapping

VALID = Q(status=LicenceStatus.VALID)


def stats_by_department(user, *, name: str = "") -> list[dict]:
    """LIC-1.19: per department (issuer or template-defining organisation) its template and valid
    licence totals; departments with neither are left out."""
    templates = dict(restrict(LicenceTemplate.objects.all(), user).values("defining_organisation")
                     .annotate(n=Count("pk")).values_list("defining_organisation", "n"))
    licences = dict(restrict(Licence.objects.filter(VALID), user).values("issuer")
                    .annotate(n=Count("pk")).values_list("issuer", "n"))
    orgs = Organisation.objects.filter(pk__in=set(templates) | set(licences))
    if name:
        orgs = orgs.filter(name__icontains=name)
    return [{"name": o.name, "code": o.credit_code, "templates": templates.get(o.pk, 0),
             "licences": licences.get(o.pk, 0)} for o in orgs.order_by("name")]


def stats_by_theme(user, *, name: str = "") -> list[dict]:
    """LIC-1.20: per theme category its template and valid licence totals."""
    templates = restrict(LicenceTemplate.objects.all(), user)
    licences = restrict(Licence.objects.filter(VALID), user)
    t = dict(templates.values("category").annotate(n=Count("pk")).values_list("category", "n"))
    lic = dict(licences.values("template__category").annotate(n=Count("pk")).values_list("template__category", "n"))
    categories = LicenceCategory.objects.order_by("name")
    if name:
        categories = categories.filter(name__icontains=name)
    return [{"name": c.name, "type": c.category_type, "templates": t.get(c.pk, 0), "licences": lic.get(c.pk, 0)}
            for c in categories]


def stats_by_item(user, *, name: str = "") -> list[dict]:
    """LIC-1.21: per service item (from the issuer–template–item mappings) the templates mapped to it and
    the valid licences of those (template, issuer) pairs."""
    mappings = restrict(TemplateMapping.objects.all(), user)
    if name:
        mappings = mappings.filter(item_name__icontains=name)
    rows = {}
    for code, item, template_id, issuer_id in mappings.values_list("item_code", "item_name", "template_id",
                                                                     "issuer_id"):
        row = rows.setdefault(code, {"code": code, "name": item, "pairs": set(), "templates": set()})
        row["pairs"].add((template_id, issuer_id))
        row["templates"].add(template_id)
    counts = dict(((t, i), n) for t, i, n in restrict(Licence.objects.filter(VALID), user)
                  .values("template", "issuer").annotate(n=Count("pk")).values_list("template", "issuer", "n"))
    return [{"code": r["code"], "name": r["name"], "templates": len(r["templates"]),
             "licences": sum(counts.get(p, 0) for p in r["pairs"])} for r in sorted(rows.values(),
                                                                                  key=lambda r: r["name"])]


def stats_by_source(user, *, name: str = "") -> list[dict]:
    """LIC-1.24: per issuing department, licences (every non-draft version) by source."""
    qs = restrict(Licence.objects.exclude(status=LicenceStatus.DRAFT), user)
    if name:
        qs = qs.filter(issuer__name__icontains=name)
    aggregates = {s: Count("pk", filter=Q(source=s)) for s in LicenceSource.values}
    rows = qs.values("issuer__name").annotate(total=Count("pk"), **aggregates).order_by("issuer__name")
    return [{"name": r["issuer__name"], "total": r["total"], **{s: r[s] for s in LicenceSource.values}}
            for r in rows]


def expiring_licences(user, *, within_days: int, today: dt.date | None = None):
    """LIC-1.22: valid licences whose validity ends within the warning window (today inclusive)."""
    today = today or timezone.localdate()
    return restrict(Licence.objects.filter(VALID, valid_until__gte=today,
                                           valid_until__lte=today + dt.timedelta(days=within_days)), user)


def archive(user):
    """LIC-1.16: every licence record that has an operation type (valid, change, inspection, end)."""
    return restrict(Licence.objects.exclude(operation=""), user)


def templates_with_licence_count(user):
    return restrict(LicenceTemplate.objects.all(), user).annotate(
        licence_total=Count("licences", filter=VALID))


def has_mapping():
    return Exists(TemplateMapping.objects.filter(template=OuterRef("template_id"), issuer=OuterRef("issuer_id")))


def seal_usage(user, *, now=None) -> list:
    """LIC-9.13 supervision: each seal in the user's scope with its signings today, in 7 days and in total
    and its last use — one aggregate query over the signing log."""
    from django.db.models import Max

    from .models import Seal

    now = now or timezone.now()
    today = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    return list(restrict(Seal.objects.exclude(status__in=["requested", "rejected"]), user)
                .select_related("organisation").defer("impression", "seal_der")
                .annotate(today=Count("signing_logs", filter=Q(signing_logs__signed_at__gte=today)),
                          week=Count("signing_logs", filter=Q(signing_logs__signed_at__gte=now - dt.timedelta(days=7))),
                          total=Count("signing_logs"), last_used=Max("signing_logs__signed_at"))
                .order_by("organisation__name", "name"))


def _rate(part: int, whole: int) -> float | None:
    return round(100.0 * part / whole, 1) if whole else None


def stats_collection(user, *, name: str = "") -> list[dict]:
    """LIC-1.23 collection rate per provincial-direct department (decision 0308):

    * 证照总数 = licences registered (distinct identifiers, drafts excluded);
    * 已采集证照 = of those, identifiers with a sealed standard OFD (valid or in the history library);
    * 文书总数 = documents the department's seals sealed that are not licences (决定书, 通知书 … in the log);
    * 已采集文书 = of those, documents that came in as data from a connected system (generation service or
      automatic signing: the log names the system), i.e. collected without re-keying or scanning;
    * 证照采集率 = 已采集证照 / 证照总数; 文书采集率 = 已采集文书 / 文书总数;
      总采集率 = (已采集证照 + 已采集文书) / (证照总数 + 文书总数). A rate with nothing to count is "—".
    Three aggregate queries, whatever the number of departments."""
    from .models import SigningLog

    licences = restrict(Licence.objects.exclude(status=LicenceStatus.DRAFT), user)
    lic = {row["issuer"]: row for row in licences.values("issuer").annotate(
        total=Count("licence_code", distinct=True),
        collected=Count("licence_code", distinct=True, filter=~Q(ofd_sm3="")))}
    logs = restrict(SigningLog.objects.exclude(request_message__has_key="licence"), user)
    docs = {row["seal__organisation"]: row for row in logs.values("seal__organisation").annotate(
        total=Count("pk"), collected=Count("pk", filter=~Q(client="")))}
    orgs = Organisation.objects.filter(kind="department", region__level=1)
    if name:
        orgs = orgs.filter(name__icontains=name)
    rows = []
    for org in orgs.order_by("name"):
        lt, lc = lic.get(org.pk, {}).get("total", 0), lic.get(org.pk, {}).get("collected", 0)
        dt_, dc = docs.get(org.pk, {}).get("total", 0), docs.get(org.pk, {}).get("collected", 0)
        rows.append({"name": org.name, "code": org.credit_code, "licences": lt, "licences_collected": lc,
                     "documents": dt_, "documents_collected": dc, "licence_rate": _rate(lc, lt),
                     "document_rate": _rate(dc, dt_), "overall_rate": _rate(lc + dc, lt + dt_)})
    return rows
