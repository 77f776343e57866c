from django.forms.boundfield import BoundField
from django.forms.renderers import DjangoTemplates
from django.utils.html import conditional_escape


class EscapedHelpTextBoundField(BoundField):
    """A field whose help text is escaped once, here. Django's form templates (and the
    admin's) print help text with `|safe`, and organisers write some of it (a question's
    help text), so unescaped it would run their script in every reader's browser. Help
    text that is already safe (Django's password rules) is left as it is."""

    def __init__(self, form, field, name):
        super().__init__(form, field, name)
        self.help_text = conditional_escape(self.help_text)


class Renderer(DjangoTemplates):
    """Django's form renderer with escaped help text (settings.FORM_RENDERER), so no form
    anywhere, the admin's included, renders help text as HTML."""

    bound_field_class = EscapedHelpTextBoundField
