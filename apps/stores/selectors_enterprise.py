"""What the enterprise space page shows (STORE-2.d): all reads scoped to the enterprise itself."""
from __future__ import annotations

from django.db.models import Count, Q

from apps.core.crypto import keyed_digest, mask
from apps.stores.models import EnterpriseMessage, MessageKind, ServiceSubscription


def space(*, user) -> dict:
    from apps.acceptance.models import Case
    from apps.licences.models import Licence, LicenceStatus
    from apps.matters.models import PolicySubscription
    from apps.matters.services.policies import policy_search
    from apps.stores.selectors import current_recommendations
    from apps.stores.services.enterprise import enterprise_service_code

    inbox = EnterpriseMessage.objects.filter(enterprise=user)
    counts = {row["kind"]: row for row in inbox.values("kind").annotate(
        total=Count("id"), unread=Count("id", filter=Q(read_at__isnull=True)))}
    licences = list(Licence.objects.filter(holder_code_digest=keyed_digest(user.credit_code),
                                           status=LicenceStatus.VALID).select_related("issuer").order_by("name")[:20])
    return {
        "code": enterprise_service_code(user=user),
        "kinds": [(kind, label, counts.get(kind, {}).get("unread", 0)) for kind, label in MessageKind.choices],
        "inbox": list(inbox.order_by("read_at", "-created_at")[:30]),
        "policy_tags": [s.tag for s in PolicySubscription.objects.filter(user=user).select_related("tag")],
        "policies": list(policy_search(for_legal_person=True)[:5]),
        "licence_policies": list(policy_search(query="证照", for_legal_person=True)[:5]),
        "recommendations": list(current_recommendations(limit=6)),
        "services": list(ServiceSubscription.objects.filter(enterprise=user)
                         .select_related("service__store").order_by("-created_at")[:20]),
        "licences": [{"name": lic.name, "number": mask(lic.licence_number, keep_start=2, keep_end=3),
                      "issuer": lic.issuer.name, "valid_until": lic.valid_until} for lic in licences],
        "cases": list(Case.objects.filter(applicant=user).select_related("item").order_by("-id")[:10]),
    }
