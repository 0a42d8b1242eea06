"""The two standard score sheets (案卷评查评分标准) as data: zhifa/supervision/evaluation/sheets.py."""

from django.db import migrations


def install(apps, schema_editor):
    from zhifa.supervision.evaluation.sheets import install_standard_sheets

    install_standard_sheets(apps.get_model("supervision", "ScoreSheet"), apps.get_model("supervision", "ScoreItem"),
                            using=schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [("supervision", "0001_initial")]

    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
