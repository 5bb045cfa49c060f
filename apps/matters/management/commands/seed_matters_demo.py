"""`manage.py seed_matters_demo`: the demo catalogue and implementation lists (idempotent)."""
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Create the demo province's matters (needs seed_demo's organisations); safe to run twice."

    def handle(self, *args, **options):
        from apps.matters.demo import seed_matters

        seed_matters(log=self.stdout.write)
