"""行政强制 through the API only: the whole measure lifecycle (申请 → 批准 → 实施 → 延长 →
检测 → 处理, and 当场实施 → 补批 → 解除) and the enforcement (催告 → 陈述申辩 → 复核 → 申请法院),
with the same Chinese refusals as the pages, the buttons from the same service, and another
county unable to read or act."""

import datetime
from decimal import Decimal

from zhifa.cases.models import Case
from zhifa.records.services import events_for

from .test_api_actions import MP4, refused, token_client, upload
from .test_penalties_and_documents import stored_text

D = datetime.date
BASIS = "《中华人民共和国食品安全法》第一百一十条第（四）项"


def _option(measure: dict, code: str) -> dict:
    return next(a for a in measure["actions"] if a["code"] == code)


def test_measure_lifecycle_through_the_api_only(world, fixed_today):
    officer, head = token_client(world.officer_user), token_client(world.head)
    unit_head, aux = token_client(world.unit_head), token_client(world.users.auxiliary_a)
    stranger = token_client(world.users.officer_b)
    created = officer.post("/api/cases/cases/", {
        "procedure": "general", "agency": world.tree.market.pk, "item": world.item.pk, "party": world.company.pk,
        "cause": "经营标签不符合规定的食品案", "source": "inspection", "occurred_on": "2026-10-20", "place": "云岭县人民路1号店内",
        "facts": "当事人经营标签不符合规定的预包装食品。", "officers": [world.o1.pk, world.o2.pk]}, format="json")
    base = f"/api/cases/cases/{created.json()['id']}/"
    unit_head.post(base + "transition/", {"transition": "file"}, format="json")
    officer.post(base + "transition/", {"transition": "investigate"}, format="json")
    video = officer.post(base + "evidence/", {"file": upload(officer, "扣押录像.mp4", MP4, "video/mp4"),
                                              "kind": "audiovisual", "title": "扣押全程录像",
                                              "captured_at": "2026-11-02T10:00:00+08:00"}, format="json").json()
    measures = base + "coercive-measures/"

    # 申请: an auxiliary never; the officer applies to the head
    request = {"kind": "seize", "reasons": "饼干无生产日期，为防止继续销售，", "basis": BASIS,
               "inventory": [{"name": "饼干", "spec": "500克/袋", "quantity": "12", "unit": "袋"}]}
    refused(aux.post(measures, request, format="json"), 403, "执法辅助人员不能签署")
    refused(officer.post(measures, {**request, "kind": "demolition"}, format="json"), 400, "kind")
    measure = officer.post(measures, request, format="json").json()
    assert measure["stage"] == "requested" and measure["stage_name"] == "待批准"
    assert "机关负责人" in _option(measure, "approve")["refusal"]
    step = f"{measures}{measure['id']}/transition/"

    # another county can neither read nor act
    refused(stranger.get(measures), 404, "不在您的管辖范围内")
    assert stranger.post(step, {"transition": "approve"}, format="json").status_code == 404

    refused(officer.post(step, {"transition": "approve"}, format="json"), 403, "机关负责人")
    assert head.post(step, {"transition": "approve", "opinion": "同意扣押。"}, format="json").json()["stage"] == "approved"

    # 实施: two officers, the recording, the list
    execute = {"transition": "execute", "started_at": "2026-11-02T23:00:00+08:00", "place": "店内仓库",
               "inventory": request["inventory"], "officers": [world.o1.pk], "recording": video["id"]}
    error = refused(officer.post(step, execute, format="json"), 400, "两名以上")
    assert error["fields"]["transition"]
    executed = officer.post(step, {**execute, "officers": [world.o1.pk, world.o2.pk]}, format="json").json()
    assert executed["stage"] == "in_force" and executed["expires_on"] == "2026-12-02"
    assert sorted(executed["officers"]) == sorted(["李明", "周强"]) and executed["decision_number"]

    # 延长: head only, at most 30 days, once
    refused(unit_head.post(step, {"transition": "extend", "days": 10, "reasons": "情况复杂"}, format="json"), 403, "机关负责人")
    refused(head.post(step, {"transition": "extend", "days": 31, "reasons": "情况复杂"}, format="json"), 400, "不得超过三十日")
    extended = head.post(step, {"transition": "extend", "days": 20, "reasons": "货源需向外省核查"}, format="json").json()
    assert extended["expires_on"] == "2026-12-22" and extended["extension_days"] == 20
    assert "延长以一次为限" in _option(extended, "extend")["refusal"]

    # 检测: not counted
    fixed_today(D(2026, 11, 5))
    testing = officer.post(step, {"transition": "start_testing", "testing_kind": "appraisal", "institution": "秦川市鉴定所",
                                  "started_on": "2026-11-05"}, format="json").json()
    assert testing["stage"] == "testing" and testing["expires_on"] is None
    fixed_today(D(2026, 11, 12))
    back = officer.post(step, {"transition": "end_testing", "ended_on": "2026-11-12", "result": "不符合食品安全标准"},
                        format="json").json()
    assert back["stage"] == "in_force" and back["expires_on"] == "2026-12-29"  # 22 December + 7 days

    # 处理: 销毁 by the head, with its decision
    refused(head.post(step, {"transition": "dispose", "end_kind": "destroy"}, format="json"), 400, "处理的事实和依据")
    done = head.post(step, {"transition": "dispose", "end_kind": "destroy", "note": "经鉴定不符合食品安全标准。"},
                     format="json").json()
    assert done["stage"] == "disposed" and done["actions"] == []
    refused(head.post(step, {"transition": "release", "reason": "no_violation"}, format="json"), 400, "“已处理”环节不能解除")

    # 当场实施 → 补办批准 → 解除
    emergency = {**request, "kind": "seal", "emergency": True, "started_at": "2026-11-12T10:00:00+08:00",
                 "officers": [world.o1.pk, world.o2.pk]}
    refused(officer.post(measures, emergency, format="json"), 400, "全程音像记录")
    urgent = officer.post(measures, {**emergency, "recording": video["id"]}, format="json").json()
    assert urgent["stage"] == "reported" and urgent["flag"] == ""
    urgent_step = f"{measures}{urgent['id']}/transition/"
    assert head.post(urgent_step, {"transition": "confirm"}, format="json").json()["stage"] == "in_force"
    released = unit_head.post(urgent_step, {"transition": "release", "reason": "no_violation", "note": "经查当事人没有违法行为。"},
                              format="json").json()
    assert released["stage"] == "released" and released["end_reason"] == "no_violation"

    case = Case.objects.get(pk=created.json()["id"])
    codes = set(case.documents.values_list("code", flat=True))
    assert {"coercion_decision", "coercion_inventory", "coercion_extension_notice", "coercion_testing_notice",
            "coercion_disposal", "coercion_release"} <= codes
    kinds = [e.kind for e in events_for(case.stream_key)]
    for kind in ("coercive_measure_requested", "coercive_measure_approve", "coercive_measure_execute",
                 "coercive_measure_extend", "coercive_measure_start_testing", "coercive_measure_end_testing",
                 "coercive_measure_dispose", "coercive_measure", "coercive_measure_confirm", "coercive_measure_release"):
        assert kind in kinds, kind
    decision = stored_text(case.documents.filter(code="coercion_decision").first())
    assert "本决定经本局负责人" in decision and "实施扣押，期限为三十日（自2026年11月2日起算），至2026年12月2日届满" in decision


