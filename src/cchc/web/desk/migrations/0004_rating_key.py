"""The rating key's digest on each dossier.

Existing dossiers get none: their citizens hold no key, so they cannot rate on the web
until an officer issues one ("Cấp mã đánh giá" on the dossier page, printed on form 01),
for example when the result is handed back (docs/desk.md).
"""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('desk', '0003_supplement_restart'),
    ]

    operations = [
        migrations.AddField(
            model_name='dossier',
            name='rating_key_digest',
            field=models.CharField(blank=True, max_length=64, verbose_name='mã đánh giá (băm)'),
        ),
    ]
