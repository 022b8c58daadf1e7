"""Publication versions (corrections with a reason) and "does not apply" with a reason on
both sides of a criterion score. Existing publications of a level and year are numbered
1, 2, … in the order they were published."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def number_publications(apps, schema_editor):
    Campaign = apps.get_model("campaigns", "Campaign")
    seen: dict[tuple[str, int], int] = {}
    for campaign in Campaign.objects.filter(status="published").order_by("published_at", "pk"):
        key = (campaign.level, campaign.year)
        seen[key] = seen.get(key, 0) + 1
        campaign.version = seen[key]
        campaign.save(update_fields=["version"])


class Migration(migrations.Migration):

    dependencies = [
        ('campaigns', '0002_organisation'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='campaign',
            name='correction_reason',
            field=models.TextField(blank=True, verbose_name='lý do đính chính'),
        ),
        migrations.AddField(
            model_name='campaign',
            name='published_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='campaign',
            name='version',
            field=models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='phiên bản công bố'),
        ),
        migrations.AddField(
            model_name='criterionscore',
            name='appraised_not_applicable',
            field=models.BooleanField(default=False, verbose_name='không áp dụng (thẩm định)'),
        ),
        migrations.AddField(
            model_name='criterionscore',
            name='not_applicable_reason',
            field=models.TextField(blank=True, verbose_name='lý do không áp dụng'),
        ),
        migrations.AlterField(
            model_name='criterionscore',
            name='not_applicable',
            field=models.BooleanField(default=False, verbose_name='không áp dụng (tự đánh giá)'),
        ),
        migrations.RunPython(number_publications, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="campaign",
            constraint=models.UniqueConstraint(
                fields=("level", "year", "version"), name="campaign_publication_version_unique"
            ),
        ),
    ]
