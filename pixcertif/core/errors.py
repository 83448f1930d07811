"""The one domain exception type: a stable `code` for tests and callers, a message for people.

Messages are written in French through gettext (`gettext`, `gettext_lazy` for module constants,
named placeholders `%(name)s`), so they come out in the language of the request that hit the
rule: the English interface shows them in English. Tests assert `code`, never the wording.
"""

from __future__ import annotations

from django.utils.functional import Promise


class DomainError(Exception):
    """A rule refused an action. Views show `message`; tests assert `code`."""

    def __init__(self, code: str, message: str | Promise) -> None:
        # A lazy message (module constant) is translated now, in the language of the request.
        message = str(message)
        super().__init__(message)
        self.code = code
        self.message = message

    def __str__(self) -> str:
        return self.message
