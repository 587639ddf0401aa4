"""Work in progress of an upload, kept between requests: a JSON file per upload under
``VAR_DIR/imports/<uuid>.json``, referenced from the user's session.

A parsed plan can weigh a megabyte, too much for a session row or a signed cookie; the session
only lists the tokens this user may open, so a token alone (guessed or leaked) opens nothing.
Files are removed on save or cancel, and any left behind are pruned after ``MAX_AGE`` seconds.
The uploaded file itself may be kept beside its payload (``<uuid>.bin``, :func:`write_bytes`)
so that the preview can read it again with another column mapping.

A large file is read by the task worker (``web.tasks.parse_import``): the web stores the bytes
and a payload whose ``status`` is ``queued``; the worker, which has no session, reads and
writes that upload by its token alone (``*_for_task``) and leaves ``ready`` with the draft, or
``failed`` with one line.  The worker must see the same ``VAR_DIR`` as the web.
"""

from __future__ import annotations

import json
import os
import time
import uuid
from pathlib import Path
from typing import Any

from django.conf import settings
from django.http import Http404

SESSION_KEY = "jalon_uploads"
MAX_AGE = 24 * 3600
MAX_PER_SESSION = 10


def directory() -> Path:
    return Path(settings.VAR_DIR) / "imports"


def _path(token: str) -> Path:
    try:
        token = uuid.UUID(hex=str(token)).hex
    except ValueError:
        raise Http404 from None
    return directory() / f"{token}.json"


def _data_path(token: str) -> Path:
    return _path(token).with_suffix(".bin")


def _tokens(request) -> list[str]:
    return list(request.session.get(SESSION_KEY, []))


def create(request, payload: dict[str, Any]) -> str:
    """Store a new payload for this session; returns its token."""
    prune()
    token = uuid.uuid4().hex
    tokens = _tokens(request) + [token]
    for old in tokens[:-MAX_PER_SESSION]:  # a session keeps its last few uploads only
        _unlink(old)
    request.session[SESSION_KEY] = tokens[-MAX_PER_SESSION:]
    write(request, token, payload)
    return token


def write(request, token: str, payload: dict[str, Any]) -> None:
    if token not in _tokens(request):
        raise Http404
    write_for_task(token, payload)


def write_for_task(token: str, payload: dict[str, Any]) -> None:
    """Write an upload's payload by its token (the task worker, which has no session)."""
    path = _path(token)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(payload, ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, path)  # a reader never sees half a file


def read(request, token: str, kind: str) -> dict[str, Any]:
    """The payload of one of this session's uploads, of the given kind (else 404)."""
    if token not in _tokens(request):
        raise Http404
    try:
        payload = json.loads(_path(token).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise Http404 from None
    if payload.get("kind") != kind or payload.get("user") != request.user.pk:
        raise Http404
    return payload


def read_for_task(token: str) -> dict[str, Any] | None:
    """An upload's payload by its token (the task worker), or None when it is gone."""
    try:
        return json.loads(_path(token).read_text(encoding="utf-8"))
    except (OSError, ValueError, Http404):
        return None


def read_bytes_for_task(token: str) -> bytes | None:
    try:
        return _data_path(token).read_bytes()
    except (OSError, Http404):
        return None


def discard_bytes_for_task(token: str) -> None:
    try:
        _data_path(token).unlink(missing_ok=True)
    except Http404:
        pass


def write_bytes(request, token: str, data: bytes) -> None:
    """Keep the uploaded file of one of this session's uploads."""
    if token not in _tokens(request):
        raise Http404
    path = _data_path(token)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".bintmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def read_bytes(request, token: str) -> bytes | None:
    """The uploaded file kept for this upload, or None (not kept, or pruned)."""
    if token not in _tokens(request):
        raise Http404
    try:
        return _data_path(token).read_bytes()
    except OSError:
        return None


def discard(request, token: str) -> None:
    tokens = _tokens(request)
    if token in tokens:
        tokens.remove(token)
        request.session[SESSION_KEY] = tokens
        _unlink(token)


def _unlink(token: str) -> None:
    try:
        _path(token).unlink(missing_ok=True)
        _data_path(token).unlink(missing_ok=True)
    except Http404:
        pass


def prune(max_age: int = MAX_AGE) -> int:
    """Remove uploads older than ``max_age`` seconds (abandoned previews)."""
    folder = directory()
    if not folder.is_dir():
        return 0
    limit = time.time() - max_age
    removed = 0
    for p in [*folder.glob("*.json"), *folder.glob("*.bin")]:
        try:
            if p.stat().st_mtime < limit:
                p.unlink()
                removed += 1
        except OSError:
            continue
    return removed
