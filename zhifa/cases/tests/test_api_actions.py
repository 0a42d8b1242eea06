"""Every case action through the API only (issue #9): token authentication, one HTTP call per
step, from the clue to the archive and the remedy after it, and the simple procedure in one call.
Where a rule is broken the API answers with the same Chinese refusal as the web form, as
``{"error": {"status", "code", "message", "fields"}}``, and nothing changes."""

import datetime

import pytest
from rest_framework.test import APIClient

from zhifa.cases.models import Case
from zhifa.catalog import choices as cc
from zhifa.core.testing import PASSWORD
from zhifa.people.models import Officer
from zhifa.review import choices as review_choices
from zhifa.review.models import MajorDecisionCatalog
from zhifa.review.tests.conftest import id_number, reviewer
from zhifa.review.tests.test_services import findings

from .conftest import TODAY

D = datetime.date
JPEG = b"\xff\xd8\xff\xe0JFIF" + bytes(2000)
MP4 = b"\x00\x00\x00\x18ftypmp42" + bytes(4000)


def token_client(user) -> APIClient:
    """An API client authenticated only by the token obtained with the user's password."""
    client = APIClient()
    response = client.post("/api/auth/token/", {"username": user.username, "password": PASSWORD}, format="json")
    assert response.status_code == 200
    client.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    return client


def upload(client, name: str, data: bytes, content_type: str) -> int:
    """The resumable upload (records API) in one chunk; returns the stored file id."""
    created = client.post("/api/records/uploads/", {"name": name, "size": len(data), "content_type": content_type},
                          format="json").json()
    done = client.generic("PATCH", f"/api/records/uploads/{created['id']}/", data,
                          content_type="application/offset+octet-stream", HTTP_UPLOAD_OFFSET="0")
    return done.json()["stored_file"]["id"]


def refused(response, status: int, text: str) -> dict:
    """Assert a structured Chinese refusal containing ``text`` and return the error."""
    assert response.status_code == status, response.content.decode()
    error = response.json()["error"]
    assert error["status"] == status and text in str(error), error
    return error


def action(next_actions: dict, code: str) -> dict:
    return next(a for a in next_actions["actions"] if a["code"] == code)


@pytest.fixture
def people(world):
    """Token clients for each person, a hearing officer outside the case and two legal reviewers."""
    market = world.tree.market
    MajorDecisionCatalog.objects.create(agency=market, criterion=review_choices.FINE_THRESHOLD, description="较大数额罚款",
                                        fine_person=10000, fine_organisation=50000, order=1)
    presiding = Officer.objects.create(name="陈主持", id_number=id_number(30), home_agency=market)
    legal = reviewer("reviewer_walk", market, name="孙审核", seq=21)
    outsider = reviewer("reviewer_other", world.tree.comprehensive, name="钱外审", seq=22)
    return {
        "officer": token_client(world.officer_user), "officer2": token_client(world.officer2_user),
        "auxiliary": token_client(world.users.auxiliary_a), "unit_head": token_client(world.unit_head),
        "head": token_client(world.head), "reviewer": token_client(legal), "other_county": token_client(world.users.officer_b),
        "presiding": presiding, "legal": legal, "outsider": outsider,
    }


