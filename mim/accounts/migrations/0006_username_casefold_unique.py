import django.db.models.functions.text
from django.db import migrations, models
from django.db.models import Count
from django.db.models.functions import Lower


def refuse_names_that_differ_in_case_only(apps, schema_editor):
    """The constraint cannot be made while two accounts share a name but for its case; say
    which, so the operator can rename or switch one off (Django's admin) and migrate again,
    instead of meeting the database's error about an index."""
    User = apps.get_model("accounts", "User")
    clashes = (User.objects.annotate(folded=Lower("username")).values("folded")
               .annotate(n=Count("pk")).filter(n__gt=1).values_list("folded", flat=True))
    if clashes:
        names = sorted(User.objects.annotate(folded=Lower("username"))
                       .filter(folded__in=list(clashes)).values_list("username", flat=True))
        raise RuntimeError(
            "These accounts differ in the case of their username only; rename all but one "
            "of each (Django's admin) and migrate again: " + ", ".join(names))


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0005_end_first_passwords'),
        ('auth', '0012_alter_user_first_name_max_length'),
    ]

    operations = [
        migrations.RunPython(refuse_names_that_differ_in_case_only, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name='user',
            constraint=models.UniqueConstraint(
                django.db.models.functions.text.Lower('username'),
                name='accounts_user_username_casefold_unique',
                violation_error_message='Deze gebruikersnaam bestaat al.'),
        ),
    ]
