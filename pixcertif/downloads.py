"""One way to send a file the product makes or keeps: as an attachment, never sniffed, never cached."""

from __future__ import annotations

from typing import BinaryIO, overload

from django.core.files import File
from django.http import FileResponse, HttpResponse
from django.utils.cache import add_never_cache_headers
from django.utils.http import content_disposition_header


@overload
def attachment(filename: str, content: bytes, content_type: str) -> HttpResponse: ...
@overload
def attachment(filename: str, content: BinaryIO | File, content_type: str) -> FileResponse: ...
def attachment(filename: str, content: bytes | BinaryIO | File, content_type: str) -> HttpResponse | FileResponse:
    """`content` (bytes made now, or an open stored file, streamed) as a download named `filename`.

    Content-Disposition: attachment (a browser never renders it in our origin), nosniff, never
    cached: every file we serve carries a session's codes or a person's data.
    """
    response: HttpResponse | FileResponse
    if isinstance(content, bytes):
        response = HttpResponse(content, content_type=content_type)
        response["Content-Disposition"] = (
            content_disposition_header(as_attachment=True, filename=filename) or "attachment"
        )
    else:
        response = FileResponse(content, as_attachment=True, filename=filename, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    add_never_cache_headers(response)
    response["Cache-Control"] = f"{response['Cache-Control']}, private"
    return response