def test_general_procedure_from_clue_to_archive_and_remedy_through_the_api_only(world, people, fixed_today):
    officer, aux, unit_head, head = people["officer"], people["auxiliary"], people["unit_head"], people["head"]
    new_case = {
        "procedure": "general", "agency": world.tree.market.pk, "item": world.item.pk, "party": world.company.pk,
        "cause": "经营标签不符合规定的食品案", "source": "inspection", "occurred_on": "2026-10-20",
        "place": "云岭县人民路1号店内", "facts": "当事人经营标签不符合规定的预包装食品。", "officers": [world.o1.pk],
    }
    # 线索登记: a unit of another agency is refused, nothing is registered
    refused(officer.post("/api/cases/cases/", {**new_case, "unit": world.tree.other_unit.pk}, format="json"), 400, "unit")
    assert Case.objects.count() == 0
    created = officer.post("/api/cases/cases/", {**new_case, "unit": world.tree.market_unit.pk}, format="json")
    assert created.status_code == 201, created.content.decode()
    base = f"/api/cases/cases/{created.json()['id']}/"
    refused(people["other_county"].get(base), 404, "不在您的管辖范围内")

    # 指定办案人员: an auxiliary cannot handle a case; the second officer can
    refused(officer.post(base + "officers/", {"officer": world.aux.pk}, format="json"), 400, "执法辅助人员")
    assert officer.post(base + "officers/", {"officer": world.o2.pk}, format="json").status_code == 201
    assert [o["name"] for o in officer.get(base + "officers/").json()] == ["李明", "周强"]

    # 立案: the buttons say who may; the officer is refused with the roles named
    steps = officer.get(base + "next-actions/").json()
    file_step = next(t for t in steps["transitions"] if t["code"] == "file")
    assert file_step["role_allowed"] is False and file_step["ready"] is False
    refused(officer.post(base + "transition/", {"transition": "file"}, format="json"), 403, "承办机构负责人")
    assert unit_head.post(base + "transition/", {"transition": "file"}, format="json").json()["stage"] == "filed"
    assert officer.post(base + "transition/", {"transition": "investigate"}, format="json").json()["stage"] == "investigation"

    # 调查取证: evidence by upload, inspection, interview in the interview room, coercive measure
    photo = officer.post(base + "evidence/", {
        "file": upload(officer, "货架照片.jpg", JPEG, "image/jpeg"), "kind": "audiovisual", "title": "货架照片",
        "captured_at": "2026-11-02T09:00:00+08:00"}, format="json").json()
    video = officer.post(base + "evidence/", {
        "file": upload(officer, "询问录像.mp4", MP4, "video/mp4"), "kind": "audiovisual", "title": "询问录像",
        "captured_at": "2026-11-02T10:00:00+08:00"}, format="json").json()
    inspection = {"time": "2026-11-02T09:30:00+08:00", "place": "店内", "content": "检查预包装食品标签",
                  "findings": "12袋饼干无生产日期"}
    refused(officer.post(base + "inspections/", {**inspection, "recording": photo["id"]}, format="json"), 400,
            "必须是本案的录音或录像文件")
    assert officer.post(base + "inspections/", inspection, format="json").status_code == 201
    interview = {"interviewee": "李四", "time": "2026-11-02T10:00:00+08:00", "place": "询问室", "in_interview_room": True,
                 "questions": [{"q": "饼干从哪里进货？", "a": "从批发市场。"}]}
    refused(officer.post(base + "interviews/", interview, format="json"), 400, "必须全程音像记录")
    made = officer.post(base + "interviews/", {**interview, "recording": video["id"]}, format="json")
    assert made.status_code == 201 and made.json()["questions"][0]["a"] == "从批发市场。"
    measure = {"kind": "seize", "emergency": True, "started_at": "2026-11-02T11:00:00+08:00",
               "reasons": "饼干无生产日期，为防止继续销售，", "basis": "《中华人民共和国食品安全法》第一百一十条第（四）项",
               "inventory": [{"name": "饼干", "quantity": "12", "unit": "袋"}], "officers": [world.o1.pk, world.o2.pk],
               "recording": video["id"]}
    refused(aux.post(base + "coercive-measures/", measure, format="json"), 403, "执法辅助人员不能签署")
    assert officer.post(base + "coercive-measures/", measure, format="json").status_code == 201

    # 拟定处罚: an auxiliary never signs; the officer proposes a fine that is a major decision
    discretion = {"level": cc.SERIOUS, "penalty_kinds": [cc.FINE], "fine_amount": "50000",
                  "reasoning": "违法持续时间长。", "deviation_reason": "经负责人批准。"}
    refused(aux.post(base + "discretion/", discretion, format="json"), 403, "执法辅助人员不能签署")
    assert officer.post(base + "discretion/", discretion, format="json").status_code == 200
    for step in ("propose", "notify"):
        assert officer.post(base + "transition/", {"transition": step}, format="json").status_code == 200
    case = Case.objects.get()
    assert case.hearing_right is True

    # 陈述申辩 and its answer
    statement = officer.post(base + "statements/", {"point": "初次违法，请求从轻。", "received_on": "2026-11-02"},
                             format="json")
    assert statement.status_code == 201, statement.content.decode()
    statement = statement.json()
    answer = {"answer": "已在裁量中考虑。", "accepted": False}
    refused(aux.post(base + f"statements/{statement['id']}/answer/", answer, format="json"), 403, "执法辅助人员")
    assert officer.post(base + f"statements/{statement['id']}/answer/", answer, format="json").json()["accepted"] is False

    # 听证: a request after the five working days is refused; in time it is registered
    fixed_today(D(2026, 11, 16))
    refused(officer.post(base + "hearing/request/", {}, format="json"), 400, "听证申请已超过期限")
    fixed_today(TODAY)
    assert officer.post(base + "hearing/request/", {"requested_on": "2026-11-02"}, format="json").status_code == 201
    assert action(officer.get(base + "next-actions/").json(), "hearing_schedule")["available"] is True
    schedule = {"notified_on": "2026-11-02", "scheduled_for": "2026-11-12T09:00:00+08:00", "place": "听证室"}
    refused(officer.post(base + "hearing/schedule/", {**schedule, "presiding": world.o1.pk}, format="json"), 400,
            "不能是本案的调查人员")
    refused(officer.post(base + "hearing/schedule/", {**schedule, "scheduled_for": "2026-11-05T09:00:00+08:00",
                                                     "presiding": people["presiding"].pk}, format="json"), 400,
            "七个工作日前通知")
    assert officer.post(base + "hearing/schedule/", {**schedule, "presiding": people["presiding"].pk},
                        format="json").json()["presiding_name"] == "陈主持"
    fixed_today(D(2026, 11, 12))
    held = officer.post(base + "hearing/record/", {"held_on": "2026-11-12", "record": "当事人到场陈述。"}, format="json")
    assert held.status_code == 200 and held.json()["concluded"] is True
    assert action(officer.get(base + "next-actions/").json(), "hearing_record")["available"] is False

    # 延长办案期限: only the agency head approves
    extension = {"days": 30, "reason": "案情复杂，需补充调查。"}
    refused(officer.post(base + "extensions/", extension, format="json"), 403, "机关负责人批准")
    assert head.post(base + "extensions/", extension, format="json").status_code == 201

    # 法制审核 (zhifa/review API): the decision is refused until the review passes; a reviewer of
    # another agency is refused
    refused(head.post(base + "transition/", {"transition": "decide"}, format="json"), 400, "尚未通过法制审核")
    review = officer.post("/api/review/reviews/submit/", {"case": case.pk}, format="json").json()
    reviewer_api = people["reviewer"]
    refused(reviewer_api.post(f"/api/review/reviews/{review['id']}/assign/", {"reviewer": people["outsider"].pk},
                              format="json"), 403, "不是云岭县市场监督管理局的法制审核人员")
    assert reviewer_api.post(f"/api/review/reviews/{review['id']}/assign/", {"reviewer": people["legal"].pk},
                             format="json").status_code == 200
    opinion = reviewer_api.post(f"/api/review/reviews/{review['id']}/opinion/",
                                {"findings": findings(), "result": review_choices.AGREE}, format="json")
    assert opinion.status_code == 200, opinion.content.decode()

    # 决定, 送达, 缴款, 结案, 归档
    refused(officer.post(base + "transition/", {"transition": "decide"}, format="json"), 403, "机关负责人")
    decided = head.post(base + "transition/", {"transition": "decide", "outcome": "penalty"}, format="json").json()
    assert decided["stage"] == "decision" and decided["decision_number"]
    served = officer.post(base + "transition/", {"transition": "serve", "served_on": "2026-11-12",
                                                 "service_method": "direct", "service_recipient": "李四"}, format="json")
    assert served.json()["stage"] == "execution"
    payment = {"paid_on": "2026-11-12", "amount": "50000", "bank": "秦川市农商银行", "bank_reference": "NS-API-1"}
    assert officer.post(base + "payments/", payment, format="json").status_code == 201
    refused(officer.post(base + "payments/", {**payment, "bank_reference": "NS-API-2"}, format="json"), 400, "已缴清")
    for step in ("close", "archive"):
        moved = unit_head.post(base + "transition/", {"transition": step}, format="json")
        assert moved.status_code == 200, moved.content.decode()
    assert Case.objects.get().stage == "archived"

    # The archived file is read-only; a remedy is a new fact that can still be recorded
    refused(officer.post(base + "inspections/", inspection, format="json"), 403, "案卷只读")
    after = officer.get(base + "next-actions/").json()
    assert after["refusal"] == "案件已归档，案卷只读。" and after["transitions"] == []
    assert action(after, "inspection")["available"] is False and action(after, "remedy")["available"] is True
    remedy = officer.post(base + "remedies/", {"kind": "reconsideration", "body": "云岭县人民政府",
                                               "filed_on": "2026-11-12"}, format="json")
    assert remedy.status_code == 201, remedy.content.decode()
    result = officer.post(base + f"remedies/{remedy.json()['id']}/result/",
                          {"result": "upheld", "decided_on": "2026-11-12", "result_number": "云政复决〔2026〕9号"},
                          format="json")
    assert result.status_code == 200 and result.json()["result"] == "upheld"
    kinds = [e["kind"] for e in officer.get(base + "events/").json()]
    for kind in ("officer_assigned", "inspection", "interview", "coercive_measure", "statement_answered",
                 "hearing_requested", "hearing_scheduled", "hearing_held", "extension", "payment", "remedy",
                 "remedy_result", "transition:archive"):
        assert kind in kinds, kind
    assert officer.get(base + "verify/").json()["ok"] is True


