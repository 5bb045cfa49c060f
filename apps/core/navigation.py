"""Registries that let every app contribute to the portal without the portal knowing them.

* Menu entries: `register_menu(MenuEntry(...))` in an AppConfig.ready(); the portal's side
  navigation shows the entries a user's permissions allow, grouped by section.
* Inbox providers: `register_inbox("name", provider)` where `provider(user)` returns
  InboxItem objects (pending tasks: reviews to decide, complaints to accept …); the portal's
  staff inbox lists them all, newest deadline first.

Living in core (not portal) keeps the dependency arrow pointing one way: any app may
register, and only the portal reads.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache

from django.conf import settings
from django.urls import NoReverseMatch, get_script_prefix, reverse


@dataclass(frozen=True)
class MenuEntry:
    section: str            # section heading in the side navigation, e.g. "组织机构"
    label: str              # link text
    url_name: str           # reversible URL name, e.g. "core:region-list"
    permission: str | None = None   # "app_label.codename"; None = any staff user
    order: int = 100
    section_order: int = 100

    @property
    def url(self) -> str:
        return _menu_url(self.url_name, get_script_prefix(), settings.ROOT_URLCONF)


@lru_cache(maxsize=1024)
def _menu_url(url_name: str, script_prefix: str, urlconf: str) -> str:
    """Menu URLs take no arguments, so each is reversed once per process: every portal page draws
    the side navigation, and reversing its ~30 links was most of that page's rendering time."""
    try:
        return reverse(url_name)
    except NoReverseMatch:
        return "#"


@dataclass
class InboxItem:
    title: str
    url: str
    category: str                   # e.g. "机构变更审核"
    due_at: datetime | None = None
    created_at: datetime | None = None
    extra: dict = field(default_factory=dict)


InboxProvider = Callable[[object], Iterable[InboxItem]]

_menu: dict[str, MenuEntry] = {}
_inbox: dict[str, InboxProvider] = {}


def register_menu(*entries: MenuEntry) -> None:
    for entry in entries:
        _menu[entry.url_name] = entry      # idempotent: ready() may run twice in tests


def register_inbox(name: str, provider: InboxProvider) -> None:
    _inbox[name] = provider


def menu_for(user) -> list[tuple[str, list[MenuEntry]]]:
    """Sections and their entries that `user` may open, in display order."""
    if not getattr(user, "is_authenticated", False):
        return []
    # One permission set per page instead of a has_perm() round through every backend per entry;
    # an active superuser holds every permission, as has_perm() says.
    everything = user.is_active and user.is_superuser
    granted = set() if everything else user.get_all_permissions()
    allowed = [e for e in _menu.values() if e.permission is None or everything or e.permission in granted]
    sections: dict[str, list[MenuEntry]] = {}
    for entry in sorted(allowed, key=lambda e: (e.section_order, e.section, e.order, e.label)):
        sections.setdefault(entry.section, []).append(entry)
    return list(sections.items())


def inbox_for(user) -> list[InboxItem]:
    items: list[InboxItem] = []
    for provider in _inbox.values():
        items.extend(provider(user))
    far_future = datetime.max.replace(tzinfo=None)
    return sorted(items, key=lambda item: (item.due_at.replace(tzinfo=None) if item.due_at else far_future))
