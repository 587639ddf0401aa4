"""Static files in production: whitenoise's compressed, hashed-name storage, built faster.

Brotli's default quality (11) took most of ``collectstatic``'s minute of CPU on the 23 MB of
static files (admin, API docs); quality 8 gives files a few per cent larger in a fraction of the
time.  Only the hashed copies are kept and compressed (the pages only name those).
"""

from __future__ import annotations

from whitenoise.compress import Compressor
from whitenoise.storage import CompressedManifestStaticFilesStorage


class _Compressor(Compressor):
    @staticmethod
    def compress_brotli(data):
        import brotli

        return brotli.compress(data, quality=8)


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    def create_compressor(self, **kwargs):
        return _Compressor(**kwargs)
