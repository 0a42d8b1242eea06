"""Demo data and synthetic generation produce valid, scoped, unique parties."""

import datetime
import random
from collections import Counter
from types import SimpleNamespace

from zhifa.core.testing import fields
from zhifa.core.validators import validate_id_number, validate_uscc
from zhifa.orgs.models import Agency, Region
from zhifa.parties import demo, synthetic
from zhifa.parties.models import CreditRating, Party


def _ctx():
    return SimpleNamespace(
        rng=random.Random(20240601), today=datetime.date(2024, 6, 1),
        regions={r.name: r for r in Region.objects.all()}, agencies={a.name: a for a in Agency.objects.all()},
        units={}, fields=fields(),
    )


def test_demo_load_creates_valid_parties(tree):
    """About 200 parties of every kind, valid identifiers, classes A–D, newest rating on the party."""
    ctx = _ctx()
    demo.load(ctx)
    parties = list(Party.objects.all())
    assert len(parties) == 200 == len(ctx.parties)
    kinds = Counter(p.kind for p in parties)
    assert set(kinds) == {"natural", "legal", "other_org", "individual_business"}
    for party in parties:
        assert party.region_path == party.region.path
        if party.credit_code:
            assert validate_uscc(party.credit_code) == party.credit_code
            assert party.credit_code[2:8] in {"619900", "619921", "619922"}
        if party.id_type == "resident_id":
            assert validate_id_number(party.id_number) == party.id_number
            assert party.id_number[:6] in {"619921", "619922"}
    assert {p.credit_class for p in parties if p.credit_class} == {"A", "B", "C", "D"}
    for party in Party.objects.exclude(credit_class="")[:20]:
        newest = CreditRating.objects.filter(party=party).order_by("-rated_on", "-id").first()
        assert (newest.credit_class, newest.rated_on) == (party.credit_class, party.credit_class_date)
    demo.load(ctx)  # a second run adds nothing
    assert Party.objects.count() == 200


def test_synthetic_generate_is_valid_and_repeatable(tree):
    """Synthetic parties are valid and unique, and a second run does not collide with the first."""
    ctx = _ctx()
    created = synthetic.generate(ctx, 300)
    created += synthetic.generate(ctx, 300)
    parties = Party.objects.all()
    assert parties.count() == 600
    assert created == 600 + CreditRating.objects.count()
    codes = [c for c in parties.values_list("credit_code", flat=True) if c]
    ids = [i for i in parties.values_list("id_number", flat=True) if i]
    assert len(codes) == len(set(codes)) and len(ids) == len(set(ids))
    for code in codes[:50]:
        validate_uscc(code)
    for number in ids[:50]:
        validate_id_number(number)
    assert all(p.region_path == p.region.path for p in parties.select_related("region")[:50])


def test_synthetic_generate_with_the_command_context(tree):
    """The ``generate_synthetic`` command passes agencies as a list and no regions: parties go
    to the agencies' counties and townships, recorded by an agency of their region."""
    ctx = SimpleNamespace(rng=random.Random(1), today=datetime.date(2024, 6, 1), fields={},
                          agencies=[tree.other_market, tree.township_office])
    synthetic.generate(ctx, 40)
    assert set(Party.objects.values_list("region__code", flat=True)) == {"619922", "619921001"}
    assert set(Party.objects.values_list("agency_id", flat=True)) == {tree.other_market.pk, tree.township_office.pk}
