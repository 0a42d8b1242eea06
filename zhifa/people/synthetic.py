"""Synthetic rosters at scale (e.g. 100,000 officers) for benchmarks of lists, scoping,
``may_act`` and the compliance report.

Rows are built in memory and inserted with ``bulk_create`` in batches (no per-row signals,
no audit entries: this is benchmark data, not records). Identity numbers are valid and
unique by construction: the n-th synthetic person gets a number derived injectively from n
under the fictional prefix 629999 with sequence numbers 800–899 (the demo uses 001–799), and
numbering continues after the synthetic people already present, so repeated runs never collide.
"""

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from zhifa.core.crypto import index_lookup
from zhifa.core.validators import id_number_check_char

from .models import Certificate, CertificateEvent, Officer, TrainingRecord

BATCH_SIZE = 5_000
PREFIX = "629999"
_EPOCH = datetime.date(1965, 1, 1)
_SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
_GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂"
_TRAININGS = [("public_law", "《中华人民共和国行政处罚法》专题培训"), ("professional", "本领域法律法规更新解读"),
              ("practice", "行政执法文书制作规范培训")]


def synthetic_id_number(n: int) -> str:
    """The n-th synthetic identity number (valid, unique for every n below 1,800,000)."""
    birth = _EPOCH + datetime.timedelta(days=n // 100)
    first17 = f"{PREFIX}{birth:%Y%m%d}{800 + n % 100:03d}"
    return first17 + id_number_check_char(first17)


def synthetic_count() -> int:
    """How many synthetic people exist: numbers are handed out 0, 1, 2, … so the first unused
    one is found by a binary search over indexed blind-index lookups (identity numbers are
    encrypted at rest, a prefix search is impossible)."""

    def exists(n):
        return Officer._base_manager.filter(**index_lookup(Officer, "id_number", synthetic_id_number(n))).exists()

    if not exists(0):
        return 0
    high = 1
    while exists(high):
        high *= 2
    low = high // 2  # exists(low), not exists(high)
    while high - low > 1:
        middle = (low + high) // 2
        low, high = (middle, high) if exists(middle) else (low, middle)
    return high


def _agencies(ctx):
    agencies = ctx.agencies.values() if isinstance(ctx.agencies, dict) else ctx.agencies
    return [a for a in agencies if a.kind != "supervision"]


def generate(ctx, scale: int) -> int:
    """Bulk-create ``scale`` people across ``ctx.agencies`` (one in ten an auxiliary), a
    certificate (with its fields and issue event) for every officer, and three training
    records each for the current year. Returns the number of rows created."""
    agencies = _agencies(ctx)
    if not agencies or scale <= 0:
        return 0
    fields = list(ctx.fields.values())
    today = getattr(ctx, "today", None) or timezone.localdate()
    start = synthetic_count()
    now = timezone.now()
    created = 0
    for offset in range(0, scale, BATCH_SIZE):
        with transaction.atomic():
            people = []
            for n in range(start + offset, start + min(offset + BATCH_SIZE, scale)):
                number = synthetic_id_number(n)
                people.append(Officer(
                    name=_SURNAMES[n % len(_SURNAMES)] + _GIVEN[(n // 7) % len(_GIVEN)],
                    id_number=number, gender="M" if int(number[16]) % 2 else "F",
                    birth_date=datetime.date(int(number[6:10]), int(number[10:12]), int(number[12:14])),
                    kind=Officer.KIND_AUXILIARY if n % 10 == 9 else Officer.KIND_OFFICER,
                    home_agency=agencies[n % len(agencies)], post="执法队员",
                ))
            Officer.objects.bulk_create(people, batch_size=1000)
            certs = []
            for person in people:
                if person.kind != Officer.KIND_OFFICER:
                    continue
                n = int(person.pk)
                issued = today - datetime.timedelta(days=30 + n % 1500)
                certs.append(Certificate(
                    number=f"SYN{person.id_number[6:17]}", officer=person, issuing_authority="合成市人民政府",
                    issued_on=issued, expires_on=issued + datetime.timedelta(days=6 * 365), status=Certificate.VALID,
                    status_changed_at=now, last_review_on=max(issued, today - datetime.timedelta(days=n % 60)),
                    last_review_passed=True,
                ))
            Certificate.objects.bulk_create(certs, batch_size=1000)
            through = Certificate.fields.through
            links = [through(certificate_id=c.pk, enforcementfield_id=fields[c.pk % len(fields)].pk) for c in certs]
            through.objects.bulk_create(links, batch_size=1000)
            events = [CertificateEvent(certificate=c, kind="issue", from_status="", to_status=Certificate.VALID,
                                       effective_on=c.issued_on, reason="合成数据", actor_name="系统", time=now)
                      for c in certs]
            CertificateEvent.objects.bulk_create(events, batch_size=1000)
            trainings = []
            for person in people:
                for index, (kind, title) in enumerate(_TRAININGS):
                    date = datetime.date(today.year, 1, 1) + datetime.timedelta(days=(person.pk + index * 37) %
                                                                                 max(1, today.timetuple().tm_yday))
                    trainings.append(TrainingRecord(
                        officer=person, date=min(date, today), title=title, kind=kind,
                        hours=Decimal(8 * (1 + (person.pk + index) % 3)), days=Decimal(1), provider="合成市司法局",
                    ))
            TrainingRecord.objects.bulk_create(trainings, batch_size=1000)
            created += len(people) + len(certs) + len(links) + len(events) + len(trainings)
    return created
