"""A department system (relying party) that receives OIDC back-channel logout notices, for tests
and the dev stack. It checks each logout token the way a real client must — signature with the
provider's JWKS, iss, aud, the back-channel event, no nonce, not expired, jti not replayed — and
answers 200 (session ended), 400 (bad token) or, while told to be down, 503."""
from __future__ import annotations

import json
import threading
import time
from urllib.parse import parse_qs

from jwcrypto import jwk, jwt

EVENT = "http://schemas.openid.net/event/backchannel-logout"


class BackchannelLogoutClientSimulator:
    def __init__(self, *, issuer: str, audience: str, jwks: dict):
        self.issuer, self.audience = issuer, audience
        self.keys = jwk.JWKSet.from_json(json.dumps(jwks))
        self._lock = threading.Lock()
        self.down = False
        self.logged_out: list[dict] = []     # claims of the accepted tokens
        self.refused: list[str] = []
        self.attempts = 0

    def check(self, token: str) -> dict:
        parsed = jwt.JWT(jwt=token, key=self.keys, algs=["RS256"], check_claims={"exp": None})
        claims = json.loads(parsed.claims)
        if claims.get("iss") != self.issuer or claims.get("aud") != self.audience:
            raise ValueError("wrong issuer or audience")
        if EVENT not in (claims.get("events") or {}) or "nonce" in claims or not claims.get("sub"):
            raise ValueError("not a logout token")
        if claims["iat"] > time.time() + 60:
            raise ValueError("issued in the future")
        if any(seen["jti"] == claims["jti"] for seen in self.logged_out):
            raise ValueError("replayed jti")
        return claims

    def __call__(self, environ, start_response):
        with self._lock:
            self.attempts += 1
            if self.down:
                return self._answer(start_response, "503 Service Unavailable", {"error": "down"})
            length = int(environ.get("CONTENT_LENGTH") or 0)
            form = parse_qs(environ["wsgi.input"].read(length).decode())
            token = (form.get("logout_token") or [""])[0]
            try:
                claims = self.check(token)
            except Exception as exc:  # noqa: BLE001 — any defect of the token is a 400
                self.refused.append(str(exc))
                return self._answer(start_response, "400 Bad Request", {"error": "invalid_request"})
            self.logged_out.append(claims)
            return self._answer(start_response, "200 OK", {})

    @staticmethod
    def _answer(start_response, status: str, body: dict):
        data = json.dumps(body).encode()
        start_response(status, [("Content-Type", "application/json"), ("Cache-Control", "no-store"),
                                ("Content-Length", str(len(data)))])
        return [data]
