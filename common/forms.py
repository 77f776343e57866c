from django.forms import widgets
from django.forms.boundfield import BoundField
from django.forms.renderers import DjangoTemplates
from django.utils.html import conditional_escape


class EscapedBoundField(BoundField):
    """A field whose label and help text are escaped once, here. Django's form templates,
    the admin's and crispy-forms' print them with `|safe`, and organisers write some of
    them (a question's label and help text), so unescaped they would run their script in
    every reader's browser. Text already marked safe (Django's password rules) is left
    as it is."""

    def __init__(self, form, field, name):
        super().__init__(form, field, name)
        self.help_text = conditional_escape(self.help_text)
        if self.label is not None:
            self.label = conditional_escape(self.label)


class Renderer(DjangoTemplates):
    """Django's form renderer with escaped labels and help text (settings.FORM_RENDERER),
    so no form anywhere, the admin's included, renders them as HTML."""

    bound_field_class = EscapedBoundField


def error_target_id(field: BoundField) -> str:
    """The id of the element an error summary link should focus for `field`: its first
    radio or checkbox for a group (numbered from 1 by the GOV.UK templates), its first
    part for a multi-part widget, else the input itself."""
    widget = field.field.widget
    if isinstance(widget, widgets.RadioSelect | widgets.CheckboxSelectMultiple):
        return f"id_{field.html_name}_1"
    if isinstance(widget, widgets.MultiWidget):
        return f"{field.auto_id}_0"
    return field.id_for_label or field.auto_id


def show_service_error(form, error, *, field_of=lambda name: name) -> None:
    """Put a service's ApplicationError on `form`: each problem next to the field it
    names (`field_of` maps a service's name to the form's), the rest at the top, and the
    message there when no problem is named."""
    for name, problems in error.details.items():
        field = field_of(name)
        for problem in problems:
            form.add_error(field if field in form.fields else None, problem)
    if not error.details:
        form.add_error(None, error.message)


def needs_an_answer(question_text: str) -> dict:
    """A questionnaire field's error_messages: the error summary lists every unanswered
    question together, so each message names its question."""
    return {"required": f"“{question_text}” needs an answer."}