def test_enforcement_through_the_api_only(world, open_general, fixed_today):
    from .test_law_limits import _in_execution

    case = _in_execution(world, open_general, fixed_today, fine=Decimal("10000"))
    officer, head, stranger = token_client(world.officer_user), token_client(world.head), token_client(world.users.officer_b)
    base = f"/api/cases/cases/{case.pk}/"
    fixed_today(D(2026, 11, 25))
    body = officer.get(base + "next-actions/").json()
    assert "第三十五条" in next(a for a in body["actions"] if a["code"] == "enforcement")["refusal"]
    refused(officer.post(base + "enforcements/", {}, format="json"), 400, "第三十五条")
    fixed_today(D(2026, 11, 30))
    reminded = officer.post(base + "enforcements/", {}, format="json")
    assert reminded.status_code == 201, reminded.content.decode()
    enforcement = reminded.json()
    assert enforcement["compliance_due_on"] == "2026-12-14" and enforcement["surcharge"] == "1500.00"
    refused(stranger.get(base + "enforcements/"), 404, "不在您的管辖范围内")
    step = f"{base}enforcements/{enforcement['id']}/transition/"
    assert stranger.post(step, {"transition": "statement", "statement": "x"}, format="json").status_code == 404
    officer.post(step, {"transition": "statement", "statement": "经营困难，请求宽限。"}, format="json")
    officer.post(step, {"transition": "review", "review": "未提供证明材料，不予采纳。", "accepted": False}, format="json")
    fixed_today(D(2027, 5, 10))
    refused(head.post(step, {"transition": "apply_court"}, format="json"), 400, "六个月")
    fixed_today(D(2027, 5, 11))
    applied = head.post(step, {"transition": "apply_court", "court": "云岭县人民法院"}, format="json").json()
    assert applied["stage"] == "applied" and applied["court"] == "云岭县人民法院"
    text = stored_text(case.documents.get(code="enforcement_court_application"))
    assert "申请行政复议和提起行政诉讼的期限已于2027年5月10日届满" in text and "催告书送达十日后被申请人仍未履行" in text
