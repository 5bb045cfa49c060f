"""Simulators of the outside identity providers (apps.identity.adapters.thirdparty): real WSGI apps
served on real sockets by SimulatorServer in tests and by `manage.py run_identity_simulators`.

The user's action in the provider's own app (scanning and authorising, confirming in Alipay…) is
`authorise(code, record)` — what the provider's back end learns when the user taps "授权"."""
from __future__ import annotations

import html
import json
import secrets
import urllib.request
from http.cookies import SimpleCookie
from urllib.parse import parse_qsl, urlencode

from apps.core.adapters.simulators import JsonPeerSimulator


class AuthCodeSimulator(JsonPeerSimulator):
    """Alipay, the e-social-security card, the e-business-licence system: a code the user authorised
    in the provider's app is exchanged once for the identity; an unknown code is still "pending"
    (the QR not yet scanned), a refused one "mismatch"."""

    resource = "/verify"

    def reset_state(self) -> None:
        self.authorised: dict[str, dict] = {}
        self.refused: set[str] = set()
        self.queries: list[dict] = []

    def authorise(self, code: str, record: dict) -> None:
        with self._lock:
            self.authorised[code] = dict(record)

    def refuse(self, code: str) -> None:
        with self._lock:
            self.refused.add(code)

    def accept(self, key: str, body: dict) -> tuple[int, dict]:
        self.queries.append(body)
        code = str(body.get("auth_code", ""))
        if not code:
            return 400, {"error": "auth_code is required"}
        if code in self.refused:
            return 200, {"result": "mismatch", "message": "用户拒绝授权"}
        record = self.authorised.pop(code, None)
        if record is None:
            return 200, {"result": "pending", "message": "等待用户授权"}
        return 200, {"result": "match", "message": "授权成功", "record": record}

    def listing(self) -> dict:
        return {"queries": list(self.queries)}


class CityAuthSimulator(JsonPeerSimulator):
    """The cities' authentication/verification APIs (地市认证核验接口): accounts by city and name."""

    resource = "/verify"

    def reset_state(self) -> None:
        self.accounts: dict[tuple[str, str], dict] = {}

    def register(self, *, city_code: str, username: str, password: str, record: dict) -> None:
        self.accounts[(city_code, username)] = {"password": password, "record": dict(record)}

    def accept(self, key: str, body: dict) -> tuple[int, dict]:
        account = self.accounts.get((str(body.get("city_code", "")), str(body.get("username", ""))))
        if account is None or account["password"] != body.get("password"):
            return 200, {"result": "mismatch", "message": "地市账号或密码错误"}
        return 200, {"result": "match", "message": "核验通过", "record": account["record"]}

    def listing(self) -> dict:
        return {"accounts": len(self.accounts)}


class CertificateAuthoritySimulator(JsonPeerSimulator):
    """The CA's online certificate status service (like OCSP): good, revoked or unknown by serial."""

    resource = "/verify"

    def reset_state(self) -> None:
        self.status: dict[str, str] = {}

    def issue(self, serial_number: int | str) -> None:
        self.status[str(serial_number)] = "good"

    def revoke(self, serial_number: int | str) -> None:
        self.status[str(serial_number)] = "revoked"

    def accept(self, key: str, body: dict) -> tuple[int, dict]:
        status = self.status.get(str(body.get("serial_number", "")), "unknown")
        if status != "good":
            return 200, {"result": "mismatch", "message": "证书已吊销" if status == "revoked" else "证书未登记",
                         "record": {"status": status}}
        return 200, {"result": "match", "message": "证书有效", "record": {"status": status}}

    def listing(self) -> dict:
        return {"certificates": dict(self.status)}


