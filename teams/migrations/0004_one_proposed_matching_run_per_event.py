from django.db import migrations, models


def discard_superseded_proposals(apps, schema_editor):
    """Before the constraint: keep each event's newest proposal, discard older ones (two
    organisers proposing at once could leave two)."""
    MatchingRun = apps.get_model("teams", "MatchingRun")
    newest = {}
    for run in MatchingRun.objects.filter(status="proposed").order_by("-created_at", "-id"):
        if run.event_id in newest:
            MatchingRun.objects.filter(pk=run.pk).update(status="discarded")
        else:
            newest[run.event_id] = run.pk


class Migration(migrations.Migration):
    dependencies = [("teams", "0003_partner_preference_by_email")]

    operations = [
        migrations.RunPython(discard_superseded_proposals, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="matchingrun",
            constraint=models.UniqueConstraint(
                condition=models.Q(("status", "proposed")),
                fields=("event",),
                name="one_proposed_matching_run_per_event",
            ),
        ),
    ]
