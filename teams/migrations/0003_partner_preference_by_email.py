from django.db import migrations, models


def copy_addresses(apps, schema_editor):
    PartnerPreference = apps.get_model("teams", "PartnerPreference")
    for preference in PartnerPreference.objects.select_related("partner"):
        preference.partner_email = preference.partner.email.lower()
        preference.save(update_fields=["partner_email"])


class Migration(migrations.Migration):
    """A partner preference names an address instead of a user, so saving one no longer
    tells whether the address has a place at the event."""

    dependencies = [("teams", "0002_policies_for_existing_events")]

    operations = [
        migrations.AddField(
            model_name="partnerpreference",
            name="partner_email",
            field=models.EmailField(default="", max_length=254),
            preserve_default=False,
        ),
        migrations.RunPython(copy_addresses, migrations.RunPython.noop),
        migrations.RemoveConstraint(model_name="partnerpreference", name="partner_once"),
        migrations.RemoveConstraint(
            model_name="partnerpreference", name="partner_is_someone_else"
        ),
        migrations.RemoveField(model_name="partnerpreference", name="partner"),
        migrations.AddConstraint(
            model_name="partnerpreference",
            constraint=models.UniqueConstraint(
                fields=("event", "user", "partner_email"), name="partner_email_once"
            ),
        ),
    ]