class ExitEntrySimulator(JsonPeerSimulator):
    """The national exit-entry document API: documents by type and number, with a face marker."""

    resource = "/verify"

    def reset_state(self) -> None:
        self.documents: dict[tuple[str, str], dict] = {}

    def register(self, *, document_type: str, document_number: str, name: str, user_type: str = "citizen",
                 face_marker: str = "") -> None:
        self.documents[(document_type, document_number.upper())] = {"name": name, "user_type": user_type,
                                                                    "face": face_marker}

    def accept(self, key: str, body: dict) -> tuple[int, dict]:
        doc = self.documents.get((str(body.get("document_type", "")), str(body.get("document_number", "")).upper()))
        if doc is None or doc["name"] != body.get("name") or doc["user_type"] != body.get("user_type"):
            return 200, {"result": "mismatch", "message": "证件信息不一致"}
        if body.get("image_base64") and body["image_base64"] != doc["face"]:
            return 200, {"result": "mismatch", "message": "人脸与证件照片比对不通过"}
        return 200, {"result": "match", "message": "核验通过",
                     "record": {"name": doc["name"], "document_type": body["document_type"],
                                "document_number": str(body["document_number"]).upper(),
                                "face_verified": bool(body.get("image_base64"))}}

    def listing(self) -> dict:
        return {"documents": len(self.documents)}


def _page(title: str, body: str, status: str = "200 OK", headers=()):
    data = (f"<!doctype html><html lang=zh-CN><head><meta charset=utf-8><title>{html.escape(title)}</title></head>"
            f"<body><h1>{html.escape(title)}</h1>{body}</body></html>").encode()
    return status, [("Content-Type", "text/html; charset=utf-8"), *headers], [data]


def _redirect(url: str, headers=()):
    return "302 Found", [("Location", url), *headers], [b""]


def _with(url: str, **params) -> str:
    return f"{url}{'&' if '?' in url else '?'}{urlencode(params)}"


