"""Each site's results inputs kept per year (mim.publication.kept_results), and the per-site
triggers again, now also on matches, visits and self-assessments."""

from django.db import migrations, models

from mim.publication import triggers


def up(apps, schema_editor):
    triggers.install(schema_editor.connection)


class Migration(migrations.Migration):

    dependencies = [
        ('publication', '0004_site_triggers'),
        ('registry', '0003_selfassessment'),
    ]

    operations = [
        migrations.CreateModel(
            name='KeptSiteResults',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('site_id', models.BigIntegerField()),
                ('year', models.PositiveSmallIntegerField()),
                ('cutoff', models.DateField()),
                ('stamp', models.BigIntegerField()),
                ('version', models.CharField(max_length=40)),
                ('token', models.CharField(max_length=32)),
                ('inputs', models.BinaryField()),
                ('measures', models.BinaryField()),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('site_id', 'year'), name='kept_results_site_year_unique')],
            },
        ),
        # Back: the triggers stay (they only raise stamps; the post_migrate reinstall puts
        # them back anyway).
        migrations.RunPython(up, migrations.RunPython.noop),
    ]