def test_on_the_spot_decision_in_one_call_or_nothing(world, people):
    officer = people["officer"]
    photo = upload(officer, "现场.jpg", JPEG, "image/jpeg")
    body = {"item": world.item.pk, "party": world.person.pk, "place": "人民路2号门前", "facts": "销售无标签食品。",
            "level": cc.LIGHT, "penalty_kinds": [cc.FINE], "fine_amount": "100", "certificate_shown": True,
            "party_heard": False, "photo": photo, "deviation_reason": "当场处罚限额以内（处罚法第五十一条）。"}
    error = refused(officer.post("/api/cases/cases/on-the-spot/", body, format="json"), 400, "并听取陈述申辩")
    assert error["message"] == "不能当场作出处罚决定：未告知当事人处罚的事实、理由和依据并听取陈述申辩。"
    assert error["fields"]["transition"] == ["未告知当事人处罚的事实、理由和依据并听取陈述申辩。"]
    refused(officer.post("/api/cases/cases/on-the-spot/", {**body, "party_heard": True, "fine_amount": None},
                         format="json"), 400, "请填写罚款金额")
    refused(people["auxiliary"].post("/api/cases/cases/on-the-spot/", {**body, "party_heard": True, "photo": None},
                                     format="json"), 403, "执法辅助人员")
    refused(people["officer2"].post("/api/cases/cases/on-the-spot/", {**body, "party_heard": True}, format="json"),
            400, "本人上传")
    assert Case.objects.count() == 0
    decided = officer.post("/api/cases/cases/on-the-spot/", {**body, "party_heard": True}, format="json")
    assert decided.status_code == 201, decided.content.decode()
    data = decided.json()
    assert data["procedure"] == "simple" and data["stage"] == "execution" and "当罚" in data["decision_number"]
    case = Case.objects.get()
    assert case.evidence.get().title == "现场照片" and case.documents.filter(code="on_the_spot_decision").exists()


