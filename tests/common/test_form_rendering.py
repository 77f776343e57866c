"""templates/includes/form.html: the one way a form is shown. Every widget kind the
project uses, with hostile labels, hints and choices, and an error on every field."""

import re
from html.parser import HTMLParser

from django import forms
from django.template.loader import render_to_string

from common.forms import error_target_id

SCRIPT = "<script>alert(1)</script>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"


class EveryWidget(forms.Form):
    text = forms.CharField(label=f"Name {SCRIPT}", help_text=f"Hint {SCRIPT}", max_length=3)
    long_text = forms.CharField(label="Bio", widget=forms.Textarea)
    number = forms.IntegerField(label="Age", min_value=0)
    size = forms.ChoiceField(
        label="T-shirt", choices=[("xl", "XL"), ("s", f"Small {SCRIPT}")], widget=forms.RadioSelect
    )
    diet = forms.MultipleChoiceField(
        label="Diet",
        choices=[("vegan", "Vegan"), ("halal", "Halal")],
        widget=forms.CheckboxSelectMultiple,
    )
    colour = forms.ChoiceField(label="Colour", choices=[("red", "Red"), ("blue", "Blue")])
    agree = forms.BooleanField(label=f"I agree {SCRIPT}")

    def clean(self):
        raise forms.ValidationError("The form as a whole is wrong.")


class _Ids(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids = set()

    def handle_starttag(self, tag, attrs):
        self.ids.update(value for name, value in attrs if name == "id")


def _render(data):
    return render_to_string("includes/form.html", {"form": EveryWidget(data)})


def test_form_escapes_labels_hints_and_choices():
    html = _render({})

    assert SCRIPT not in html
    assert f"Name {ESCAPED}" in html
    assert f"Hint {ESCAPED}" in html
    assert f"Small {ESCAPED}" in html
    assert f"I agree {ESCAPED}" in html


def test_form_shows_choice_labels_as_written():
    assert re.search(r">\s*XL\s*<", _render({}))


def test_error_summary_links_every_error_to_an_element_on_the_page():
    html = _render({"text": "toolong", "number": "-1", "colour": "green"})
    ids = _Ids()
    ids.feed(html)

    summary = html[html.index("govuk-error-summary") : html.index("</ul>")]
    targets = re.findall(r'href="#([^"]+)"', summary)

    assert sorted(targets) == sorted(
        [
            "id_text",
            "id_text",
            "id_long_text",
            "id_number",
            "id_size_1",
            "id_diet_1",
            "id_colour",
            "id_agree",
        ]
    )
    assert set(targets) <= ids.ids
    assert "The form as a whole is wrong." in summary


def test_each_error_is_shown_beside_its_own_field():
    html = _render({"text": "toolong"})
    text_group = html[html.index('id="div_id_text"') : html.index('id="div_id_long_text"')]

    assert "Ensure this value has at most 3 characters (it has 7)." in text_group
    assert "This field is required." not in text_group


def test_no_error_summary_for_an_unbound_form():
    assert "govuk-error-summary" not in render_to_string(
        "includes/form.html", {"form": EveryWidget()}
    )


def test_error_target_of_a_multi_part_widget_is_its_first_part():
    class DateParts(forms.Form):
        when = forms.SplitDateTimeField()

    assert error_target_id(DateParts()["when"]) == "id_when_0"
