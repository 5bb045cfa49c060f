"""Load the Heilongjiang region fixture (or another region file) idempotently."""
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from apps.core.services.regions import DEFAULT_FIXTURE, regions_load


class Command(BaseCommand):
    help = "Load regions from fixtures/regions_heilongjiang.json (safe to run again)."

    def add_arguments(self, parser):
        parser.add_argument("--path", default=str(DEFAULT_FIXTURE), help="region file (JSON, see fixtures/README.md)")

    def handle(self, *args, path, **options):
        try:
            result = regions_load(path=path)
        except (ValidationError, OSError, ValueError, KeyError) as exc:
            message = "; ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
            raise CommandError(f"区划文件无效，未写入任何数据：{message}") from exc
        self.stdout.write(self.style.SUCCESS(
            f"区划：新增 {result.created}，更新 {result.updated}，未变 {result.unchanged}"))
