"""Dates written as the French guides write them: "mercredi 05 janv. 2022"."""

from __future__ import annotations

import datetime as dt

from django import template
from django.utils import dateformat
from django.utils.translation import pgettext_lazy

register = template.Library()

# Django's "b" and "N" formats give "jan." or "jan"; the guides use the usual French abbreviations.
MONTH_ABBREVIATIONS = {
    1: pgettext_lazy("abbrev. month", "janv."),
    2: pgettext_lazy("abbrev. month", "févr."),
    3: pgettext_lazy("abbrev. month", "mars"),
    4: pgettext_lazy("abbrev. month", "avr."),
    5: pgettext_lazy("abbrev. month", "mai"),
    6: pgettext_lazy("abbrev. month", "juin"),
    7: pgettext_lazy("abbrev. month", "juil."),
    8: pgettext_lazy("abbrev. month", "août"),
    9: pgettext_lazy("abbrev. month", "sept."),
    10: pgettext_lazy("abbrev. month", "oct."),
    11: pgettext_lazy("abbrev. month", "nov."),
    12: pgettext_lazy("abbrev. month", "déc."),
}


@register.filter
def long_date(value: dt.date | None) -> str:
    """2022-01-05 → "mercredi 05 janv. 2022" (day name, 2-digit day, abbreviated month, year)."""
    if not isinstance(value, dt.date):
        return ""
    day_name = dateformat.format(value, "l")
    return f"{day_name} {value:%d} {MONTH_ABBREVIATIONS[value.month]} {value.year}"
