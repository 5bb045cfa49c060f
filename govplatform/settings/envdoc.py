"""`config()` reads one environment variable and records it, with its documentation,
so that `manage.py envdoc` can write docs/environment.md from the settings themselves."""
import os

REGISTRY: list[dict] = []

_TRUE = {"1", "true", "yes", "on"}


def config(name: str, default, doc: str, *, cast=str):
    """Return the environment variable `name` cast to `cast`, or `default`."""
    REGISTRY.append({"name": name, "default": default, "doc": doc})
    raw = os.environ.get(name)
    if raw is None:
        if cast is list and isinstance(default, str):
            raw = default
        else:
            return default
    if cast is bool:
        return raw.strip().lower() in _TRUE
    if cast is list:
        return [item.strip() for item in raw.split(",") if item.strip()]
    return cast(raw)
