"""Synthetic parties at scale (up to millions) for benchmarks of lists, search and scoping.

Rows are built in memory and inserted with ``bulk_create`` in batches of 5,000 (no per-row
signals, no audit entries: this is benchmark data, not records). Identifiers are valid and
unique by construction: the n-th party gets an identity number or credit code derived
injectively from n, in a space disjoint from the demo data (identity sequence numbers
900–999, organisation codes of digits only), so repeated runs never collide.
"""

import datetime

from django.db import transaction

from zhifa.core.validators import id_number_check_char, uscc_check_char
from zhifa.orgs.models import Region

from .identifiers import USCC_ENTERPRISE, USCC_INDIVIDUAL_BUSINESS, org_code_check_char
from .models import CreditRating, Party

BATCH_SIZE = 5_000
_EPOCH = datetime.date(1940, 1, 1)
_ID_PREFIXES = ("619921", "619922")
_CLASSES = "AABBBBBCCD"
# Kind of the n-th party, cycling: 12 legal persons, 2 other organisations, 3 individual
# businesses, 3 natural persons in every 20.
_KINDS = (
    [Party.LEGAL] * 12 + [Party.OTHER_ORG] * 2 + [Party.INDIVIDUAL_BUSINESS] * 3 + [Party.NATURAL] * 3
)
_SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
_GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉"
_BRANDS = ["鑫达", "华盛", "瑞丰", "恒通", "金穗", "宏远", "德润", "永安", "泰和", "嘉禾"]
_TRADES = ["商贸", "食品", "建材", "物流", "化工", "农业科技", "机械制造", "餐饮管理"]


def _id_number(n: int) -> tuple[str, datetime.date]:
    prefix = _ID_PREFIXES[n % 2]
    rest = n // 2
    birth = _EPOCH + datetime.timedelta(days=(rest // 100) % 22_000)
    first17 = f"{prefix}{birth:%Y%m%d}{900 + rest % 100:03d}"
    return first17 + id_number_check_char(first17), birth


def _credit_code(prefix: str, region_code: str, n: int) -> str:
    body = f"{n:08d}"
    first17 = prefix + region_code + body + org_code_check_char(body)
    return first17 + uscc_check_char(first17)


def _as_list(value) -> list:
    if not value:
        return []
    return list(value.values()) if isinstance(value, dict) else list(value)


def _places(ctx):
    """Counties and townships to register parties in, and a recording agency id per region.

    Taken from ``ctx.regions`` when given (demo-style dict), else from the regions of
    ``ctx.agencies`` (the synthetic command passes a list of agencies), else from the database.
    """
    agencies = _as_list(getattr(ctx, "agencies", None))
    regions = _as_list(getattr(ctx, "regions", None))
    if not regions and agencies:
        regions = list(Region.objects.filter(id__in={a.region_id for a in agencies}))
    if not regions:
        regions = list(Region.objects.all())
    regions = sorted([r for r in regions if r.level in ("county", "township")] or regions, key=lambda r: r.code)
    agency_of = {}
    for agency in agencies:
        agency_of.setdefault(agency.region_id, agency.id)
    return regions, agency_of


def generate(ctx, scale: int) -> int:
    """Bulk-create ``scale`` parties (and one credit rating per classified organisation).

    Parties are spread over the counties and townships of the context (see ``_places``), each
    recorded by the first agency of its region. Returns the number of rows created (parties
    plus ratings).
    """
    regions, agency_of = _places(ctx)
    rated_on = getattr(ctx, "today", None) or datetime.date.today()
    offset = Party._base_manager.count()
    if offset + scale > 4_400_000:
        raise ValueError("合成数据编号空间已用尽。")
    created = 0
    for start in range(0, scale, BATCH_SIZE):
        parties = []
        for i in range(start, min(start + BATCH_SIZE, scale)):
            n = offset + i
            kind = _KINDS[n % len(_KINDS)]
            region = regions[n % len(regions)]
            region_code = region.code[:6]
            party = Party(kind=kind, region_id=region.id, region_path=region.path, agency_id=agency_of.get(region.id))
            if kind == Party.NATURAL:
                number, birth = _id_number(n)
                party.name = _SURNAMES[n % 20] + _GIVEN[(n // 20) % 25] + _GIVEN[(n // 500) % 25]
                party.id_type, party.id_number, party.birth_date = Party.RESIDENT_ID, number, birth
                party.gender = "M" if int(number[16]) % 2 else "F"
                party.phone = f"139{n % 10**8:08d}"
            else:
                prefix = USCC_INDIVIDUAL_BUSINESS if kind == Party.INDIVIDUAL_BUSINESS else USCC_ENTERPRISE
                party.id_type = ""
                party.credit_code = _credit_code(prefix, region_code, n)
                party.name = f"{_BRANDS[n % 10]}{_TRADES[(n // 10) % 8]}第{n}号" + (
                    "经营部" if kind == Party.INDIVIDUAL_BUSINESS else "有限公司"
                )
                party.legal_representative = _SURNAMES[(n // 7) % 20] + _GIVEN[n % 25]
                party.phone = f"0919-{n % 10**7:07d}"
                party.credit_class = _CLASSES[n % len(_CLASSES)]
                party.credit_class_date = rated_on
                party.credit_class_source = "合成数据"
            party.address = f"{region.name}合成路{n % 999 + 1}号"
            parties.append(party)
        with transaction.atomic():
            Party.objects.bulk_create(parties, batch_size=BATCH_SIZE)
            ratings = [
                CreditRating(party_id=p.pk, credit_class=p.credit_class, rated_on=rated_on, source="合成数据")
                for p in parties if p.credit_class
            ]
            CreditRating.objects.bulk_create(ratings, batch_size=BATCH_SIZE)
        created += len(parties) + len(ratings)
    return created
