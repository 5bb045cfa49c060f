"""Print the current TOTP code of the demo's published secret (province_admin's authenticator, demo only)."""
import pyotp
from django.core.management.base import BaseCommand

from apps.portal.demo.data import DEMO_TOTP_SECRET


class Command(BaseCommand):
    help = "Print province_admin's current demo TOTP code (the demo secret is public; real devices are not readable)."

    def handle(self, *args, **options):
        self.stdout.write(pyotp.TOTP(DEMO_TOTP_SECRET).now())