def test_next_actions_are_the_case_page_buttons(world, people, open_general, client):
    """The API's next-actions and the case page's buttons come from the same service."""
    case = open_general()
    body = people["auxiliary"].get(f"/api/cases/cases/{case.pk}/next-actions/").json()
    assert action(body, "evidence")["available"] is True
    assert action(body, "coercive")["refusal"].startswith("执法辅助人员不能签署")
    client.force_login(world.users.auxiliary_a)
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert "上传证据" in page and "/coercive-measures/new/" not in page
    client.force_login(world.officer_user)
    assert "/coercive-measures/new/" in client.get(f"/cases/{case.pk}/").content.decode()


def test_rules_that_lived_in_forms_are_the_services(world, open_general):
    """Unit of the agency, officers serving the agency, recordings of this case: every caller is
    refused by the service itself, not only the web form's choices."""
    from django.core.exceptions import ValidationError

    from zhifa.cases import services

    stranger = Officer.objects.create(name="吴综合", id_number=id_number(31), home_agency=world.tree.comprehensive)
    with pytest.raises(ValidationError, match="所选承办机构不属于云岭县市场监督管理局"):
        open_general(unit=world.tree.township_team)
    with pytest.raises(ValidationError, match="吴综合不是云岭县市场监督管理局的执法人员"):
        open_general(officers=[world.o1, stranger])
    dispatched = Officer.objects.create(name="郑派驻", id_number=id_number(32), home_agency=world.tree.comprehensive,
                                        dispatched_to=world.tree.market_unit)
    case = open_general(officers=[world.o1, dispatched])  # dispatched to one of the agency's units: serves it
    with pytest.raises(ValidationError, match="吴综合不是云岭县市场监督管理局的执法人员"):
        services.assign_officer(case, stranger, actor=world.officer_user)
    with pytest.raises(ValidationError, match="赵协是执法辅助人员"):
        services.assign_officer(case, world.aux, actor=world.officer_user)
    other = open_general()
    services.perform_transition(other, "file", actor=world.unit_head)
    services.perform_transition(other, "investigate", actor=world.officer_user)
    from .test_procedure import _video

    foreign = services.add_evidence(other, _video(), actor=world.officer_user, kind="audiovisual", title="录像",
                                    captured_at=datetime.datetime(2026, 11, 2, 9, tzinfo=datetime.UTC))
    with pytest.raises(ValidationError, match="必须是本案的录音或录像文件"):
        services.record_inspection(case, actor=world.officer_user, time=datetime.datetime(2026, 11, 2, 9, tzinfo=datetime.UTC),
                                   place="店内", content="检查", findings="无", recording=foreign)
    with pytest.raises(ValidationError, match="裁量档次"):
        services.set_discretion(other, actor=world.officer_user, level="extreme", penalty_kinds=[cc.FINE],
                                fine_amount=8000)


