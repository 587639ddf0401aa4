"""Page numbers bounded by the schema: ``?page=999999999999999999`` is a 422, not an integer
overflow in the database (SQLite and PostgreSQL refuse offsets beyond 64 bits)."""

from __future__ import annotations

from ninja import Field, Schema
from ninja.pagination import PageNumberPagination

MAX_PAGE = 1_000_000


class BoundedPagination(PageNumberPagination):
    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE)
        page_size: int | None = Field(None, ge=1, le=10_000)
