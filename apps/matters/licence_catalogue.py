"""The e-licence catalogue as matters sees it (MAT-4.1): a Protocol the licences app implements and
registers at start-up (`register_licence_catalogue(provider)` from its AppConfig.ready / menus).

Until a provider is registered, linking is refused with a clear message; nothing is faked here."""
from __future__ import annotations

from typing import Protocol


class LicenceCatalogue(Protocol):
    def entry(self, code: str) -> dict | None:
        """The catalogue entry {"code", "name", "subject_type"} or None when it does not exist."""

    def request_entry(self, *, name: str, subject_type: str, template_name: str, template: bytes,
                      requested_by: str, idempotency_key: str) -> str:
        """File a new-catalogue-entry request (MAT-4.1.3); return the licence system's request id.
        The licences app calls `licence_entry_confirmed(...)` in matters when its administrator confirms."""


_provider: LicenceCatalogue | None = None


def register_licence_catalogue(provider: LicenceCatalogue | None) -> None:
    global _provider
    _provider = provider


def get_licence_catalogue() -> LicenceCatalogue | None:
    return _provider
