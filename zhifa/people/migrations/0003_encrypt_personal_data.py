"""Identity and phone numbers of officers encrypted at rest (SM4-GCM) with blind indexes.

The plain columns become text, the blind-index columns are added, every existing row is
encrypted in batches (``zhifa.core.crypto.encrypt_existing``; reversible: backwards decrypts),
and the uniqueness of the identity number moves to the blind index."""

from django.db import migrations, models

import zhifa.core.crypto
import zhifa.core.validators

forward, backward = zhifa.core.crypto.encrypt_existing(
    "people", "Officer", [("id_number", "id_number_index", "identifier"), ("phone", "phone_index", "phone")]
)


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0002_list_order_index"),
    ]

    operations = [
        migrations.AlterField(
            model_name="officer", name="id_number", field=models.TextField(verbose_name="公民身份号码"),
        ),
        migrations.AlterField(
            model_name="officer", name="phone", field=models.TextField(blank=True, verbose_name="联系电话"),
        ),
        migrations.AddField(
            model_name="officer",
            name="id_number_index",
            field=zhifa.core.crypto.BlindIndexField(
                normalizer="identifier", source="id_number", verbose_name="公民身份号码索引"
            ),
        ),
        migrations.AddField(
            model_name="officer",
            name="phone_index",
            field=zhifa.core.crypto.BlindIndexField(
                db_index=True, normalizer="phone", source="phone", verbose_name="联系电话索引"
            ),
        ),
        migrations.RunPython(forward, backward, elidable=False),
        migrations.AlterField(
            model_name="officer",
            name="id_number_index",
            field=zhifa.core.crypto.BlindIndexField(
                normalizer="identifier", source="id_number", unique=True, verbose_name="公民身份号码索引"
            ),
        ),
        migrations.AlterField(
            model_name="officer",
            name="id_number",
            field=zhifa.core.crypto.EncryptedCharField(
                max_length=18, validators=[zhifa.core.validators.validate_id_number], verbose_name="公民身份号码"
            ),
        ),
        migrations.AlterField(
            model_name="officer",
            name="phone",
            field=zhifa.core.crypto.EncryptedCharField(blank=True, max_length=40, verbose_name="联系电话"),
        ),
    ]
