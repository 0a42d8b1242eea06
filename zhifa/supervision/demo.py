"""Demo supervision (执法监督) of 云岭县: the problem models run over the demo cases and staff,
plus a few rows the demo cases do not show by themselves (an auxiliary on a case, a late video,
a penalty off the benchmark without a reason, an overdue decision). Then the county supervisor
works one alert to closure, 督办s a case, issues a correction notice and a letter whose
problems are on a 突出问题清单 with rectification in progress, inside a 专项监督 campaign."""

import datetime

from django.db import transaction

from zhifa.cases.models import Case, CaseOfficer
from zhifa.core import clock
from zhifa.people.models import Officer

from . import actions, problems
from .alerts import services as alert_services
from .models import Alert
from .models import actions as act

AGENCY = "云岭县市场监督管理局"


def _seed_problems(agency) -> None:
    """Make a few demo cases show conditions the models look for (each a realistic slip)."""
    cases = list(Case.objects.filter(agency=agency).order_by("pk"))
    if not cases:
        return
    today = clock.today()
    open_cases = [c for c in cases if c.decided_on is None and c.filed_on is not None]
    if open_cases:
        Case.objects.filter(pk=open_cases[0].pk).update(filed_on=today - datetime.timedelta(days=97))
    decided = [c for c in cases if c.decided_on is not None]
    if decided:
        Case.objects.filter(pk=decided[0].pk).update(within_benchmark=False, deviation_reason="")
    if len(decided) > 1:
        Case.objects.filter(pk=decided[1].pk).update(within_benchmark=False,
                                                     deviation_reason="当事人主动消除违法行为危害后果，依法减轻处罚。")
    auxiliary = Officer.objects.filter(home_agency=agency, kind=Officer.KIND_AUXILIARY).first()
    if auxiliary is not None and open_cases and not CaseOfficer.objects.filter(officer=auxiliary).exists():
        CaseOfficer.objects.create(case=open_cases[-1], officer=auxiliary, role="assistant")


def load(ctx) -> None:
    """Alerts of many models; one worked to closure; a 督办, a correction notice, a letter with
    rectification in progress."""
    agency = ctx.agencies[AGENCY]
    supervisor, head = ctx.users["supervisor"], ctx.users["market_head"]
    today = clock.today()
    days = lambda n: today + datetime.timedelta(days=n)  # noqa: E731
    _seed_problems(agency)
    problems.run_all()
    alerts = list(Alert.objects.filter(agency=agency, is_open=True).select_related("problem_model")
                  .order_by("problem_model__code", "pk"))
    if not alerts:
        return
    with transaction.atomic():
        # one alert worked through to closure
        closing = next((x for x in alerts if x.problem_model.code == "BENCHMARK_DEVIATION_WITH_REASON"), alerts[0])
        alert_services.assign(closing, supervisor, reply_due_on=days(5))
        alert_services.explain(closing, head, explanation="该案当事人在立案前已主动消除危害后果，减轻处罚的理由已载入决定书。")
        alert_services.confirm(closing, supervisor, reason="减轻处罚的理由成立，但未按规定报法制机构备案。",
                               rectify_due_on=days(10))
        alert_services.report_rectification(closing, head, rectification="已补报备案，并修订本局裁量基准适用规则。")
        alert_services.recheck(closing, supervisor, passed=True, note="备案材料齐全，整改到位。")
        # two more under way: one awaiting the explanation, one in rectification
        rest = [x for x in alerts if x.pk != closing.pk]
        if rest:
            alert_services.assign(rest[0], supervisor, reply_due_on=days(5))
        if len(rest) > 1:
            alert_services.assign(rest[1], supervisor, reply_due_on=days(3))
            alert_services.explain(rest[1], head, explanation="情况属实，正在整改。")
            alert_services.confirm(rest[1], supervisor, reason="问题属实。", rectify_due_on=days(20))
    campaign = actions.create_campaign(supervisor, title=f"{today.year}年行政处罚案件质量专项监督",
                                       region=agency.region, description="聚焦办案超期、偏离裁量基准和程序违法问题。",
                                       starts_on=days(-10), ends_on=days(50))
    case = Case.objects.filter(agency=agency, decided_on__isnull=True, filed_on__isnull=False).order_by("filed_on").first()
    if case is not None:
        actions.issue(supervisor, kind=act.SUPERVISE, agency=agency, target=case, campaign=campaign,
                      title=f"督办{case.number}办理超期", findings="该案立案已超过九十日，未经批准延长办案期限，仍未作出处理决定。",
                      requirements="请在督办期限内依法作出处理决定，查明超期原因，追究相关人员责任，并书面报告。",
                      reply_due_on=days(10))
    wrong = next((x for x in alerts if x.problem_model.code == "BENCHMARK_DEVIATION_NO_REASON"), None)
    if wrong is not None:
        actions.issue(supervisor, kind=act.CORRECTION, agency=agency, target=wrong.case, alerts=[wrong],
                      campaign=campaign, title=f"{wrong.case.number}处罚偏离裁量基准未说明理由",
                      findings="该案处罚超出本局公布的裁量基准相应档次，决定书未载明适用基准外裁量的理由。",
                      requirements="对该案处罚决定进行复查，依法补正说理或自行纠正，并完善裁量说理审核机制。",
                      reply_due_on=days(15))
    listed = [x for x in alerts if x.is_open][:4] or alerts[:1]
    letter = actions.issue(supervisor, kind=act.LETTER, agency=agency, alerts=listed, campaign=campaign,
                           title="行政处罚案件质量专项监督检查", findings="以上问题经数字化监督模型发现并经核实。",
                           requirements="对照问题清单逐项整改，建立整改台账，举一反三完善制度。", reply_due_on=days(30))
    problem_list = actions.create_problem_list(supervisor, title=f"{agency.short_name or agency.name}执法突出问题清单",
                                               region=agency.region, campaign=campaign)
    items = [actions.add_problem(problem_list, supervisor, agency=agency, description=x.summary,
                                 measure="逐案复查，补正文书，完善内部审核。", due_on=days(20), alert=x) for x in listed]
    if items:
        actions.report_problem(items[0], head, progress="已完成复查和补正。")
        actions.verify_problem(items[0], supervisor, done=True)
    if len(items) > 1:
        actions.report_problem(items[1], head, progress="已完成一半案件的复查。")
    actions.link(campaign, supervisor, letter)
