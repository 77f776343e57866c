from django.contrib import admin

from events.models import Challenge, Event, EventRole, ScheduleItem, Series, Theme


class ThemeInline(admin.TabularInline):
    model = Theme
    extra = 0
    prepopulated_fields = {"slug": ["name"]}


class ChallengeInline(admin.StackedInline):
    model = Challenge
    extra = 0
    prepopulated_fields = {"slug": ["title"]}


class ScheduleItemInline(admin.TabularInline):
    model = ScheduleItem
    extra = 0


class EventRoleInline(admin.TabularInline):
    model = EventRole
    extra = 0
    fields = ["role", "email", "user", "accepted_at"]
    raw_id_fields = ["user"]


@admin.register(Series)
class SeriesAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["name", "starts_at", "venue_name", "capacity", "is_published"]
    list_filter = ["is_published", "series"]
    search_fields = ["name", "venue_name", "description"]
    date_hierarchy = "starts_at"
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["judging_locked_at", "results_published_at"]
    inlines = [ThemeInline, ChallengeInline, ScheduleItemInline, EventRoleInline]


@admin.register(EventRole)
class EventRoleAdmin(admin.ModelAdmin):
    list_display = ["email", "role", "event", "user", "accepted_at"]
    list_filter = ["role", "event"]
    search_fields = ["email", "user__email"]
    raw_id_fields = ["user", "invited_by"]
