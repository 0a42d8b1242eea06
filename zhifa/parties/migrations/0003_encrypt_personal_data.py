"""Identity and phone numbers of parties encrypted at rest (SM4-GCM) with blind indexes.

The plain columns become text, the blind-index columns are added, every existing row is
encrypted in batches (``zhifa.core.crypto.encrypt_existing``; reversible: backwards decrypts),
and the uniqueness of (ID type, ID number) moves to the blind index."""

from django.db import migrations, models
from django.db.models import Q

import zhifa.core.crypto

forward, backward = zhifa.core.crypto.encrypt_existing(
    "parties", "Party", [("id_number", "id_number_index", "identifier"), ("phone", "phone_index", "phone")]
)


class Migration(migrations.Migration):
    dependencies = [
        ("parties", "0002_list_order_index"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="party", name="parties_party_unique_id_number"),
        migrations.AlterField(
            model_name="party", name="id_number", field=models.TextField(blank=True, verbose_name="证件号码"),
        ),
        migrations.AlterField(
            model_name="party", name="phone", field=models.TextField(blank=True, verbose_name="联系电话"),
        ),
        migrations.AddField(
            model_name="party",
            name="id_number_index",
            field=zhifa.core.crypto.BlindIndexField(
                db_index=True, normalizer="identifier", source="id_number", verbose_name="证件号码索引"
            ),
        ),
        migrations.AddField(
            model_name="party",
            name="phone_index",
            field=zhifa.core.crypto.BlindIndexField(
                db_index=True, normalizer="phone", source="phone", verbose_name="联系电话索引"
            ),
        ),
        migrations.RunPython(forward, backward, elidable=False),
        migrations.AlterField(
            model_name="party",
            name="id_number",
            field=zhifa.core.crypto.EncryptedCharField(blank=True, max_length=30, verbose_name="证件号码"),
        ),
        migrations.AlterField(
            model_name="party",
            name="phone",
            field=zhifa.core.crypto.EncryptedCharField(blank=True, max_length=40, verbose_name="联系电话"),
        ),
        migrations.AddConstraint(
            model_name="party",
            constraint=models.UniqueConstraint(
                condition=~Q(id_number_index=""),
                fields=("id_type", "id_number_index"),
                name="parties_party_unique_id_number",
                violation_error_message="该证件号码已登记。",
            ),
        ),
    ]
