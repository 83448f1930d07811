"""A frame's holes are escaped exactly as Django's templates escape them (`conditional_escape`)."""

from __future__ import annotations

import datetime

import pytest
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from pixcertif.core.frames import Frame, escaped, hole


@pytest.mark.parametrize(
    "value",
    [
        'Zoé <b>"d\'Arc"</b> & Cie',
        "",
        mark_safe("<em>déjà sûr</em>"),
        42,
        -7,
        True,
        None,
        1.5,
        datetime.date(2026, 12, 3),
        gettext_lazy("Terminé"),
    ],
)
def test_a_hole_is_escaped_as_conditional_escape_does(value):
    assert escaped(value) == str(conditional_escape(value))


def test_a_frame_fills_its_holes_escaped():
    made = Frame.of(f'<p title="{hole("name")}">{hole("count")}</p>')
    assert made.fill({"name": "<Zoé & Léa>", "count": 3}) == '<p title="&lt;Zoé &amp; Léa&gt;">3</p>'
