from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm
from django.utils.safestring import mark_safe

from accounts.models import Skill, User


class PasswordChangeForm(AdminPasswordChangeForm):
    # Django's own markup (a warning its admin script shows and hides), with no user text
    # in it: marked safe so that the escaping of all help text (common.forms) keeps it.
    usable_password_help_text = mark_safe(AdminPasswordChangeForm.usable_password_help_text)  # noqa: S308


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    change_password_form = PasswordChangeForm
    ordering = ["email"]
    list_display = ["email", "display_name", "participant_type", "is_staff", "date_joined"]
    list_filter = ["participant_type", "is_staff", "is_superuser", "is_active", "skills"]
    search_fields = ["email", "display_name", "organisation"]
    filter_horizontal = ["skills", "groups", "user_permissions"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (
            "Profile",
            {"fields": ["display_name", "organisation", "participant_type", "skills", "bio"]},
        ),
        (
            "Permissions",
            {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]


@admin.register(Skill)
class SkillAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
