import datetime as dt

import pytest

from sessions_app.templatetags.session_dates import long_date


@pytest.mark.parametrize(
    "value, expected",
    [
        (dt.date(2022, 1, 5), "mercredi 05 janv. 2022"),
        (dt.date(2019, 4, 19), "vendredi 19 avr. 2019"),
        (dt.date(2022, 6, 5), "dimanche 05 juin 2022"),
        (dt.date(2022, 7, 14), "jeudi 14 juil. 2022"),
        (dt.date(2022, 9, 1), "jeudi 01 sept. 2022"),
        (dt.date(2022, 2, 28), "lundi 28 févr. 2022"),
    ],
)
def test_dates_are_written_as_in_the_guides(value, expected):
    assert long_date(value) == expected


def test_a_missing_date_is_written_as_nothing():
    assert long_date(None) == ""
