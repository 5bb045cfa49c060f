"""Load the national standard licence templates (LIC-4.3) from fixtures/licences/national_templates.json:
`manage.py licences_load_standard_templates --username admin --organisation <USCC>` (idempotent)."""
from django.core.management.base import BaseCommand, CommandError

from apps.core.models import Organisation
from apps.identity.models import User
from apps.licences.services.standard_templates import standard_templates_load


class Command(BaseCommand):
    help = "Create or refresh the ≥64 national standard licence templates for an organisation."

    def add_arguments(self, parser):
        parser.add_argument("--username", required=True, help="acting account (needs add_licencetemplate)")
        parser.add_argument("--organisation", required=True, help="defining organisation's credit code")

    def handle(self, *args, **options):
        actor = User.objects.filter(username=options["username"]).first()
        organisation = Organisation.objects.filter(credit_code=options["organisation"]).first()
        if actor is None or organisation is None:
            raise CommandError("unknown user or organisation")
        result = standard_templates_load(actor=actor, organisation=organisation)
        self.stdout.write(f"standard templates: {result['created']} created, {result['updated']} updated")
