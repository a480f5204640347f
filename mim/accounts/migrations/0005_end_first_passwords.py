"""Accounts that never logged in still hold the first password the office was shown when it
made them (before invitations). Whoever saw it could log in as that account, a coordinator's
among them, before its owner did. This ends those passwords: such an account gets an
invitation from the office (`office:invitation_resend`) and its owner chooses her own.
Operators' accounts are the server's business and are left alone."""

from django.contrib.auth.hashers import make_password
from django.db import migrations


def end_first_passwords(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    never = User.objects.filter(last_login__isnull=True).exclude(
        role_assignments__role="operator")
    for user in never.only("pk"):
        User.objects.filter(pk=user.pk).update(password=make_password(None))


class Migration(migrations.Migration):
    dependencies = [("accounts", "0004_role_proposals")]
    operations = [migrations.RunPython(end_first_passwords, migrations.RunPython.noop)]
