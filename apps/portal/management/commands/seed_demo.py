"""Build the demo province: `--small` (default, seconds) or `--large` (benchmarks, minutes)."""
from django.core.management.base import BaseCommand

from apps.portal import demo


class Command(BaseCommand):
    help = "Seed a believable Heilongjiang province (regions, organisations, roles, demo accounts)."

    def add_arguments(self, parser):
        size = parser.add_mutually_exclusive_group()
        size.add_argument("--small", action="store_const", const="small", dest="size",
                          help="demo and tests (default)")
        size.add_argument("--large", action="store_const", const="large", dest="size",
                          help=f"≥1,000 organisations and ≥{demo.LARGE_USERS:,} users, for benchmarks")
        parser.add_argument("--if-empty", action="store_true", help="do nothing if the demo data already exists")

    def handle(self, *args, size=None, if_empty=False, **options):
        if if_empty and demo.demo_exists():
            self.stdout.write("演示数据已存在，跳过。")
            return
        demo.seed(size=size or "small", log=self.stdout.write)
