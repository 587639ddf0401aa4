"""The one error type the ingest side raises: a single line naming where and what."""

from __future__ import annotations


class IngestError(Exception):
    """Bad input. ``str(err)`` is one line: ``file:line: field: message``."""

    def __init__(self, message: str, *, file: str = "", line: int | None = None, field: str = ""):
        self.message = message.replace("\n", " ").strip()
        self.file = file
        self.line = line
        self.field = field
        super().__init__(str(self))

    def __str__(self) -> str:
        where = self.file or "<input>"
        if self.line is not None:
            where += f":{self.line}"
        if self.field:
            where += f": {self.field}"
        return f"{where}: {self.message}"
