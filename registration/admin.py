from django.contrib import admin

from registration.models import (
    Answer,
    Consent,
    Question,
    Registration,
    RegistrationPolicy,
    SegmentMessage,
)


@admin.register(RegistrationPolicy)
class RegistrationPolicyAdmin(admin.ModelAdmin):
    list_display = ["event", "mode", "offer_window_hours", "seats_held"]
    readonly_fields = ["seats_held"]


class AnswerInline(admin.TabularInline):
    model = Answer
    extra = 0
    readonly_fields = ["question", "value"]


class ConsentInline(admin.TabularInline):
    model = Consent
    extra = 0
    readonly_fields = ["kind", "version", "accepted_at"]


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    inlines = [AnswerInline, ConsentInline]
    list_display = ["__str__", "event", "status", "applied_at", "checked_in_at"]
    list_filter = ["status", "event"]
    search_fields = ["user__email", "user__display_name", "walk_in_name"]
    raw_id_fields = ["user"]
    readonly_fields = ["status", "applied_at", "offered_at", "offer_expires_at", "checked_in_at"]


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["label", "event", "kind", "required", "sensitive", "order"]
    list_filter = ["event", "kind", "required", "sensitive"]
    search_fields = ["label"]


@admin.register(SegmentMessage)
class SegmentMessageAdmin(admin.ModelAdmin):
    """Read-only: a message is sent from the organiser console, once."""

    list_display = ["subject", "event", "segment", "sent_at", "recipient_count"]
    list_filter = ["event", "segment"]
    readonly_fields = [field.name for field in SegmentMessage._meta.fields]

    def has_add_permission(self, request):
        return False
