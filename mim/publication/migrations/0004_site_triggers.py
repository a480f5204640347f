"""Raise a site's stamp on every write to its records (mim.publication.kept): the triggers of
0002 again, now with the per-site ones."""

from django.db import migrations

from mim.publication import triggers


def up(apps, schema_editor):
    triggers.install(schema_editor.connection)


def down(apps, schema_editor):
    triggers.remove(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("publication", "0003_kept_site_figures")]
    operations = [migrations.RunPython(up, down)]
