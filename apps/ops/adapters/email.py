"""Outbox peer "ops_email": work_order notifications by e-mail through Django's configured e-mail backend."""
from django.conf import settings
from django.core.mail import send_mail

from apps.core.outbox import PeerPermanentError, PeerTemporaryError


def deliver_email(message) -> None:
    payload = message.payload
    if not payload.get("to"):
        raise PeerPermanentError("no recipient")
    body = f"{payload.get('body', '')}\n\n{settings.PUBLIC_BASE_URL.rstrip('/')}{payload.get('url', '')}"
    try:
        send_mail(payload.get("subject", ""), body, None, [payload["to"]], fail_silently=False)
    except OSError as exc:      # SMTP connection problems: try again later
        raise PeerTemporaryError(str(exc)) from exc
