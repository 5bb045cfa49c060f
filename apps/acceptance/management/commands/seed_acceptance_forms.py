"""Seed the demo application forms (ACC-16.8) and their mapping (ACC-16.4); safe to run twice."""
from django.core.management.base import BaseCommand

from apps.acceptance.demo_forms import seed_forms


class Command(BaseCommand):
    help = "Seed demo no-code application forms bound to the demo items (个体工商户设立登记, 食品经营许可)."

    def handle(self, *args, **options):
        seed_forms(log=self.stdout.write)
