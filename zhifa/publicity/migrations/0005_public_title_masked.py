"""The public title (事项名称, usually the 案由) is masked like every other published field;
existing publications get theirs, their masking report and search tokens recomputed."""

from django.db import migrations, models


def mask_existing_titles(apps, schema_editor):
    from zhifa.publicity import search
    from zhifa.publicity.masking import Masker

    Publication = apps.get_model("publicity", "Publication")
    for publication in Publication.objects.using(schema_editor.connection.alias).select_related("party", "agency").iterator(chunk_size=500):
        party = publication.party
        masker = Masker(
            party_kind=publication.party_kind, party_name=publication.party_name,
            id_number=getattr(party, "id_number", "") or "", phone=getattr(party, "phone", "") or "",
            address=getattr(party, "address", "") or "", operator_name=getattr(party, "legal_representative", "") or "",
            redactions=publication.redactions or (),
        )
        masked = masker.mask("title", publication.title)
        publication.public_title = masked.text
        publication.masking_report = [r.as_dict() for r in masked.replacements] + list(publication.masking_report or [])
        publication.search_tokens = search.tokens_for(publication)
        publication.save(update_fields=["public_title", "masking_report", "search_tokens"])


class Migration(migrations.Migration):

    dependencies = [
        ('publicity', '0004_newest_first_indexes'),
    ]

    operations = [
        migrations.AddField(
            model_name='publication',
            name='public_title',
            field=models.CharField(blank=True, help_text='事项名称（案由）中的自然人姓名等已遮蔽。', max_length=200, verbose_name='公示事项名称'),
        ),
        migrations.RunPython(mask_existing_titles, migrations.RunPython.noop),
    ]