def test_next_actions_look_up_who_may_act_once(world, open_general, django_assert_max_num_queries):
    """Every check runs, but who may change the case and sign for it is looked up once."""
    from zhifa.cases import services

    case = open_general()
    services.perform_transition(case, "file", actor=world.unit_head)
    case = services.perform_transition(case, "investigate", actor=world.officer_user)
    with django_assert_max_num_queries(22):  # 20 today: 16 checks, 1 transition's requirements
        result = services.next_actions(case, world.officer_user)
    assert result.available("inspection") and result.available("coercive")
    assert [t.transition.code for t in result.transitions] == ["propose"]


def test_web_on_the_spot_form_registers_the_party_and_decides_through_the_same_service(world, client):
    """The phone form parses; ``services.decide_on_the_spot`` registers the new party and decides."""
    from django.urls import reverse

    from zhifa.parties.models import Party

    client.force_login(world.officer_user)
    response = client.post(reverse("cases:simple_create"), {
        "item": world.item.pk, "party_mode": "new", "new_party-kind": "natural", "new_party-name": "王小明",
        "new_party-id_number": "610113199003071237", "new_party-region": world.tree.county.pk,
        "place": "人民路与东风街交叉口", "facts": "设摊经营未公示信息卡。", "level": cc.LIGHT,
        "penalty_kinds": [cc.FINE], "fine_amount": "100", "deviation_reason": "当场处罚限额以内。",
        "certificate_shown": "on", "party_heard": "on",
    })
    case = Case.objects.get()
    assert response.status_code == 302 and response.url == reverse("cases:simple_done", args=[case.pk])
    assert case.party == Party.objects.get(name="王小明") and case.party.agency == world.tree.market
    assert case.stage == "execution" and case.fine_amount == 100 and "当罚" in case.decision_number
