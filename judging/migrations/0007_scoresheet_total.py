import math

from django.db import migrations, models

from judging.results import CriterionSpec, sheets_compute


def total_existing_sheets(apps, schema_editor):
    """Each sheet saved before totals were kept gets its total, computed as
    judging.services.totals computes it (judging.results is pure numpy, so it reads the
    same here as in the app)."""
    Criterion = apps.get_model("judging", "Criterion")
    Score = apps.get_model("judging", "Score")
    ScoreSheet = apps.get_model("judging", "ScoreSheet")
    for event_id in Criterion.objects.values_list("event_id", flat=True).distinct():
        criteria = [
            CriterionSpec(
                id=pk,
                weight=float(weight),
                scale_min=low,
                scale_max=high,
                # Only whether a criterion is overall matters to a total.
                category=None if theme is None and challenge is None else "scoped",
            )
            for pk, weight, low, high, theme, challenge in Criterion.objects.filter(
                event_id=event_id
            ).values_list("pk", "weight", "scale_min", "scale_max", "theme_id", "challenge_id")
        ]
        rows = Score.objects.filter(criterion__event_id=event_id).values_list(
            "sheet__judge_id", "sheet__submission_id", "criterion_id", "value"
        )
        computed = sheets_compute(criteria=criteria, scores=list(rows))
        judge_at = {int(pk): j for j, pk in enumerate(computed.judge_ids)}
        entry_at = {int(pk): s for s, pk in enumerate(computed.submission_ids)}
        sheets = ScoreSheet.objects.filter(judge__event_id=event_id)
        for sheet in sheets.filter(scores__isnull=False).distinct():
            total = computed.totals[judge_at[sheet.judge_id], entry_at[sheet.submission_id]]
            if not math.isnan(total):  # NaN: no overall criterion scored
                sheet.total = float(total)
                sheet.save(update_fields=["total"])


class Migration(migrations.Migration):
    dependencies = [
        ("judging", "0006_scoresheet_counts"),
    ]

    operations = [
        migrations.AddField(
            model_name="scoresheet",
            name="total",
            field=models.FloatField(editable=False, null=True),
        ),
        migrations.RunPython(total_existing_sheets, migrations.RunPython.noop),
    ]
