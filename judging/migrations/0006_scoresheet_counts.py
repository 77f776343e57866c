from django.db import migrations, models


class Migration(migrations.Migration):
    """Sheets of events locked before this have no `counts`: they are counted as things
    stand until judging is next locked (judging.selectors.counted_pairs)."""

    dependencies = [
        ("judging", "0005_prizes"),
    ]

    operations = [
        migrations.AddField(
            model_name="scoresheet",
            name="counts",
            field=models.BooleanField(editable=False, null=True),
        ),
    ]
