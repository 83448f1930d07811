"""The one domain exception type: a stable `code` for tests, a French message for people."""

from __future__ import annotations


class DomainError(Exception):
    """A rule refused an action. Views show `message`; tests assert `code`."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message

    def __str__(self) -> str:
        return self.message
