"""Where a long value may wrap in a narrow table column."""

from __future__ import annotations

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.filter
def email_break(value: str | None) -> SafeString:
    """An e-mail address, escaped, that may wrap after its "@" and its dots (a hyphen already allows it)."""
    escaped = str(conditional_escape(str(value or "")))
    return mark_safe(escaped.replace("@", "@<wbr>").replace(".", ".<wbr>"))
