from sessions_app.templatetags.text_breaks import email_break


def test_an_email_may_wrap_after_its_at_sign_and_its_dots():
    assert email_break("anne.roux@college.example") == "anne.<wbr>roux@<wbr>college.<wbr>example"


def test_an_email_is_escaped_before_its_break_points_are_added():
    assert email_break('<b>"x"@y.fr') == "&lt;b&gt;&quot;x&quot;@<wbr>y.<wbr>fr"


def test_nothing_gives_an_empty_string():
    assert email_break(None) == ""
