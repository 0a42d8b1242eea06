"""Demo data of the equipment register and non-site supervision (``manage.py load_demo``).

- 云岭县综合行政执法局: four street monitoring devices — three reviewed with published locations
  (on the portal), one installed but not reviewed (flagged by MONITOR_NOT_PUBLISHED);
- body cameras and terminals issued in the county: 云岭县市场监管局 and 云岭镇 meet the one-per-two
  rule, 青川镇 and 白石镇 fall below it (compliance report, TOWNSHIP_DEVICE_RATIO_LOW);
- non-site records of the published devices: one that opened a case, one contested by its
  party on the portal (awaiting the agency's answer), one awaiting review, one rejected.
"""

import datetime

from django.utils import timezone

from zhifa.accounts import roles
from zhifa.accounts.models import User
from zhifa.cases.demo import _photo
from zhifa.core import clock
from zhifa.people.models import Officer

from ..models.devices import CAMERA, MONITOR, PASSED, TERMINAL, Device
from . import services
from .staffing import required_devices

ZONGHE = "云岭县综合行政执法局"
STREET_DEVICES = [
    # serial, location, latitude, longitude, captures, reviewed
    ("YLZH-JK-001", "云岭县新城路与人民路交叉口东北角", "34.158200", "108.905100", "占道经营、店外经营", True),
    ("YLZH-JK-002", "云岭县滨河路夜市入口", "34.160800", "108.912300", "占道经营、乱设摊点", True),
    ("YLZH-JK-003", "云岭县解放路渣土运输检查点", "34.149900", "108.898700", "渣土车未密闭运输、抛洒滴漏", True),
    ("YLZH-JK-004", "云岭县火车站南广场", "34.141100", "108.901500", "占道经营", False),
]
# township office → share of the required devices it gets (below 1: below the rule)
TOWNSHIP_EQUIPMENT = {"云岭镇综合行政执法办公室": 1.0, "青川镇综合行政执法办公室": 0.4, "白石镇综合行政执法办公室": 0.0}


def _at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def _certified(agency, today):
    return [o for o in Officer.objects.filter(home_agency=agency, kind=Officer.KIND_OFFICER, is_active=True)
            .order_by("pk") if o.certificates.usable_on(today).exists()]


def load(ctx) -> None:
    today = ctx.today
    start = today - datetime.timedelta(days=700)  # in service since before last year (last year's report counts them)
    head = ctx.users.get("market_head")
    admin = User.objects.filter(is_superuser=True).first() or head
    zonghe = ctx.agencies[ZONGHE]
    # the bureau's head, who reviews the records its officers enter
    zonghe_head = User.objects.filter(username="zonghe_head").first() or User(
        username="zonghe_head", display_name="综合执法局 韩局长", role=roles.AGENCY_HEAD, agency=zonghe)
    if not zonghe_head.pk:
        from zhifa.core.demo import DEMO_PASSWORD

        zonghe_head.set_password(DEMO_PASSWORD)
        zonghe_head.save()

    with clock.at(_at(start, 9)):
        for serial, location, lat, lng, captures, reviewed in STREET_DEVICES:
            device = Device(kind=MONITOR, serial=serial, model_name="海康威视 iDS-2CD", agency=zonghe,
                            location=location, region=zonghe.region, latitude=lat, longitude=lng, captures=captures,
                            in_service_on=start)
            if reviewed:
                device.legal_review_on, device.legal_reviewer = start, "云岭县综合执法局法制审核室 孙审核"
                device.legal_review_conclusion = PASSED
                device.technical_review_on, device.technical_reviewer = start, "秦川市计量测试研究所"
                device.technical_review_conclusion = PASSED
                device.published = True
            services.save_device(device, actor=zonghe_head)

    # body cameras and terminals: the county's market bureau and comprehensive bureau meet the rule,
    # the townships as TOWNSHIP_EQUIPMENT says
    agencies = [ctx.agencies["云岭县市场监督管理局"], zonghe] + [ctx.agencies[name] for name in TOWNSHIP_EQUIPMENT]
    shares = {ctx.agencies[name].pk: share for name, share in TOWNSHIP_EQUIPMENT.items()}
    prefix = {a.pk: f"YL{index:02d}" for index, a in enumerate(agencies)}
    for agency in agencies:
        officers = _certified(agency, today)
        count = int(required_devices(len(officers)) * shares.get(agency.pk, 1.0))
        for index in range(count):
            kind = CAMERA if index % 3 else TERMINAL
            device = services.save_device(Device(kind=kind, serial=f"{prefix[agency.pk]}-JLY-{index + 1:03d}",
                                                 model_name="执法记录仪 DSJ-T9" if kind == CAMERA else "执法终端 ZD-5",
                                                 agency=agency, in_service_on=start), actor=admin)
            holder = officers[(index * 2) % len(officers)]
            services.issue_device(device, holder, actor=admin, issued_at=_at(start, 10))
    # one camera returned and retired (its history stays)
    old = services.save_device(Device(kind=CAMERA, serial="YL00-JLY-900", model_name="执法记录仪 DSJ-V7",
                                      agency=agencies[0], in_service_on=start - datetime.timedelta(days=900)),
                               actor=admin)
    holder = _certified(agencies[0], today)[0]
    services.issue_device(old, holder, actor=admin, issued_at=_at(start - datetime.timedelta(days=900), 10))
    services.return_device(old, actor=admin, returned_at=_at(start - datetime.timedelta(days=10), 17),
                           note="电池老化")
    old.status, old.retired_on = "retired", start - datetime.timedelta(days=10)
    services.save_device(old, actor=admin)

    _records(ctx, zonghe, zonghe_head, today)


