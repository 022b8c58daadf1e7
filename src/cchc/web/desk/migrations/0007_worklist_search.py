"""The folded applicant name the work list searches (search by applicant name), filled for the
dossiers already stored."""

from typing import Any

from django.db import migrations, models

from cchc.textio import fold


def fill(apps: Any, schema_editor: Any) -> None:
    Dossier = apps.get_model("desk", "Dossier")
    named = Dossier.objects.exclude(applicant_name="").only("pk", "applicant_name")
    batch = []
    for dossier in named.iterator(chunk_size=2000):
        dossier.applicant_key = fold(dossier.applicant_name)
        batch.append(dossier)
        if len(batch) == 2000:
            Dossier.objects.bulk_update(batch, ["applicant_key"])
            batch = []
    Dossier.objects.bulk_update(batch, ["applicant_key"])


class Migration(migrations.Migration):

    dependencies = [
        ('desk', '0006_procedure_field'),
    ]

    operations = [
        migrations.AddField(
            model_name='dossier',
            name='applicant_key',
            field=models.CharField(blank=True, editable=False, max_length=200, verbose_name='họ tên người nộp (để tìm)'),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
