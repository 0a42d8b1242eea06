"""Demo of case transfers, jurisdiction disputes and clue referrals (issue #16): 云岭县市场监管局
transfers one case to 青石县市场监管局, which accepts it, and another that is returned with
reasons; a dispute with 云岭县综合执法局 decided by 云岭县司法局 designating 综合执法局 (the case
moves); one clue referral to 云岭县纪委监委 readable by the officer and the unit head only."""

from zhifa.cases.models import Case
from zhifa.review import choices as review_choices

from .transfers import clues, services


def _open_cases(agency, count):
    cases = []
    for case in (Case._base_manager.filter(agency=agency, decided_on__isnull=True, outcome="", closed_on__isnull=True)
                 .exclude(reviews__status__in=review_choices.OPEN_STATUSES).order_by("pk")):
        if not services.open_matters(case):
            cases.append(case)
        if len(cases) == count:
            break
    return cases


def load(ctx):
    market = ctx.agencies["云岭县市场监督管理局"]
    qingshi = ctx.agencies["青石县市场监督管理局"]
    zonghe = ctx.agencies["云岭县综合行政执法局"]
    officer, unit_head = ctx.users["market_officer"], ctx.users["market_unit_head"]
    accepted, returned, disputed = _open_cases(market, 3)
    reason = "经调查，当事人的经营场所及违法行为发生地均在青石县，依照行政处罚法第二十二条，本局对该案无管辖权。"
    transfer = services.send(accepted, actor=officer, to_agency=qingshi, reason=reason,
                             legal_basis="《中华人民共和国行政处罚法》第二十二条；《市场监督管理行政处罚程序规定》第十五条",
                             materials="案卷一册；证据材料")
    transfer = services.receive(transfer, actor=ctx.users["qingshi_officer"])
    services.accept(transfer, actor=ctx.users["qingshi_head"])
    transfer = services.send(returned, actor=officer, to_agency=qingshi, reason=reason)
    services.return_transfer(transfer, actor=ctx.users["qingshi_head"],
                             reason="经核实，当事人在青石县的门店已注销，违法行为发生地在云岭县人民路，请贵局继续办理。")
    dispute = services.raise_dispute(disputed, actor=officer, other_agency=zonghe, kind="claim",
                                     statement="占道经营兼无证经营食品，双方均主张管辖；协商未果，提请指定管辖。")
    services.decide_dispute(dispute, actor=ctx.users["supervisor"], designated_agency=zonghe,
                            reasons="该行为以占道经营为主，依照县政府综合行政执法事项目录，由县综合执法局管辖（行政处罚法第二十五条）。")
    clue_case = Case._base_manager.filter(agency=market).order_by("-pk").first()
    clues.refer(clue_case, actor=officer, receiving_organ="云岭县纪委监委", contact="第三监督检查室 0919-6210199",
                official="云岭县某乡镇食品安全监管员（姓名见附件）",
                facts="当事人称曾向该监管员送礼以换取检查“打招呼”，所述时间、地点与检查记录吻合。",
                readers=[unit_head])
