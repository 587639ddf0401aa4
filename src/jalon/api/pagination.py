"""Page numbers bounded by the schema: ``?page=999999999999999999`` is a 422, not an integer
overflow in the database (SQLite and PostgreSQL refuse offsets beyond 64 bits).

``prepared_page``: the same parameters and the same documented answer as
``@paginate(BoundedPagination, …)``, for list routes that build their page themselves as plain
JSON (``api.lists``) instead of validating one schema object per row.
"""

from __future__ import annotations

from functools import partial, wraps

from ninja import Field, Schema
from ninja.pagination import PageNumberPagination, make_response_paginated
from ninja.utils import contribute_operation_args, contribute_operation_callback

MAX_PAGE = 1_000_000


class BoundedPagination(PageNumberPagination):
    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE)
        page_size: int | None = Field(None, ge=1, le=10_000)


def prepared_page(*, page_size: int, max_page_size: int):
    """Decorate a list route whose function returns a ``lists.Listing``: the page asked for
    (``page``, ``page_size`` up to ``max_page_size``) is cut and answered as
    ``{"items": [...], "count": n}``, the OpenAPI document unchanged."""
    paginator = BoundedPagination(page_size=page_size, max_page_size=max_page_size)

    def wrapper(func):
        @wraps(func)
        def view(request, **kwargs):
            asked = kwargs.pop("ninja_pagination", None) or paginator.Input()
            size = paginator._get_page_size(asked.page_size)
            listing = func(request, **kwargs)
            return listing.response((asked.page - 1) * size, size)

        contribute_operation_args(view, "ninja_pagination", paginator.Input,
                                  paginator.InputSource)
        contribute_operation_callback(view, partial(make_response_paginated, paginator))
        view._ninja_is_paginated = True
        return view

    return wrapper
