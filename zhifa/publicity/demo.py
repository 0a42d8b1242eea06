"""Demo publications: the decisions of the demo cases released on their own dates (one left
overdue, one still within its deadline, two natural persons masked), licences and a levy
registered by hand, one decision revoked on reconsideration and withdrawn, one declared
unlawful by a court with its annotation still due."""

import datetime

from zhifa.accounts.models import User
from zhifa.cases import services as case_services
from zhifa.core import clock
from zhifa.parties.models import Party

from . import choices, services
from .models import Publication

MARKET = "云岭县市场监督管理局"
LAND = "云岭县自然资源局"


def load(ctx) -> None:
    users = {u.username: u for u in User.objects.filter(
        username__in=["market_officer", "market_head", "market_reviewer", "admin"])}
    today = clock.today()
    d = lambda days: today - datetime.timedelta(days=days)  # noqa: E731
    head, officer, admin = users["market_head"], users["market_officer"], users["admin"]

    # Decisions of the demo cases: released two working days or so after the decision,
    # except the newest (still within its deadline) and the one decided 30 days ago (overdue).
    by_case = {p.case_id: p for p in Publication.objects.filter(case__isnull=False).select_related("agency", "case")}
    for case in getattr(ctx, "cases", []):
        publication = by_case.get(case.pk)
        if publication is None or case.decided_on is None:
            continue
        age = (today - case.decided_on).days
        if age <= 3 or 25 <= age <= 35:
            continue
        actor = head if publication.agency.name == MARKET else admin
        with clock.on_day(case.decided_on + datetime.timedelta(days=2), hour=16):
            services.release(publication, actor=actor)

    # Licences and a levy decided outside the case engine.
    companies = list(Party.objects.filter(kind=Party.LEGAL, region__path__startswith="/610000/619900/619921/")[:6])
    agency_market, agency_land = ctx.agencies[MARKET], ctx.agencies[LAND]
    licences = [
        (companies[0], "食品经营许可（新办）", 30, "准予许可。许可证编号JY16199210000123，有效期五年。"),
        (companies[1], "食品经营许可（延续）", 12, "准予延续许可，有效期五年。"),
        (companies[2], "食品生产许可（变更）", 5, "准予变更生产地址及食品类别。"),
    ]
    for n, (party, title, days_ago, result) in enumerate(licences, start=1):
        with clock.on_day(d(days_ago)):
            publication = services.register_decision(
                actor=officer, agency=agency_market, kind=choices.LICENSE, decision_number=f"云市监许〔{today.year}〕{n}号",
                title=title, decided_on=d(days_ago), result=result, party=party,
                facts=f"申请人于{d(days_ago + 10):%Y年%m月%d日}提交申请，经审查符合法定条件。联系人电话13991234567。",
                legal_basis="《中华人民共和国食品安全法》第三十五条；《食品经营许可和备案管理办法》第十条",
            )
        if n == 1:
            # A trade secret in the application: hidden by the reviewer before release.
            with clock.on_day(d(days_ago - 1)):
                services.set_redactions(publication, actor=head, redactions=["JY16199210000123"])
        if days_ago > 5:
            with clock.on_day(d(days_ago - 2)):
                services.release(publication, actor=head)
    with clock.on_day(d(40)):
        services.register_decision(
            actor=admin, agency=agency_land, kind=choices.LEVY, decision_number=f"云自然征〔{today.year}〕3号",
            title="集体土地征收补偿安置方案", decided_on=d(40), result="对青川镇河东村二组集体土地实施征收，补偿标准按市政府批准的方案执行。",
            party_kind=Party.OTHER_ORG, party_name="青川镇河东村二组村民小组",
            legal_basis="《中华人民共和国土地管理法》第四十七条、第四十八条",
        )

    # Remedies: one decision revoked on reconsideration (withdrawn on time), one declared
    # unlawful by a court yesterday (the annotation is due within 3 working days).
    released = [p for p in Publication.objects.filter(case__isnull=False, status=choices.PUBLISHED,
                                                      agency__name=MARKET).select_related("case").order_by("decided_on")]
    if len(released) >= 2:
        oldest, other = released[0], released[1]
        with clock.on_day(oldest.decided_on + datetime.timedelta(days=20)):
            remedy = case_services.record_remedy(oldest.case, actor=officer, kind="reconsideration", body="云岭县人民政府",
                                                 filed_on=oldest.decided_on + datetime.timedelta(days=20))
        with clock.on_day(d(20)):
            case_services.record_remedy_result(remedy, actor=officer, result="revoked", decided_on=d(20),
                                               result_number="云政复决字〔2026〕15号", note="认定事实不清，撤销原处罚决定。")
        action = oldest.actions.get()
        with clock.on_day(d(19)):
            services.apply_action(action, actor=head)
        with clock.on_day(other.decided_on + datetime.timedelta(days=10)):
            remedy = case_services.record_remedy(other.case, actor=officer, kind="litigation", body="云岭县人民法院",
                                                 filed_on=other.decided_on + datetime.timedelta(days=10))
        with clock.on_day(d(1)):
            case_services.record_remedy_result(remedy, actor=officer, result="confirmed_illegal", decided_on=d(1),
                                               result_number="（2026）陕9921行初12号")
