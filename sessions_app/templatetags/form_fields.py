"""Render a form field's widget linked to its help text and its error messages."""

from django import template
from django.forms import BoundField
from django.utils.safestring import SafeString

register = template.Library()


def described_by(field: BoundField) -> str:
    """The ids a field's input must point at with `aria-describedby`: those the form set on the
    widget, then the help text, then the error messages (as includes/field.html renders them)."""
    ids = (field.field.widget.attrs.get("aria-describedby") or "").split()
    if field.auto_id and not field.is_hidden:
        if field.help_text:
            ids.append(f"{field.auto_id}_helptext")
        if field.errors:
            ids.append(f"{field.auto_id}_error")
    return " ".join(dict.fromkeys(ids))


@register.filter
def described_widget(field: BoundField) -> SafeString:
    """`{{ field|described_widget }}`: the input with `aria-describedby` naming its help and errors,
    so a screen reader announces an error when the input gets focus."""
    ids = described_by(field)
    return field.as_widget(attrs={"aria-describedby": ids} if ids else None)