class NationalPlatformSimulator(JsonPeerSimulator):
    """The national government-service platform's unified identity (国家政务服务平台统一身份认证):
    its login page, its same-browser session (cookie `national_sid`), silent authorisation for trust
    passing, the code exchange (`POST /verify`), its level-upgrade page, and its own portal, which
    asks the province for a logged-in user (trust passing the other way, implicit login)."""

    resource = "/verify"
    COOKIE = "national_sid"

    def reset_state(self) -> None:
        self.accounts: dict[str, dict] = {}
        self.sessions: dict[str, str] = {}
        self.codes: dict[str, str] = {}
        self.recognised: list[dict] = []
        self.required_level: int | None = None
        self.province_trust_url = ""
        self.province_token_url = ""
        self.client_id = ""
        self.client_secret = ""
        self.hash_salt = "national-hash-salt"

    def register(self, *, username: str, password: str, record: dict) -> None:
        self.accounts[username] = {"password": password, "record": dict(record)}

    def accept(self, key: str, body: dict) -> tuple[int, dict]:
        username = self.codes.pop(str(body.get("code", "")), None)
        if username is None:
            return 200, {"result": "mismatch", "message": "授权码无效或已使用"}
        return 200, {"result": "match", "message": "ok", "record": self.accounts[username]["record"]}

    def listing(self) -> dict:
        return {"recognised": list(self.recognised)}

    # --- browser-facing pages ------------------------------------------------------------

    def __call__(self, environ, start_response):
        method, path = environ["REQUEST_METHOD"], environ.get("PATH_INFO", "/").rstrip("/") or "/"
        pages = {("GET", "/login"): self._login_form, ("POST", "/login"): self._login_submit,
                 ("GET", "/authorize"): self._authorize, ("GET", "/level-upgrade"): self._level_upgrade,
                 ("GET", "/portal"): self._portal, ("GET", "/portal/callback"): self._portal_callback}
        if (method, path) == ("POST", "/hash"):
            return self._hash(environ, start_response)
        handler = pages.get((method, path))
        if handler is None:
            return super().__call__(environ, start_response)
        params = dict(parse_qsl(environ.get("QUERY_STRING", "")))
        with self._lock:
            user = self.sessions.get(self._cookie(environ))
        status, headers, body = handler(environ, params, user)
        start_response(status, headers)
        return body

    def _hash(self, environ, start_response):
        """The national hash values (IDN-14.4): SM3 over the national salt, the kind and the identifier."""
        from cryptography.hazmat.primitives import hashes

        body = self.read_json(environ) or {}
        kind, identifier = str(body.get("kind", "")), str(body.get("identifier", "")).upper()
        if kind not in ("person", "legal") or not identifier:
            status, data = "400 Bad Request", {"error": "kind (person|legal) and identifier are required"}
        else:
            with self._lock:
                self.requests += 1
            digest = hashes.Hash(hashes.SM3())
            digest.update(f"{self.hash_salt}|{kind}|{identifier}".encode())
            status, data = "200 OK", {"kind": kind, "hash": digest.finalize().hex()}
        payload = json.dumps(data, ensure_ascii=False).encode()
        start_response(status, [("Content-Type", "application/json; charset=utf-8")])
        return [payload]

    def _cookie(self, environ) -> str:
        cookie = SimpleCookie(environ.get("HTTP_COOKIE", ""))
        return cookie[self.COOKIE].value if self.COOKIE in cookie else ""

    def _new_session(self, username: str):
        sid = secrets.token_urlsafe(16)
        with self._lock:
            self.sessions[sid] = username
        return ("Set-Cookie", f"{self.COOKIE}={sid}; Path=/; HttpOnly")

    def _code_for(self, username: str) -> str:
        code = secrets.token_urlsafe(16)
        with self._lock:
            self.codes[code] = username
        return code

    def _login_form(self, environ, params, user):
        hidden = "".join(f'<input type=hidden name="{k}" value="{html.escape(v)}">' for k, v in params.items())
        return _page("国家政务服务平台统一身份认证登录",
                     f'<form method=post action="/login">{hidden}<input name=username><input name=password '
                     f'type=password><button>登录</button></form>')

    def _login_submit(self, environ, params, user):
        length = int(environ.get("CONTENT_LENGTH") or 0)
        form = dict(parse_qsl(environ["wsgi.input"].read(length).decode()))
        account = self.accounts.get(form.get("username", ""))
        if account is None or account["password"] != form.get("password"):
            return _page("国家政务服务平台统一身份认证登录", "<p class=error>用户名或密码错误</p>")
        cookie = self._new_session(form["username"])
        code = self._code_for(form["username"])
        return _redirect(_with(form.get("redirect_uri", "/"), code=code, state=form.get("state", "")), [cookie])

    def _authorize(self, environ, params, user):
        """Silent check (prompt=none): a national session in this browser → a code, else an error."""
        target = params.get("redirect_uri", "/")
        if user is None:
            return _redirect(_with(target, error="login_required", state=params.get("state", "")))
        return _redirect(_with(target, code=self._code_for(user), state=params.get("state", "")))

    def _level_upgrade(self, environ, params, user):
        return _page("国家政务服务平台认证等级提升", f"<p>请完成三级实名认证后返回：{html.escape(params.get('return', ''))}</p>")

    def _portal(self, environ, params, user):
        if user is not None:
            return _page("国家政务服务平台", f"<p data-user>{html.escape(user)}</p>")
        host = environ.get("HTTP_HOST", "")
        query = {"redirect_uri": f"http://{host}/portal/callback", "state": secrets.token_urlsafe(8),
                 "client_id": self.client_id}
        if self.required_level:
            query["level"] = str(self.required_level)
        return _redirect(_with(self.province_trust_url, **query))

    def _portal_callback(self, environ, params, user):
        if "code" not in params:
            return _page("国家政务服务平台", f"<p>未登录（{html.escape(params.get('error', ''))}）</p>")
        request = urllib.request.Request(
            self.province_token_url, method="POST", headers={"Content-Type": "application/json"},
            data=json.dumps({"code": params["code"], "client_id": self.client_id,
                             "client_secret": self.client_secret}).encode())
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                record = json.loads(response.read())
        except OSError as exc:
            return _page("国家政务服务平台", f"<p>信任传递失败：{html.escape(str(exc))}</p>", "502 Bad Gateway")
        username = f"province:{record.get('sub')}"
        with self._lock:
            self.recognised.append(record)
        return _redirect("/portal", [self._new_session(username)])


