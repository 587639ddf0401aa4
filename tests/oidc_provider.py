"""A small OpenID Connect provider for tests (standard library HTTP server, no network).

It implements what Jalon's sign-in uses: discovery, authorize (redirects back at once with a
code, as a provider does for a user already signed in there), token (client secret and PKCE
checked; the id_token signed RS256 with a key generated here), userinfo and JWKS.  The user it
signs in is ``provider.email``.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import threading
import time
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlparse

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa


class Provider:
    def __init__(self, client_id: str, client_secret: str, email: str):
        self.client_id, self.client_secret, self.email = client_id, client_secret, email
        self.audience = client_id  # a test may make the provider sign for another client
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.kid = secrets.token_hex(4)
        self.codes: dict[str, dict] = {}
        self.tokens: dict[str, str] = {}
        self.requests: list[str] = []
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.issuer = f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self):
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()

    def jwks(self) -> dict:
        jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(self.key.public_key()))
        return {"keys": [{**jwk, "kid": self.kid, "alg": "RS256", "use": "sig"}]}

    def id_token(self, nonce: str | None) -> str:
        now = int(time.time())
        claims = {"iss": self.issuer, "sub": "user-1", "aud": self.audience, "iat": now,
                  "exp": now + 300, "email": self.email, "email_verified": True}
        if nonce:
            claims["nonce"] = nonce
        return jwt.encode(claims, self.key, algorithm="RS256", headers={"kid": self.kid})

    def _handler(self):
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # quiet
                pass

            def _json(self, data, status=200):
                body = json.dumps(data).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self):
                url = urlparse(self.path)
                q = {k: v[0] for k, v in parse_qs(url.query).items()}
                provider.requests.append(url.path)
                if url.path == "/.well-known/openid-configuration":
                    return self._json({
                        "issuer": provider.issuer,
                        "authorization_endpoint": provider.issuer + "/authorize",
                        "token_endpoint": provider.issuer + "/token",
                        "userinfo_endpoint": provider.issuer + "/userinfo",
                        "jwks_uri": provider.issuer + "/jwks",
                        "id_token_signing_alg_values_supported": ["RS256"]})
                if url.path == "/jwks":
                    return self._json(provider.jwks())
                if url.path == "/authorize":
                    if q.get("client_id") != provider.client_id or q.get("response_type") != "code":
                        return self._json({"error": "invalid_request"}, 400)
                    code = secrets.token_urlsafe(16)
                    provider.codes[code] = q
                    self.send_response(302)
                    self.send_header("Location", q["redirect_uri"] + "?" + urlencode(
                        {"code": code, "state": q["state"]}))
                    self.end_headers()
                    return None
                if url.path == "/userinfo":
                    token = self.headers.get("Authorization", "").removeprefix("Bearer ")
                    if token not in provider.tokens:
                        return self._json({"error": "invalid_token"}, 401)
                    return self._json({"sub": "user-1", "email": provider.tokens[token],
                                       "email_verified": True, "given_name": "Test"})
                return self._json({"error": "not_found"}, 404)

            def do_POST(self):
                length = int(self.headers.get("Content-Length", "0"))
                form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
                provider.requests.append(self.path)
                if self.path != "/token":
                    return self._json({"error": "not_found"}, 404)
                asked = provider.codes.pop(form.get("code", ""), None)
                if (asked is None or form.get("client_secret") != provider.client_secret
                        or form.get("redirect_uri") != asked["redirect_uri"]):
                    return self._json({"error": "invalid_grant"}, 400)
                if "code_challenge" in asked:
                    digest = hashlib.sha256(form.get("code_verifier", "").encode()).digest()
                    if base64.urlsafe_b64encode(digest).rstrip(b"=").decode() != \
                            asked["code_challenge"]:
                        return self._json({"error": "invalid_grant"}, 400)
                access = secrets.token_urlsafe(16)
                provider.tokens[access] = provider.email
                return self._json({"access_token": access, "token_type": "Bearer",
                                   "expires_in": 300, "id_token": provider.id_token(
                                       asked.get("nonce"))})

        return Handler


@contextmanager
def signing_in_with(settings, name: str | None = None):
    """A started test Provider and the settings that make Jalon sign in through it (the pytest
    ``settings`` fixture restores them afterwards)."""
    with Provider("jalon-test", "s3cret-client", "editor@amay.example") as p:
        settings.JALON_OIDC_ENABLED = True
        if name:
            settings.JALON_OIDC_NAME = name
        settings.JALON_OIDC_ISSUER = p.issuer
        settings.OIDC_RP_CLIENT_ID = "jalon-test"
        settings.OIDC_RP_CLIENT_SECRET = "s3cret-client"
        settings.AUTHENTICATION_BACKENDS = [*settings.AUTHENTICATION_BACKENDS,
                                            "jalon.accounts.oidc.Backend"]
        yield p
