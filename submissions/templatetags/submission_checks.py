"""Tags for entries: `{% submission_status_tag entry %}` (with "Late"), and where checks
stand: `{% validation_tag entry.validation %}` (an entry, all its files) and
`{% artifact_status_tag artifact %}` (one file)."""

from django import template
from django.utils.html import format_html

from submissions.enums import SubmissionStatus, Validation, ValidationStatus
from submissions.selectors.listing import VALIDATION_COLOURS

register = template.Library()


@register.simple_tag
def validation_tag(value) -> str:
    validation = Validation(value)
    return format_html(
        '<strong class="govuk-tag govuk-tag--{}">{}</strong>',
        VALIDATION_COLOURS[validation],
        validation.label,
    )


ARTIFACT_COLOURS = {
    ValidationStatus.QUEUED: "grey",
    ValidationStatus.RUNNING: "blue",
    ValidationStatus.PASSED: "green",
    ValidationStatus.WARNINGS: "yellow",
    ValidationStatus.FAILED: "red",
}


@register.simple_tag
def artifact_status_tag(artifact) -> str:
    """Where one file's checks stand, as a tag."""
    return format_html(
        '<strong class="govuk-tag govuk-tag--{}">{}</strong>',
        ARTIFACT_COLOURS[artifact.status],
        artifact.get_status_display(),
    )


STATUS_COLOURS = {
    SubmissionStatus.DRAFT: "grey",
    SubmissionStatus.SUBMITTED: "green",
    SubmissionStatus.LOCKED: "blue",
}


@register.simple_tag
def submission_status_tag(entry) -> str:
    """An entry's status as a tag, with a red "Late" tag beside it when it was first
    submitted after its deadline."""
    tag = format_html(
        '<strong class="govuk-tag govuk-tag--{}">{}</strong>',
        STATUS_COLOURS[entry.status],
        entry.get_status_display(),
    )
    if entry.is_late:
        tag += format_html(' <strong class="govuk-tag govuk-tag--{}">{}</strong>', "red", "Late")
    return tag
