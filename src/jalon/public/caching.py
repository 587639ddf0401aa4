"""Conditional requests and a response cache for the public side, keyed by plan revisions.

``Plan.revision`` / ``Plan.last_modified`` are bumped by every write to a plan or its
follow-up (``plans.changes``), so a public page, its open data and the catalogue are the same
bytes as long as the revisions, the language and the day (lateness is judged on today) are the
same: they are built once, kept in Django's cache (``CACHES``: local memory by default, Redis
with ``JALON_CACHE_URL``), and answered with ``304 Not Modified`` when the client already has
them (``If-None-Match`` / ``If-Modified-Since``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable

from django.core.cache import cache
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response
from django.utils.http import http_date
from django.utils.translation import get_language

TIMEOUT = 24 * 3600
KEPT_HEADERS = ("Content-Type", "Content-Disposition", "Access-Control-Allow-Origin")


def conditional(request, kind: str, version: str, last_modified,
                build: Callable[[], HttpResponse]) -> HttpResponse:
    """``build()``'s response for this ``version``, from the cache when it is there, or a 304
    when the client has it already.  ``version`` must change whenever the output would."""
    day = timezone.localdate()
    raw = f"{kind}|{version}|{get_language()}|{day.isoformat()}"
    etag = '"' + hashlib.sha256(raw.encode()).hexdigest()[:32] + '"'
    # lateness is judged on today: the page changes at midnight even when nothing is written
    midnight = timezone.make_aware(dt.datetime.combine(day, dt.time()))
    last_modified = max(last_modified, midnight) if last_modified else midnight
    stamp = int(last_modified.timestamp())
    not_modified = get_conditional_response(request, etag=etag, last_modified=stamp)
    if not_modified is not None:
        return _stamp(not_modified, etag, last_modified)
    key = "jalon:public:" + etag.strip('"')
    hit = cache.get(key)
    if hit is None:
        response = build()
        if response.status_code != 200:
            return response
        hit = (response.content, response.status_code,
               {h: response[h] for h in KEPT_HEADERS if h in response})
        cache.set(key, hit, TIMEOUT)
    content, status, headers = hit
    response = HttpResponse(content, status=status)
    for h, v in headers.items():
        response[h] = v
    return _stamp(response, etag, last_modified)


def _stamp(response: HttpResponse, etag: str, last_modified) -> HttpResponse:
    response["ETag"] = etag
    response["Last-Modified"] = http_date(int(last_modified.timestamp()))
    response["Cache-Control"] = "public, max-age=0, must-revalidate"
    response["Vary"] = "Accept-Language, Cookie"
    return response
