"""includes/field.html: the input names its help text and its errors with aria-describedby."""

import re

from django import forms
from django.template.loader import render_to_string


class _Form(forms.Form):
    name = forms.CharField(label="Nom", help_text="Tel qu'il figure sur la pièce d'identité.")
    code = forms.CharField(label="Code")
    preset = forms.CharField(label="Préréglé", widget=forms.TextInput(attrs={"aria-describedby": "counter"}))


def _input(html: str, name: str) -> str:
    return re.search(rf'<input[^>]*name="{name}"[^>]*>', html).group(0)


def _render(form: forms.Form, name: str) -> str:
    return render_to_string("includes/field.html", {"field": form[name]})


def test_an_input_in_error_names_its_help_text_and_its_error_message():
    form = _Form(data={})
    html = _render(form, "name")
    assert 'aria-describedby="id_name_helptext id_name_error"' in _input(html, "name")
    assert 'id="id_name_error"' in html and 'id="id_name_helptext"' in html


def test_an_input_without_help_text_names_only_its_error_message():
    html = _render(_Form(data={}), "code")
    assert 'aria-describedby="id_code_error"' in _input(html, "code")


def test_an_input_keeps_the_ids_its_form_set_and_adds_its_error_message():
    html = _render(_Form(data={}), "preset")
    assert 'aria-describedby="counter id_preset_error"' in _input(html, "preset")


def test_a_valid_input_without_help_text_has_no_aria_describedby():
    html = _render(_Form(data={"name": "a", "code": "b", "preset": "c"}), "code")
    assert "aria-describedby" not in _input(html, "code")


def test_several_errors_of_one_field_share_one_id():
    form = _Form(data={})
    form.add_error("code", "Deuxième erreur.")
    html = _render(form, "code")
    assert html.count('id="id_code_error"') == 1
    assert html.count('class="error-text"') == 2
