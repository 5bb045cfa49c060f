"""Rebuild the stored public guide documents (decision 0104): every published implementation item gets
its document rewritten; documents of items no longer published are removed."""
from django.core.management.base import BaseCommand

from apps.matters.models import ImplementationItem, MatterStatus, PublicGuide
from apps.matters.services.public_guides import guide_documents_refresh


class Command(BaseCommand):
    help = "Rebuild the stored public guide documents of published implementation items."

    def handle(self, *args, **options):
        removed, _detail = PublicGuide.objects.exclude(item__status=MatterStatus.PUBLISHED).delete()
        pks = ImplementationItem.objects.published().order_by("pk").values_list("pk", flat=True)
        written = guide_documents_refresh(pks.iterator(chunk_size=2000))
        self.stdout.write(f"public guides: {written} written, {removed} removed")
