"""Make the access log append-only in the database itself (security guide E2)."""

from django.db import migrations

from mim.audit import triggers


def up(apps, schema_editor):
    triggers.install(schema_editor.connection)


def down(apps, schema_editor):
    triggers.remove(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]
    operations = [migrations.RunPython(up, down)]
