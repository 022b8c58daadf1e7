from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('desk', '0005_portal_import'),
    ]

    operations = [
        migrations.AddField(
            model_name='procedure',
            name='field',
            field=models.CharField(blank=True, max_length=200, verbose_name='lĩnh vực'),
        ),
    ]
