"""Problem models (问题模型) of the equipment register and non-site supervision, registered in
the supervision registry (imported from ``InspectionsConfig.ready``).

- ``TOWNSHIP_DEVICE_RATIO_LOW`` — a township with fewer than one body camera or terminal per two
  certified officers (ORG-6, S2);
- ``MONITOR_NOT_PUBLISHED`` — a monitoring device in service without passed reviews or without a
  published location (行政处罚法第四十一条第一款);
- ``DEVICE_EVIDENCE_UNREVIEWED`` — case evidence naming a monitoring device that no reviewed
  (accepted) non-site record of the case backs (第四十一条第二款);
- ``DEVICE_RECORD_NOT_NOTIFIED`` — an accepted record whose party was not told within the set
  working days (第四十一条第三款 "及时告知").
"""

from django.db.models import Exists, OuterRef, Q

from zhifa.cases.models import Evidence
from zhifa.orgs.models import Agency
from zhifa.supervision.problems.checks import working_cutoff
from zhifa.supervision.problems.registry import Finding, register

from ..models.devices import ACCEPTED, IN_SERVICE, MONITOR, PASSED, Device, DeviceRecord
from .staffing import OFFICERS_PER_DEVICE, required_devices, township_devices

ART_41 = "《中华人民共和国行政处罚法》第四十一条"


def _d(value) -> str:
    return f"{value.year}年{value.month}月{value.day}日" if value else ""


@register("TOWNSHIP_DEVICE_RATIO_LOW", name="镇（街道）执法记录仪、执法终端配备不足", category="队伍建设",
          target="township", params={"officers_per_device": OFFICERS_PER_DEVICE}, severity="low",
          legal_basis="国办发〔2018〕118号（执法全过程记录）；如东县镇（街道）综合行政执法规范化建设方案"
                      "（每两名行政执法人员至少配备1台现场执法记录仪或手持执法终端）")
def township_device_ratio_low(ctx):
    """镇（街道）在用的执法记录仪、手持执法终端少于持证执法人员数的一半（向上取整）。"""
    from zhifa.people.services import township_staffing

    per = int(ctx.params["officers_per_device"])
    agencies = Agency.objects.filter(ctx.agency_q(""), is_active=True)
    rows = township_staffing(agencies, ctx.today)
    counts = township_devices([r.region_id for r in rows], ctx.today)
    answerable = {}
    for pk, region_id in agencies.filter(region__level="township").order_by("pk").values_list("pk", "region_id"):
        answerable.setdefault(region_id, pk)
    for row in rows:
        needed = required_devices(row.certified, per)
        devices = counts.get(row.region_id, 0)
        if devices < needed and row.region_id in answerable:
            yield Finding("township", row.region_id, answerable[row.region_id],
                          f"{row.township}持证执法人员{row.certified}名，在用执法记录仪、执法终端{devices}台，"
                          f"少于应配的{needed}台",
                          {"镇（街道）": row.township, "持证执法人员": row.certified, "在用设备": devices,
                           "应配设备": needed, "配备标准": f"每{per}名执法人员至少1台"})


@register("MONITOR_NOT_PUBLISHED", name="电子技术监控设备未经审核或未公布设置地点即投入使用", category="非现场监管",
          target="device", legal_basis=ART_41 + "第一款", severity="high")
def monitor_not_published(ctx):
    """在用的电子技术监控设备未通过法制审核、技术审核，或设置地点未向社会公布。"""
    ok = Q(published=True, legal_review_conclusion=PASSED, technical_review_conclusion=PASSED)
    rows = Device.objects.filter(ctx.agency_q(), kind=MONITOR, status=IN_SERVICE).exclude(ok)
    for row in rows.values("pk", "agency_id", "serial", "location", "published", "legal_review_conclusion",
                           "technical_review_conclusion"):
        missing = []
        if row["legal_review_conclusion"] != PASSED:
            missing.append("未通过法制审核")
        if row["technical_review_conclusion"] != PASSED:
            missing.append("未通过技术审核")
        if not row["published"]:
            missing.append("设置地点未公布")
        yield Finding("device", row["pk"], row["agency_id"],
                      f"电子技术监控设备{row['serial']}（{row['location']}）在用，但" + "、".join(missing),
                      {"设备编号": row["serial"], "设置地点": row["location"], "问题": "、".join(missing)})


@register("DEVICE_EVIDENCE_UNREVIEWED", name="电子技术监控记录未经审核即作为证据", category="非现场监管",
          target="evidence", legal_basis=ART_41 + "第二款", severity="high", triggers=("cases.Case",))
def device_evidence_unreviewed(ctx):
    """案件证据登记的采集设备是电子技术监控设备，但本案没有该设备经审核通过的非现场执法记录。"""
    reviewed = DeviceRecord._base_manager.filter(case_id=OuterRef("case_id"), device_id=OuterRef("registered_device_id"),
                                                 status=ACCEPTED)
    rows = (Evidence.objects.filter(ctx.agency_q("case__agency"), ctx.cases_q("case"),
                                    registered_device__kind=MONITOR)
            .filter(~Exists(reviewed)))
    for row in rows.values("pk", "case_id", "case__agency_id", "case__number", "number", "title",
                           "registered_device__serial"):
        yield Finding("evidence", row["pk"], row["case__agency_id"],
                      f"证据{row['number']}（{row['title']}）来自电子技术监控设备{row['registered_device__serial']}，"
                      "没有经审核通过的非现场执法记录",
                      {"案号": row["case__number"] or "（未立案）", "证据": row["title"],
                       "设备编号": row["registered_device__serial"]}, case_id=row["case_id"])


@register("DEVICE_RECORD_NOT_NOTIFIED", name="非现场执法记录审核后未及时告知当事人", category="非现场监管",
          target="device_record", legal_basis=ART_41 + "第三款", params={"working_days": 5})
def device_record_not_notified(ctx):
    """审核通过的非现场执法记录超过规定的工作日仍未告知当事人。"""
    days = int(ctx.params["working_days"])
    cutoff = working_cutoff(ctx.today, days)
    rows = DeviceRecord.objects.filter(ctx.agency_q(), status=ACCEPTED, notified_at__isnull=True,
                                       reviewed_at__date__lte=cutoff)
    for row in rows.values("pk", "agency_id", "number", "party_identifier", "reviewed_at"):
        yield Finding("device_record", row["pk"], row["agency_id"],
                      f"记录{row['number']}（{row['party_identifier']}）于{_d(row['reviewed_at'].date())}审核通过，"
                      f"超过{days}个工作日未告知当事人",
                      {"记录编号": row["number"], "审核日期": _d(row["reviewed_at"].date()), "期限": f"{days}个工作日"})
