"""The case pages: scoping, next-action buttons, refusals in Chinese, access logging,
evidence ownership, the on-the-spot procedure's all-or-nothing rule and flat lists."""

import datetime
import io

import pytest
from django.urls import reverse

from zhifa.cases import services
from zhifa.cases.models import Case, CaseDocument, CaseOfficer, Evidence
from zhifa.catalog import choices as cc
from zhifa.parties.models import Party
from zhifa.records.models import AccessLog, Event, Upload
from zhifa.records.services import events_for, store_file
from zhifa.records.testing import tamper, zip_bytes

D = datetime.date


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Stored files and partial uploads go to a per-test directory."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.ZHIFA_UPLOAD_TEMP_DIR = str(tmp_path / "media" / "tmp")
    return tmp_path / "media"


def _photo(seed=b"1"):
    return store_file(io.BytesIO(b"\xff\xd8\xff\xe0" + b"JFIF" + seed * 2000), "现场照片.jpg")


def _login(client, user):
    client.force_login(user)
    return client


def _investigating(world, open_general):
    case = open_general()
    Case.objects.filter(pk=case.pk).update(stage="investigation", filed_on=D(2026, 11, 2), number="测试立〔2026〕1号")
    case.refresh_from_db()
    return case


def test_pages_render_for_the_officer(client, world, open_general):
    """Every page of an open case renders for its officer, in Chinese, with the case on it."""
    case = open_general()
    _login(client, world.officer_user)
    pages = [
        reverse("cases:workbench"), reverse("cases:case_list"), reverse("cases:overdue"),
        reverse("cases:case_create"), reverse("cases:simple_create"), case.get_absolute_url(),
        reverse("cases:procedure_flow", args=["general"]), reverse("cases:procedure_flow", args=["simple"]),
        reverse("cases:evidence_add", args=[case.pk]), reverse("cases:assign_officer", args=[case.pk]),
        reverse("cases:transition", args=[case.pk, "file"]),
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
    workbench = client.get(reverse("cases:workbench")).content.decode()
    assert "经营标签不符合规定的食品案" in workbench and "当场处罚" in workbench and "登记案件" in workbench
    assert "剩余" in workbench  # 15 working days to decide on filing
    detail = client.get(case.get_absolute_url()).content.decode()
    assert "《中华人民共和国食品安全法》第一百二十五条第一款第（二）项" in detail  # the item version's citation
    assert "全过程记录完整（已校验1条记录、0个文件）" in detail
    flow = client.get(reverse("cases:procedure_flow", args=["general"])).content.decode()
    assert "批准立案" in flow and "两名以上持有效执法证、可办理该事项的执法人员" in flow and "处罚法第六十条" in flow

    case = _investigating(world, open_general)
    for name in ("discretion", "inspection_add", "interview_add", "coercive_add"):
        assert client.get(reverse(f"cases:{name}", args=[case.pk])).status_code == 200, name


def test_other_county_officer_gets_404_and_sees_nothing(client, world, open_general):
    """青石县's officer cannot open 云岭县's case, its files or its actions, and lists show nothing of it."""
    case = open_general()
    evidence = services.add_evidence(case, _photo(), actor=world.officer_user, kind="audiovisual", title="照片",
                                     captured_at=datetime.datetime(2026, 11, 2, 9, tzinfo=datetime.UTC))
    _login(client, world.users.officer_b)
    assert client.get(case.get_absolute_url()).status_code == 404
    assert client.get(reverse("cases:evidence_file", args=[case.pk, evidence.pk])).status_code == 404
    assert client.post(reverse("cases:transition", args=[case.pk, "file"])).status_code == 404
    for url in (reverse("cases:case_list"), reverse("cases:workbench"), reverse("cases:overdue")):
        assert "经营标签不符合规定的食品案" not in client.get(url).content.decode()
    assert client.get(reverse("cases:case_list")).context["page"].paginator.count == 0


def test_next_action_buttons_show_missing_requirements(client, world, open_general):
    """A step that cannot be made yet is a disabled button with what is missing, in Chinese."""
    case = open_general(officers=[world.o1, world.aux])
    _login(client, world.unit_head)
    html = client.get(case.get_absolute_url()).content.decode()
    assert '<button type="button" disabled>批准立案</button>' in html
    assert "不足两名" in html and "执法辅助人员不能独立执法" in html
    _login(client, world.officer_user)
    html = client.get(case.get_absolute_url()).content.decode()
    assert "您的角色不能办理此步骤" in html  # officers do not approve filing


def test_refused_transition_shows_the_reasons_and_changes_nothing(client, world, open_general):
    case = open_general(officers=[world.o1, world.aux])
    events_before = Event.objects.filter(stream__key=case.stream_key).count()
    _login(client, world.unit_head)
    response = client.post(reverse("cases:transition", args=[case.pk, "file"]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "不能批准立案，以下条件尚未满足" in html and "不足两名" in html
    case.refresh_from_db()
    assert case.stage == "clue" and case.number == "" and not case.documents.exists()
    assert Event.objects.filter(stream__key=case.stream_key).count() == events_before


def test_transition_from_the_case_page_moves_the_case(client, world, open_general):
    """The unit head approves filing: the case gets its number and the 立案审批表 is stored."""
    case = open_general()
    _login(client, world.unit_head)
    response = client.post(reverse("cases:transition", args=[case.pk, "file"]), follow=True)
    case.refresh_from_db()
    assert case.stage == "filed" and case.number.startswith("云岭县市场监管局立〔2026〕")
    assert "已批准立案" in response.content.decode()
    assert list(case.documents.values_list("code", flat=True)) == ["filing_approval"]


def test_auxiliary_cannot_sign_through_the_pages(client, world, open_general):
    """An auxiliary may record but not sign: discretion and a signed step are refused with 403 and the reason."""
    case = _investigating(world, open_general)
    _login(client, world.users.auxiliary_a)
    response = client.post(reverse("cases:discretion", args=[case.pk]), {
        "level": cc.LIGHT, "outcome": "penalty", "penalty_kinds": [cc.FINE], "fine_amount": "8000"})
    assert response.status_code == 403
    assert "执法辅助人员不能签署文书或作出决定" in response.content.decode()
    response = client.post(reverse("cases:transition", args=[case.pk, "propose"]))
    assert response.status_code == 403 and "拟定处罚意见须由" in response.content.decode()
    case.refresh_from_db()
    assert case.discretion_level == "" and case.stage == "investigation"


def test_every_case_page_view_is_logged(client, world, open_general):
    """REC-4: each view of the case page writes an access-log row."""
    case = open_general()
    _login(client, world.users.supervisor_a)
    client.get(case.get_absolute_url())
    client.get(case.get_absolute_url())
    rows = AccessLog.objects.filter(stream_key=case.stream_key, action="view", user=world.users.supervisor_a)
    assert rows.count() == 2
    assert "只能查看" in client.get(case.get_absolute_url()).content.decode()


def test_document_and_evidence_downloads_are_logged(client, world, open_general):
    case = open_general()
    pdf = store_file(io.BytesIO(b"%PDF-1.4 test"), "a.pdf", "application/pdf")
    docx = store_file(io.BytesIO(zip_bytes({"word/document.xml": b"<w:document/>"})), "a.docx")
    document = CaseDocument.objects.create(case=case, code="filing_approval", title="立案审批表", docx=docx, pdf=pdf,
                                           generated_by=world.officer_user)
    evidence = services.add_evidence(case, _photo(), actor=world.officer_user, kind="audiovisual", title="照片",
                                     captured_at=datetime.datetime(2026, 11, 2, 9, tzinfo=datetime.UTC))
    _login(client, world.officer_user)
    response = client.get(reverse("cases:document_file", args=[case.pk, document.pk, "pdf"]))
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"%PDF-1.4 test"
    response = client.get(reverse("cases:evidence_file", args=[case.pk, evidence.pk]) + "?inline=1")
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert "attachment" not in response.get("Content-Disposition", "")
    assert AccessLog.objects.filter(stream_key=case.stream_key, action="download").count() == 2
    assert client.get(reverse("cases:document_file", args=[case.pk, document.pk, "exe"])).status_code == 404


def test_evidence_add_refuses_a_file_uploaded_by_someone_else(client, world, open_general):
    case = open_general()
    stored = _photo()
    Upload.objects.create(owner=world.officer2_user, name="现场照片.jpg", size=stored.size, received=stored.size,
                          temp_path="/nonexistent", completed=stored)
    _login(client, world.officer_user)
    form = {"stored_file": stored.pk, "kind": "audiovisual", "title": "货架照片", "captured_at": "2026-11-02T09:00"}
    response = client.post(reverse("cases:evidence_add", args=[case.pk]), form)
    assert response.status_code == 200 and "只能登记本人上传的文件" in response.content.decode()
    assert not Evidence.objects.exists()
    Upload.objects.create(owner=world.officer_user, name="现场照片.jpg", size=stored.size, received=stored.size,
                          temp_path="/nonexistent", completed=stored)
    response = client.post(reverse("cases:evidence_add", args=[case.pk]), form)
    assert response.status_code == 302
    evidence = Evidence.objects.get()
    assert evidence.file == stored and evidence.uploaded_by == world.officer_user and not evidence.late_upload


def test_evidence_plain_upload_without_javascript_is_stored_and_late_flagged(client, world, open_general):
    """The multipart fallback streams the file to storage; captured two days ago → flagged."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    case = open_general()
    _login(client, world.users.auxiliary_a)  # auxiliaries may record evidence
    upload = SimpleUploadedFile("记录仪.mp4", b"\x00\x00\x00\x18ftypmp42" + bytes(4000), content_type="video/mp4")
    response = client.post(reverse("cases:evidence_add", args=[case.pk]), {
        "file": upload, "kind": "audiovisual", "title": "执法记录仪录像", "captured_at": "2026-10-31T10:00",
        "device": "执法记录仪 DSJ-01", "place_text": "店内", "latitude": "34.123456", "longitude": "108.654321",
    })
    assert response.status_code == 302
    evidence = Evidence.objects.get()
    assert evidence.late_upload and evidence.is_recording and evidence.device == "执法记录仪 DSJ-01"
    assert str(evidence.latitude) == "34.123456"
    last = list(events_for(case.stream_key))[-1]
    assert "超过24小时上传" in last.summary and last.files[0]["hash"] == evidence.file.hash


def test_discretion_preview_does_not_save_and_saving_shows_findings(client, world, open_general):
    case = _investigating(world, open_general)
    _login(client, world.officer_user)
    url = reverse("cases:discretion", args=[case.pk])
    data = {"level": cc.LIGHT, "outcome": "penalty", "penalty_kinds": [cc.FINE], "fine_amount": "40000"}
    response = client.post(url, {**data, "preview": "1"})
    assert "比对结果（未保存）" in response.content.decode() and "高于本档次上限" in response.content.decode()
    case.refresh_from_db()
    assert case.discretion_level == ""
    response = client.post(url, data, follow=True)
    html = response.content.decode()
    assert "不符合裁量基准（已提示执法监督）" in html and "须填写偏离基准的书面理由" in html
    case.refresh_from_db()
    assert case.within_benchmark is False and case.fine_amount == 40000


def test_simple_procedure_over_the_threshold_is_refused_and_nothing_is_written(client, world):
    """300 yuan to a natural person on the spot: refused with the reason, no case, no party, no event."""
    _login(client, world.officer_user)
    parties_before = Party.objects.count()
    response = client.post(reverse("cases:simple_create"), {
        "item": world.item.pk, "party_mode": "new", "new_party-kind": "natural", "new_party-name": "王五",
        "new_party-id_number": "610113199003071237", "new_party-region": world.tree.county.pk,
        "place": "云岭县人民路3号", "facts": "销售标签不符合规定的食品。", "level": cc.LIGHT,
        "penalty_kinds": [cc.FINE], "fine_amount": "300", "certificate_shown": "on", "party_heard": "on",
    })
    assert response.status_code == 200
    html = response.content.decode()
    assert "未保存任何内容" in html and "对公民当场罚款不得超过200.00 元" in html
    assert Case.objects.count() == 0 and Party.objects.count() == parties_before
    assert not Event.objects.exists() and not CaseOfficer.objects.exists()


def test_simple_procedure_needs_both_confirmations(client, world):
    _login(client, world.officer_user)
    response = client.post(reverse("cases:simple_create"), {
        "item": world.item.pk, "party_mode": "existing", "party": world.person.pk, "place": "人民路",
        "facts": "销售标签不符合规定的食品。", "level": cc.LIGHT, "penalty_kinds": [cc.WARNING],
    })
    html = response.content.decode()
    assert "未确认已向当事人出示执法证件" in html and "未告知当事人处罚的事实、理由和依据并听取陈述申辩" in html
    assert Case.objects.count() == 0


def test_party_search_keeps_what_was_typed(client, world):
    """The 查找 button narrows the party list without saving or complaining."""
    _login(client, world.officer_user)
    response = client.post(reverse("cases:case_create"), {"find_party": "1", "party_q": "鑫达", "cause": "某案"})
    form = response.context["form"]
    assert not form.is_bound and form.initial["cause"] == "某案"
    assert [value for value, _ in form.fields["party"].widget.choices][1:] == [world.company.pk]
    assert "请选择" not in response.content.decode().split("鑫达")[0][-20:]


def test_case_create_opens_a_case_with_lead_and_assistant(client, world):
    _login(client, world.officer_user)
    response = client.post(reverse("cases:case_create"), {
        "agency": world.tree.market.pk, "item": world.item.pk, "party": world.company.pk, "cause": "标签案",
        "source": "complaint", "occurred_on": "2026-10-28", "place": "人民路1号", "facts": "标签不合格。",
        "lead": world.o1.pk, "assistants": [world.o2.pk],
    })
    case = Case.objects.get()
    assert response.status_code == 302 and response["Location"] == case.get_absolute_url()
    assert case.lead_officer() == world.o1 and case.assignments.count() == 2 and case.source == "complaint"


def test_archived_case_is_read_only(client, world, open_general):
    case = open_general()
    Case.objects.filter(pk=case.pk).update(stage="archived", archived_on=D(2026, 11, 2))
    _login(client, world.officer_user)
    html = client.get(case.get_absolute_url()).content.decode()
    assert "案卷只读" in html and "<form method=\"post\"" not in html.split("<main")[1]
    response = client.post(reverse("cases:evidence_add", args=[case.pk]), {"title": "x"})
    assert response.status_code == 403 and "案卷只读" in response.content.decode()


def test_tampered_record_turns_the_badge_red_naming_the_event(client, world, open_general):
    case = open_general()
    services.assign_officer(case, world.o1, actor=world.officer_user)  # no-op: already assigned
    services.add_evidence(case, _photo(), actor=world.officer_user, kind="audiovisual", title="照片",
                          captured_at=datetime.datetime(2026, 11, 2, 9, tzinfo=datetime.UTC))
    first = Event.objects.filter(stream__key=case.stream_key).order_by("seq").first()
    tamper("UPDATE records_event SET summary = %s WHERE id = %s", ["篡改", first.pk])
    _login(client, world.officer_user)
    html = client.get(case.get_absolute_url()).content.decode()
    assert "全过程记录校验未通过" in html and "第1条记录" in html


def _bulk_cases(world, count):
    for index in range(count):
        case = Case.objects.create(
            stage="investigation", agency=world.tree.market, unit=world.tree.market_unit, item=world.item,
            party=world.company, cause=f"批量案件{index}", occurred_on=D(2026, 10, 1), place="人民路",
            next_deadline=D(2026, 10, 1) + datetime.timedelta(days=index * 3), next_deadline_label="作出处罚决定",
            within_benchmark=index % 2 == 0,
        )
        CaseOfficer.objects.create(case=case, officer=world.o1, role="lead")


@pytest.mark.parametrize("count", [10, 30])
def test_list_workbench_and_overdue_query_counts_are_flat(client, world, count, django_assert_max_num_queries):
    """The same number of queries for 10 and 30 cases (pages of 30, workbench up to 50)."""
    _bulk_cases(world, count)
    _login(client, world.officer_user)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("cases:case_list") + "?overdue=true&mine=true")
    assert response.status_code == 200 and response.context["page"].paginator.count == min(count, 11)
    # 5: the case scope reads the agency ids in reach first (one small query, issue #14)
    with django_assert_max_num_queries(5):
        response = client.get(reverse("cases:workbench"))
    assert len(response.context["my_cases"]) == count
    with django_assert_max_num_queries(5):
        response = client.get(reverse("cases:overdue"))
    assert response.context["total"] == min(count, 11)


def test_overdue_page_counts_per_unit_and_links_to_the_list_beyond_what_it_shows(client, world, monkeypatch):
    """Up to ``OVERDUE_LISTED`` overdue cases the page shows them; beyond, it shows each unit's
    count only, linked to the paginated case list filtered to that agency, unit and 已超期 —
    which lists exactly those cases. Closed cases and cases not yet due are not counted."""
    from zhifa.cases.views import lists

    _bulk_cases(world, 12)  # deadlines 10-01 … 11-03 every three days: 11 are overdue on 11-02
    Case.objects.filter(cause="批量案件0").update(closed_on=D(2026, 10, 20))
    _login(client, world.officer_user)
    response = client.get(reverse("cases:overdue"))
    [group] = response.context["groups"]
    assert response.context["total"] == 10 and group["count"] == 10 and len(group["cases"]) == 10
    assert [c.next_deadline for c in group["cases"]] == sorted(c.next_deadline for c in group["cases"])

    monkeypatch.setattr(lists, "OVERDUE_LISTED", 5)
    response = client.get(reverse("cases:overdue"))
    html = response.content.decode()
    [group] = response.context["groups"]
    assert response.context["total"] == 10 and group["cases"] == [] and "超过 5 件时本页只列件数" in html
    assert group["url"] == (f"{reverse('cases:case_list')}?overdue=true&agency={world.tree.market.pk}"
                            f"&unit={world.tree.market_unit.pk}") and f'href="{group["url"].replace("&", "&amp;")}"' in html
    listed = client.get(group["url"])
    assert listed.context["page"].paginator.count == 10


def _unit_options(html):
    select = html[html.index('<select name="unit"'):]
    select = select[:select.index("</select>")]
    return [part.split('"', 1)[0] for part in select.split('<option value="')[1:]]


def test_unit_select_asks_for_an_agency_first_beyond_its_limit(client, world, api_client, monkeypatch):
    """With more units in reach than ``UNIT_CHOICES_MAX`` (a province), the case list's unit
    ``<select>`` offers the chosen agency's units, or the unit a link chose, and otherwise asks for
    an agency first; any unit in reach is still accepted, on the page and in the API."""
    from zhifa.cases import filters

    _bulk_cases(world, 2)
    tree, supervisor = world.tree, world.users.supervisor_a
    _login(client, supervisor)
    every = _unit_options(client.get(reverse("cases:case_list")).content.decode())
    assert {str(tree.market_unit.pk), str(tree.township_team.pk)} <= set(every)

    monkeypatch.setattr(filters, "UNIT_CHOICES_MAX", 1)
    html = client.get(reverse("cases:case_list")).content.decode()
    assert _unit_options(html) == [""] and "（先选择办案机关并筛选）" in html
    assert _unit_options(client.get(reverse("cases:case_list"), {"agency": tree.market.pk}).content.decode()) == [
        "", str(tree.market_unit.pk)]
    response = client.get(reverse("cases:case_list"), {"unit": tree.market_unit.pk})
    assert _unit_options(response.content.decode()) == ["", str(tree.market_unit.pk)]
    assert f'<option value="{tree.market_unit.pk}" selected>' in response.content.decode()
    assert response.context["page"].paginator.count == 2
    api_client.force_authenticate(supervisor)
    assert api_client.get("/api/cases/cases/", {"unit": tree.township_team.pk}).status_code == 200


def test_case_list_filters_by_source_on_the_page_and_in_the_api(client, world, api_client):
    """案件来源 filters the case list and the API (the complaint decision's case search asks the
    API for the agency's complaint-sourced cases)."""
    _bulk_cases(world, 3)
    Case.objects.filter(cause="批量案件1").update(source="complaint")
    _login(client, world.officer_user)
    response = client.get(reverse("cases:case_list"), {"source": "complaint"})
    assert [c.cause for c in response.context["page"].object_list] == ["批量案件1"]
    api_client.force_authenticate(world.officer_user)
    rows = api_client.get("/api/cases/cases/", {"source": "complaint", "agency": world.tree.market.pk,
                                                "q": "批量"}).json()["results"]
    assert [r["cause"] for r in rows] == ["批量案件1"]
    assert api_client.get("/api/cases/cases/", {"source": "no-such"}).status_code == 400


@pytest.mark.parametrize("count", [12, 30])
def test_head_workbench_checks_a_bounded_number_of_cases(client, world, count, django_assert_max_num_queries):
    """The head's 待我审批 list checks at most ten cases, whatever the number in reach."""
    for index in range(count):
        services.open_case(actor=world.officer_user, agency=world.tree.market, item=world.item, party=world.company,
                           cause=f"线索{index}", occurred_on=D(2026, 10, 20), place="人民路", facts="标签不合格。",
                           officers=[world.o1, world.o2])
    _login(client, world.unit_head)
    with django_assert_max_num_queries(120):
        response = client.get(reverse("cases:workbench"))
    approvals = response.context["approvals"]
    assert len(approvals) == 10 and {t.code for _, t in approvals} == {"file"}
    assert "待我审批（10）" in response.content.decode()


def test_rights_hearing_extension_interview_and_payment_forms(client, world, open_general):
    """The party-rights, extension, interview and payment forms each call their service, and a
    refusal comes back in Chinese with nothing written."""
    from decimal import Decimal

    from zhifa.cases.models import Hearing, Payment, Statement

    case = _investigating(world, open_general)
    _login(client, world.officer_user)
    response = client.post(reverse("cases:interview_add", args=[case.pk]), {
        "interviewee": "李四", "time": "2026-11-02T10:00", "place": "店内", "q": ["", ""], "a": ["", ""]})
    assert "询问笔录至少应有一问一答" in response.content.decode() and not case.interviews.exists()
    response = client.post(reverse("cases:extension_add", args=[case.pk]), {"days": 30, "reason": "案情复杂"})
    assert response.status_code == 403 and "须经机关负责人批准" in response.content.decode()
    _login(client, world.head)
    client.post(reverse("cases:extension_add", args=[case.pk]), {"days": 30, "reason": "案情复杂，需补充鉴定。"})
    case.refresh_from_db()
    assert case.extension_days == 30 and case.next_deadline == D(2027, 3, 2)  # 90 + 30 days from 2 November

    Case.objects.filter(pk=case.pk).update(stage="notice", notice_served_on=D(2026, 11, 2),
                                           statement_deadline=D(2026, 11, 9), hearing_right=True)
    _login(client, world.officer_user)
    assert client.get(case.get_absolute_url()).context["actions"]["hearing_request"]
    client.post(reverse("cases:hearing_request", args=[case.pk]), {"requested_on": "2026-11-02"})
    assert Hearing.objects.filter(case=case, requested_on=D(2026, 11, 2)).exists()
    response = client.post(reverse("cases:hearing_request", args=[case.pk]), {"requested_on": "2026-11-02"})
    assert "当事人已申请听证" in response.content.decode()
    for name in ("hearing_schedule", "hearing_record", "statement_add", "waive_rights"):
        assert client.get(reverse(f"cases:{name}", args=[case.pk])).status_code == 200, name
    client.post(reverse("cases:waive_rights", args=[case.pk]), {"note": "当事人签署放弃确认书。"})
    case.refresh_from_db()
    assert case.rights_waived
    statement = Statement.objects.create(case=case, received_on=D(2026, 11, 2), point="初次违法。",
                                         recorded_by=world.officer_user)
    assert client.get(reverse("cases:statement_answer", args=[case.pk, statement.pk])).status_code == 200
    client.post(reverse("cases:statement_answer", args=[case.pk, statement.pk]),
                {"answer": "已在裁量中考虑。", "accepted": "0"})
    statement.refresh_from_db()
    assert statement.answer == "已在裁量中考虑。" and statement.accepted is False

    Case.objects.filter(pk=case.pk).update(stage="execution", fine_amount=Decimal("8000"), outcome="penalty",
                                           served_on=D(2026, 11, 2), payment_due_on=D(2026, 11, 17))
    page = client.get(reverse("cases:payment_add", args=[case.pk]))
    assert page.context["form"].initial["amount"] == Decimal("8000")
    form = {"paid_on": "2026-11-02", "amount": "8000", "bank": "秦川市农商银行", "bank_reference": "NS001"}
    assert client.post(reverse("cases:payment_add", args=[case.pk]), form).status_code == 302
    response = client.post(reverse("cases:payment_add", args=[case.pk]), form)
    assert "该银行缴款凭证号已登记" in response.content.decode() and Payment.objects.count() == 1
    html = client.get(case.get_absolute_url()).content.decode()
    assert "NS001" in html and "8,000.00 元" in html
