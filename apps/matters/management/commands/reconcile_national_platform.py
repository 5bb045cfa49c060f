"""`manage.py reconcile_national_platform`: list the differences between the peer and what we sent."""
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Compare the national platform's holdings with the matters in use; print the differences."

    def handle(self, *args, **options):
        from apps.matters.adapters.national_platform.client import get_platform
        from apps.matters.services.reconciliation import CLASSES, reconcile

        result = reconcile(holdings=get_platform().holdings())
        counts = result.counts
        self.stdout.write("在用事项 %s 项；" % result.in_use
                          + "，".join(f"{CLASSES[key]} {counts.get(key, 0)}" for key in CLASSES))
        for row in result.differences:
            self.stdout.write(f"{row.state_label}\t{row.code}\t{row.name}\t本地V{row.local_version or '-'}"
                              f"\t对端V{row.peer_version or '-'}\t{row.error[:80]}")
