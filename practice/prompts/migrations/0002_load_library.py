"""Load the prompt library from data/prompts.json (only ids not present yet)."""

from django.db import migrations


def load_library(apps, schema_editor):
    from practice.prompts import library

    library.load(apps.get_model("prompts", "Prompt"))


class Migration(migrations.Migration):
    dependencies = [
        ("prompts", "0001_initial"),
    ]

    operations = [
        # Reversing leaves the prompts: 0001's reversal drops the table anyway.
        migrations.RunPython(load_library, migrations.RunPython.noop),
    ]
