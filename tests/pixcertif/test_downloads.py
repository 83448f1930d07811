"""Every private download goes through pixcertif.downloads.attachment (attachment, nosniff, no cache)."""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings

from pixcertif.downloads import attachment

APPS = ["pixcertif", "sessions_app", "invigilation", "finalisation"]
BYPASS = re.compile(r"\bFileResponse\(|Content-Disposition|content_disposition_header|as_attachment=")


def test_no_view_builds_a_download_by_hand():
    root = Path(settings.BASE_DIR)
    offenders = [
        str(path.relative_to(root))
        for app in APPS
        for path in (root / app).rglob("*.py")
        if "migrations" not in path.parts
        and path != root / "pixcertif" / "downloads.py"
        and BYPASS.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_a_download_is_an_attachment_never_sniffed_nor_cached():
    response = attachment("résultats.csv", b"a;b\r\n", "text/csv; charset=utf-8")
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
