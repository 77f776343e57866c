from django.contrib import admin

from registration.models import Registration, RegistrationPolicy


@admin.register(RegistrationPolicy)
class RegistrationPolicyAdmin(admin.ModelAdmin):
    list_display = ["event", "mode", "offer_window_hours", "seats_held"]
    readonly_fields = ["seats_held"]


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    list_display = ["user", "event", "status", "applied_at", "checked_in_at"]
    list_filter = ["status", "event"]
    search_fields = ["user__email", "user__display_name"]
    raw_id_fields = ["user"]
    readonly_fields = ["status", "applied_at", "offered_at", "offer_expires_at", "checked_in_at"]