def _records(ctx, zonghe, zonghe_head, today) -> None:
    officer_user = ctx.users["zonghe_officer"]
    officers = [o for o in _certified(zonghe, today) if not o.is_legal_reviewer][:2]
    item = next((i for i in ctx.items if i.agency_id == zonghe.pk and i.kind == "penalty"), None)
    persons = [p for p in ctx.parties if p.kind == "natural"][:4]
    companies = [p for p in ctx.parties if p.kind != "natural" and p.credit_code][:4]
    devices = list(Device.objects.filter(agency=zonghe, kind=MONITOR, published=True).order_by("serial"))
    stories = [
        # days ago, device, party, identifier, content, what happens
        (6, devices[0], companies[0], "在新城路店铺门前人行道上摆放货架经营，占用人行道约12平方米", "case"),
        (4, devices[1], persons[0], "在滨河路夜市入口外机动车道旁设摊经营烧烤", "contested"),
        (1, devices[0], persons[1], "在新城路与人民路交叉口东北角人行道上摆摊销售水果", "pending"),
        (3, devices[2], companies[1], "渣土运输车辆车厢未密闭，沿解放路抛洒渣土", "rejected"),
    ]
    for index, (days_ago, device, party, content, outcome) in enumerate(stories):
        day = today - datetime.timedelta(days=days_ago)
        captured = _at(day, 9 + index, 15)
        identifier = party.credit_code if party.credit_code else f"陕H{index + 1}2345"
        with clock.at(captured + datetime.timedelta(hours=2)):
            record = services.record_capture(
                actor=officer_user, device=device, captured_at=captured, place=device.location,
                party_identifier=identifier, party=party, party_name=party.name, item=item, content=content,
                files=[_photo(40 + index, f"{device.serial}-抓拍-{index + 1}.jpg")],
            )
        if outcome == "pending":
            continue
        with clock.at(captured + datetime.timedelta(hours=5)):
            if outcome == "rejected":
                services.review_record(record, actor=zonghe_head, is_true=True, is_clear=False, is_complete=True,
                                       is_accurate=True, reason="抓拍照片夜间逆光，车辆号牌无法辨认")
                continue
            services.review_record(record, actor=zonghe_head, is_true=True, is_clear=True, is_complete=True,
                                   is_accurate=True)
            record = services.notify_party(record, actor=officer_user, channel="sms", to="13900000000")
        if outcome == "contested":
            with clock.at(captured + datetime.timedelta(days=1)):
                services.submit_statement(record, code=record.access_code, contact="13900000000",
                                          text="当晚是夜市管理方统一安排的临时摊位，有夜市管理方的书面同意。")
        elif outcome == "case" and item is not None and len(officers) >= 2:
            with clock.at(captured + datetime.timedelta(days=2)):
                services.open_case_from_record(record, actor=officer_user, officers=officers)
