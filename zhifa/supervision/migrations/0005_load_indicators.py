"""Load the 170 indicators of the Shaanxi 三项制度 indicator system from the CSV shipped with the code."""

from django.db import migrations


def load(apps, schema_editor):
    from zhifa.supervision.assessment.catalog import load as load_rows

    load_rows(apps.get_model("supervision", "Indicator"), using=schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [("supervision", "0004_assessment_ledgers")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
