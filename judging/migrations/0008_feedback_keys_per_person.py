from django.db import migrations

PURPOSE = "judging_feedback"


def key_per_person(apps, schema_editor):
    """Feedback emails were keyed by entry and address; they are now keyed by entry and
    person. Each message already queued gets its person's key, found by its address, so
    nobody is written to again; an address nobody has any more keeps its old key."""
    OutboxMessage = apps.get_model("common", "OutboxMessage")
    User = apps.get_model("accounts", "User")
    messages = OutboxMessage.objects.filter(purpose=PURPOSE).exclude(object_key__contains="/user:")
    for message in messages.iterator():
        user = User.objects.filter(email__iexact=message.recipient).order_by("pk").first()
        if user is not None:
            message.object_key = f"{message.object_key}/user:{user.pk}"
            message.save(update_fields=["object_key"])


class Migration(migrations.Migration):
    dependencies = [
        ("judging", "0007_scoresheet_total"),
        ("common", "0002_email_suppression"),
        ("accounts", "0003_api_token_names"),
    ]

    operations = [migrations.RunPython(key_per_person, migrations.RunPython.noop)]
