"""Raise the figures' input stamp on every write to what figures are made of
(mim.publication.triggers)."""

from django.db import migrations

from mim.publication import triggers


def up(apps, schema_editor):
    triggers.install(schema_editor.connection)


def down(apps, schema_editor):
    triggers.remove(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("publication", "0001_initial"), ("registry", "0001_initial"),
                    ("returns", "0002_workflow"), ("organisations", "0001_initial")]
    operations = [migrations.RunPython(up, down)]
