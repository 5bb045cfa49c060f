"""Partner provincial portals (三省一区: Jilin, Liaoning, Inner Mongolia, Hainan) and the national
cross-province zone, as they meet us (STORE-2.a): each is registered in apps.identity as a client system
in ticket mode; a logged-in user's jump arrives at its home page with `?ticket=`, and the partner
exchanges the ticket with our provincial identity:

    POST {our}/sso/api/ticket/token  app_id, app_secret, ticket  → {"access_token"}
    GET  {our}/sso/api/userinfo      Authorization: Bearer …      → {"name", …}

PartnerSiteSimulator is such a partner home page (WSGI, served by SimulatorServer over real HTTP): it
exchanges the ticket and answers "欢迎，<name>" — the login recognised — or "请登录" without one."""
from __future__ import annotations

import html
import threading
from urllib.parse import parse_qs

import requests


class PartnerSiteSimulator:
    def __init__(self, *, code: str, secret: str, identity_url: str, title: str = "合作省份政务服务网"):
        self.code, self.secret, self.identity_url, self.title = code, secret, identity_url.rstrip("/"), title
        self.recognised: list[dict] = []
        self._lock = threading.Lock()

    def _user(self, ticket: str) -> dict | None:
        token = requests.post(f"{self.identity_url}/sso/api/ticket/token",
                              data={"app_id": self.code, "app_secret": self.secret, "ticket": ticket}, timeout=10)
        if token.status_code != 200:
            return None
        info = requests.get(f"{self.identity_url}/sso/api/userinfo", timeout=10,
                            headers={"Authorization": f"Bearer {token.json()['access_token']}"})
        return info.json() if info.status_code == 200 else None

    def __call__(self, environ, start_response):
        ticket = (parse_qs(environ.get("QUERY_STRING", "")).get("ticket") or [""])[0]
        user = self._user(ticket) if ticket else None
        if user is not None:
            with self._lock:
                self.recognised.append(user)
            text = f"<h1>{html.escape(self.title)}</h1><p data-user>欢迎，{html.escape(str(user.get('name', '')))}</p>"
        else:
            text = f"<h1>{html.escape(self.title)}</h1><p data-anonymous>请登录</p>"
        body = f"<!doctype html><html lang='zh-hans'><meta charset='utf-8'><body>{text}</body></html>".encode()
        start_response("200 OK", [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(body)))])
        return [body]
