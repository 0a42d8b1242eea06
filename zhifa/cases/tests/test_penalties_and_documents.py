"""Every decided penalty is stated in every document that states the penalty and every money
amount is tracked to payment (issue #9 item 1); generated documents read as a legal officer
writes them (item 3); no fact of a past act is dated in the future and no code shows in the UI
(item 4)."""

import datetime
import io
import re
import subprocess
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.core.exceptions import ValidationError
from docx import Document

from zhifa.cases import choices, rules, services
from zhifa.cases.documents import build_context
from zhifa.catalog import choices as cc
from zhifa.documents.kinds import DOCUMENT_KINDS
from zhifa.records.services import open_stored

from .test_procedure import _investigate

D = datetime.date
FINE_LINE = "一、罚款人民币壹万贰仟元整（¥12,000.00）"
INCOME_LINE = "二、没收违法所得人民币叁仟元整（¥3,000.00）"


def docx_text(data: bytes) -> str:
    """The text of a DOCX, paragraphs and table cells, one line each."""
    document = Document(io.BytesIO(data))
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.extend(cell.text for cell in row.cells)
    return "\n".join(lines)


def stored_text(case_document) -> str:
    with open_stored(case_document.docx) as handle:
        return docx_text(handle.read())


def _interview(world, case):
    services.record_interview(case, actor=world.officer_user, interviewee="李四（当事人法定代表人）",
                              time=datetime.datetime(2026, 11, 2, 10, 0, tzinfo=datetime.UTC), place="本局询问室",
                              questions=[{"q": "饼干从哪里进的货？", "a": "从批发市场进的。"}])


@pytest.fixture
def decided_case(world, open_general, fixed_today, django_capture_on_commit_callbacks):
    """Fine ¥12,000 and confiscation of ¥3,000 illegal income, decided and served (the PDFs
    converted by their job as after a real commit)."""
    with django_capture_on_commit_callbacks(execute=True):
        return _decided_case(world, open_general, fixed_today)


def _decided_case(world, open_general, fixed_today):
    case = open_general(cause="涉嫌经营标签不符合规定的食品案", facts="经查，当事人经营标签不符合规定的预包装食品。")
    _investigate(world, case)
    _interview(world, case)
    services.set_discretion(case, actor=world.officer_user, level=cc.LIGHT, penalty_kinds=[cc.CONFISCATE_GAINS, cc.FINE],
                            fine_amount=12000, confiscation_amount=3000, reasoning="当事人积极配合调查",
                            deviation_reason="经负责人批准。")
    services.perform_transition(case, "propose", actor=world.officer_user)
    case = services.perform_transition(case, "notify", actor=world.officer_user)
    services.waive_rights(case, actor=world.officer_user, note="当事人书面放弃。")
    fixed_today(D(2026, 11, 10))
    case = services.perform_transition(case, "decide", actor=world.head)
    return services.perform_transition(case, "serve", actor=world.officer_user, data={
        "served_on": D(2026, 11, 10), "service_method": "direct", "service_recipient": "李四"})


def test_every_penalty_and_amount_is_stated_in_every_document_that_states_the_penalty(decided_case):
    """The advance notice, the decision and the payment notice list the fine and the confiscated
    illegal income, each in capitals and figures; the payment notice adds the total."""
    case = decided_case
    documents = {d.code: d for d in case.documents.all()}
    assert {"advance_notice", "penalty_decision", "payment_notice", "credit_repair_notice"} <= set(documents)
    for code in ("advance_notice", "penalty_decision", "payment_notice"):
        text = stored_text(documents[code])
        assert FINE_LINE in text and INCOME_LINE in text, code
    payment_notice = stored_text(documents["payment_notice"])
    assert "合计：人民币壹万伍仟元整（¥15,000.00）" in payment_notice
    assert "没收违法所得：人民币叁仟元整（¥3,000.00）" in payment_notice
    decision = stored_text(documents["penalty_decision"])
    assert "缴纳罚没款合计人民币壹万伍仟元整（¥15,000.00）" in decision


def test_the_decision_reads_as_a_legal_officer_writes_it(decided_case):
    """Discovery date and source phrasing, one 涉嫌, the violation's name (not "…案"), no
    procedure code, the operative sentence with the list, every evidence item and 笔录."""
    decision = stored_text(decided_case.documents.get(code="penalty_decision"))
    assert "2026年11月2日，本局执法人员在监督检查中发现当事人涉嫌经营标签不符合规定的食品。经批准，本局于2026年11月2日立案调查。" in decision
    assert "涉嫌涉嫌" not in decision and "案的违法行为" not in decision and "一般程序" not in decision
    assert "构成经营标签不符合规定的食品的违法行为" in decision
    assert "经查明：当事人经营标签不符合规定的预包装食品。" in decision and "经查明：经查" not in decision
    assert "本案经立案、调查取证和事先告知等程序，现已审查终结。" in decision
    assert "本局决定对当事人作出如下行政处罚：\n" + FINE_LINE + "；\n" + INCOME_LINE + "。" in decision
    assert "同时，责令当事人立即改正违法行为。" in decision
    assert "本局决定对当事人一般处罚" not in decision and "综上，本局认为对当事人应当" in decision
    assert "1. 货架照片（视听资料）；" in decision
    assert "2. 2026年11月2日现场检查笔录（勘验笔录、现场笔录），证明执法人员现场检查发现的情况；" in decision
    assert "3. 2026年11月2日对李四（当事人法定代表人）的询问笔录（当事人的陈述），证明被询问人陈述的案件事实。" in decision


def test_each_document_kind_has_its_own_number_series(decided_case, world):
    """告知书 …罚告〔2026〕N号, 决定书 …罚决〔2026〕N号, 缴款通知书 …缴〔2026〕N号; records and the
    送达回证 carry no number of their own."""
    numbers = {d.code: d.number for d in decided_case.documents.all()}
    prefix = "云岭县市场监管局"
    assert numbers["advance_notice"] == f"{prefix}罚告〔2026〕1号"
    assert numbers["penalty_decision"] == decided_case.decision_number and "罚决〔2026〕" in numbers["penalty_decision"]
    assert numbers["payment_notice"] == f"{prefix}缴〔2026〕1号"
    assert numbers["credit_repair_notice"] == f"{prefix}信修〔2026〕1号"
    assert numbers["site_inspection_record"] == "" and numbers["interview_record"] == ""
    assert numbers["filing_approval"] == decided_case.number
    assert decided_case.number not in set(numbers.values()) - {numbers["filing_approval"]}


def test_each_money_amount_is_tracked_to_payment_and_the_surcharge_applies_to_the_fine_only(decided_case, world,
                                                                                            fixed_today):
    """Paid two days late: the fine carries 3% a day, the illegal income none. A payment names what
    it pays; an overpayment is refused; the case is executed only when both are paid."""
    case = decided_case
    assert case.payment_due_on == D(2026, 11, 25)
    fixed_today(D(2026, 11, 27))
    items = {m.code: m for m in rules.money_items(case, D(2026, 11, 27))}
    assert items["fine"].surcharge == Decimal("720.00") and items["illegal_income"].surcharge == 0
    assert rules.amount_due(case, D(2026, 11, 27)) == Decimal("15720.00")
    with pytest.raises(ValidationError, match="超过没收违法所得尚欠的3,000.00 元"):
        services.record_payment(case, actor=world.officer_user, paid_on=D(2026, 11, 27), amount=Decimal("3500"),
                                bank="秦川市农商银行", bank_reference="NS1", purpose=choices.PAY_ILLEGAL_INCOME)
    services.record_payment(case, actor=world.officer_user, paid_on=D(2026, 11, 27), amount=Decimal("12720.00"),
                            bank="秦川市农商银行", bank_reference="NS2", purpose=choices.PAY_FINE)
    case.refresh_from_db()
    assert case.executed_on is None
    assert "没收违法所得尚未缴清：应缴3,000.00 元，已缴0.00 元。" in rules.check_executed(case)
    payment = services.record_payment(case, actor=world.officer_user, paid_on=D(2026, 11, 27), amount=Decimal("3000"),
                                      bank="秦川市农商银行", bank_reference="NS3")
    assert payment.income_part == Decimal("3000") and payment.fine_part == 0
    case.refresh_from_db()
    assert case.executed_on == D(2026, 11, 27) and rules.check_executed(case) is None
    first = case.payments.get(bank_reference="NS2")
    assert first.fine_part == Decimal("12000") and first.surcharge == Decimal("720.00")
    closing = build_context(case, "closing_report")["closing"]["result"]
    assert "罚款12,000.00元及加处罚款720.00元已于2026年11月27日缴清" in closing
    assert "没收违法所得3,000.00元已于2026年11月27日缴清" in closing


def test_one_payment_without_a_purpose_is_allocated_fine_first(decided_case, world):
    payment = services.record_payment(decided_case, actor=world.officer_user, paid_on=D(2026, 11, 10),
                                      amount=Decimal("13000"), bank="秦川市农商银行", bank_reference="NS9")
    assert (payment.fine_part, payment.surcharge, payment.income_part) == (Decimal("12000"), 0, Decimal("1000"))
    assert services.payment_summary(payment) == "罚款12,000.00 元、没收违法所得1,000.00 元"


def test_payment_through_the_api_and_the_case_page(decided_case, world, api_client, client):
    api_client.force_authenticate(world.officer_user)
    response = api_client.post(f"/api/cases/cases/{decided_case.pk}/payments/", {
        "paid_on": "2026-11-10", "amount": "3000.00", "bank": "秦川市农商银行", "bank_reference": "API1",
        "purpose": "illegal_income"}, format="json")
    assert response.status_code == 201 and response.json()["income_part"] == "3000.00"
    body = api_client.get(f"/api/cases/cases/{decided_case.pk}/").json()
    assert [p["text"] for p in body["penalties"]] == ["罚款人民币壹万贰仟元整（¥12,000.00）",
                                                     "没收违法所得人民币叁仟元整（¥3,000.00）"]
    client.force_login(world.officer_user)
    page = client.get(decided_case.get_absolute_url()).content.decode()
    assert "没收违法所得人民币叁仟元整（¥3,000.00）" in page and "登记缴款" in page
    response = client.post(f"/cases/{decided_case.pk}/payments/new/", {
        "paid_on": "2026-11-10", "amount": "12000", "bank": "秦川市农商银行", "bank_reference": "WEB1", "purpose": "fine"})
    assert response.status_code == 302
    decided_case.refresh_from_db()
    assert decided_case.executed_on == D(2026, 11, 10)


def test_confiscated_property_needs_its_list_and_is_stated(world, open_general):
    case = open_general()
    _investigate(world, case)
    with pytest.raises(ValidationError) as exc:
        services.set_discretion(case, actor=world.officer_user, level=cc.LIGHT,
                                penalty_kinds=[cc.FINE, cc.CONFISCATE_PROPERTY], fine_amount=8000)
    assert "逐项填写没收的财物" in str(exc.value.message_dict["confiscated_property"])
    with pytest.raises(ValidationError) as exc:
        services.set_discretion(case, actor=world.officer_user, level=cc.LIGHT, penalty_kinds=[cc.FINE],
                                fine_amount=8000, confiscation_amount=500)
    assert "请在处罚种类中选择“没收违法所得”" in str(exc.value.message_dict["confiscation_amount"])
    services.set_discretion(case, actor=world.officer_user, level=cc.LIGHT,
                            penalty_kinds=[cc.CONFISCATE_PROPERTY, cc.FINE, cc.SUSPEND_BUSINESS], fine_amount=8000,
                            confiscated_property="标签不合格饼干12袋\n包装机1台", penalty_period="十日",
                            deviation_reason="经负责人批准。")
    case.refresh_from_db()
    content = build_context(case, "advance_notice")["penalty"]["content"]
    assert content == ("一、罚款人民币捌仟元整（¥8,000.00）；\n二、没收非法财物：标签不合格饼干12袋、包装机1台；\n"
                       "三、责令停产停业十日。")


@pytest.mark.parametrize("call", ["statement", "inspection", "interview", "payment"])
def test_no_fact_of_a_past_act_may_be_dated_in_the_future(call, decided_case, world, open_general):
    tomorrow = D(2026, 11, 11)
    at = datetime.datetime(2026, 11, 11, 9, 0, tzinfo=datetime.UTC)
    with pytest.raises(ValidationError) as exc:
        if call == "payment":
            services.record_payment(decided_case, actor=world.officer_user, paid_on=tomorrow, amount=100, bank="银行",
                                    bank_reference="F1")
        elif call == "statement":
            case = open_general()
            _investigate(world, case)
            services.set_discretion(case, actor=world.officer_user, level=cc.LIGHT, penalty_kinds=[cc.FINE],
                                    fine_amount=8000)
            services.perform_transition(case, "propose", actor=world.officer_user)
            case = services.perform_transition(case, "notify", actor=world.officer_user)
            services.record_statement(case, actor=world.officer_user, point="明天才提出的意见", received_on=tomorrow)
        else:
            case = open_general()
            _investigate(world, case)
            if call == "inspection":
                services.record_inspection(case, actor=world.officer_user, time=at, place="店内", content="检查",
                                           findings="无")
            else:
                services.record_interview(case, actor=world.officer_user, interviewee="李四", time=at, place="店内",
                                          questions=[{"q": "问", "a": "答"}])
    assert "不能晚于" in str(exc.value)


def _render_all(case):
    codes = [code for code, _ in DOCUMENT_KINDS]
    return {code: docx_text(r.docx) for code, r in zip(codes, _render_docx_only(case, codes), strict=True)}


def _render_docx_only(case, codes):
    from zhifa.documents.services import _render_docx, resolve_template

    class Rendered:
        def __init__(self, docx):
            self.docx = docx

    return [Rendered(_render_docx(code, build_context(case, code, f"测试{code}"), resolve_template(code, case.agency))[0])
            for code in codes]


def _simple_case(world):
    case = services.open_case(actor=world.officer_user, agency=world.tree.market, item=world.item, party=world.person,
                              cause="当场处罚：经营标签不符合规定的食品", occurred_on=D(2026, 11, 2), place="人民路摊位",
                              facts="当事人销售标签不全的散装食品。", procedure=choices.SIMPLE, officers=[world.o1])
    services.set_discretion(case, actor=world.officer_user, level=cc.LIGHT, penalty_kinds=[cc.FINE], fine_amount=100,
                            deviation_reason="当场处罚，数额较小。")
    return services.perform_transition(case, "decide_on_spot", actor=world.officer_user,
                                       data={"certificate_shown": True, "party_heard": True})


def test_every_document_kind_renders_the_operative_sentences_for_several_cases(decided_case, world, open_general):
    """All fourteen kinds for a fine-and-confiscation case, a no-penalty case and an on-the-spot
    case: the operative sentences are there and nothing reads "涉嫌涉嫌", "…案的违法行为" or a code."""
    no_penalty = open_general(cause="经营标签不符合规定的食品案", source="complaint")
    _investigate(world, no_penalty)
    services.set_discretion(no_penalty, actor=world.officer_user, level=cc.MINOR, penalty_kinds=[],
                            outcome=choices.OUTCOME_NO_PENALTY, education_record="已对当事人进行教育。",
                            reasoning="当事人初次违法且危害后果轻微并及时改正")
    no_penalty.refresh_from_db()
    simple = _simple_case(world)
    texts = {"decided": _render_all(decided_case), "no_penalty": _render_all(no_penalty), "simple": _render_all(simple)}
    for name, by_code in texts.items():
        for code, text in by_code.items():
            assert "涉嫌涉嫌" not in text and "案的违法行为" not in text and "案一案" not in text, (name, code)
            assert not re.search(r"(?<![A-Za-z])(general|simple|inspection|complaint|penalty|no_penalty|light|minor)"
                                 r"(?![A-Za-z_])", text), (name, code)
    decided = texts["decided"]
    assert FINE_LINE in decided["hearing_notice"] and INCOME_LINE in decided["closing_report"]
    assert "本局在办理你（单位）涉嫌经营标签不符合规定的食品一案中" in decided["hearing_notice"]
    assert "发现日期\n2026年11月2日" in decided["filing_approval"] and "违法行为发生日期\n2026年10月20日" in decided["filing_approval"]
    assert "《行政处罚决定书》" in decided["service_receipt"]
    assert "12袋饼干无生产日期" in decided["site_inspection_record"]
    assert "饼干从哪里进的货？" in decided["interview_record"]
    assert "信用修复" in decided["credit_repair_notice"]
    np_text = texts["no_penalty"]["no_penalty_decision"]
    assert "2026年11月10日，本局接到投诉举报，反映当事人涉嫌经营标签不符合规定的食品。" in np_text
    assert "本局决定对当事人不予行政处罚。" in np_text and "罚款人民币" not in np_text
    spot = texts["simple"]["on_the_spot_decision"]
    assert "当场对当事人作出如下行政处罚：\n一、罚款人民币壹佰元整（¥100.00）。" in spot
    assert "执法人员当场出示了执法证件" in spot and "简易程序。" not in spot


def test_the_stored_decision_pdf_states_both_penalties(decided_case):
    """The PDF LibreOffice made from the decision carries the same sentences (pdftotext)."""
    document = decided_case.documents.get(code="penalty_decision")
    with open_stored(document.pdf) as handle:
        pdf = handle.read()
    text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    flat = re.sub(r"\s+", "", text)
    assert "罚款人民币壹万贰仟元整（¥12,000.00）" in flat and "没收违法所得人民币叁仟元整（¥3,000.00）" in flat
    assert "本局决定对当事人作出如下行政处罚" in flat


class _VisibleText(HTMLParser):
    """The text a user sees: text nodes outside script and style."""

    def __init__(self):
        super().__init__()
        self.parts, self._skip = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._skip += 1

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _VisibleText()
    parser.feed(html)
    return " ".join(parser.parts)


def _codes() -> set[str]:
    """Every stored choice code of cases and the catalog (shown only through its label)."""
    from zhifa.review import choices as review_choices

    codes = set()
    for module in (choices, cc, review_choices):
        for value in vars(module).values():
            if isinstance(value, list) and value and isinstance(value[0], tuple) and len(value[0]) == 2:
                codes.update(k for k, _ in value if isinstance(k, str) and re.fullmatch(r"[a-z_]+", k))
    return codes


def test_staff_pages_of_a_case_show_no_untranslated_code(decided_case, world, client):
    """The case page, its action pages, the case file and the review page show labels, never a
    stored code ("ordinary", "no_penalty", "on_the_spot" …) or another snake_case word."""
    codes = _codes()
    assert {"ordinary", "inspection", "no_penalty"} <= codes
    from zhifa.accounts.models import User

    usernames = set(User.objects.values_list("username", flat=True))
    client.force_login(world.officer_user)
    pk = decided_case.pk
    urls = [decided_case.get_absolute_url(), f"/cases/{pk}/payments/new/", f"/cases/{pk}/case-file/",
            "/cases/", "/cases/workbench/", "/cases/procedures/general/", "/cases/procedures/simple/"]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        text = visible_text(response.content.decode())
        words = set(re.findall(r"(?<![A-Za-z0-9_./:-])[a-z]+(?:_[a-z]+)*(?![A-Za-z0-9_])", text))
        words -= usernames  # test users without a display name show their log-in name
        leaked = (words & codes) | {w for w in words if "_" in w}
        assert not leaked, f"{url} 显示了未翻译的代码：{sorted(leaked)}"


def test_other_kinds_are_executed_by_their_own_act_recorded_once(world, open_general, fixed_today, api_client,
                                                                  client):
    """Confiscated property is executed by its own act: recorded (refused in the future), then
    stated in the closing report beside the paid fine."""
    case = open_general()
    _investigate(world, case)
    services.set_discretion(case, actor=world.officer_user, level=cc.LIGHT, penalty_kinds=[cc.FINE, cc.CONFISCATE_PROPERTY],
                            fine_amount=8000, confiscated_property="标签不合格饼干12袋", deviation_reason="经负责人批准。")
    services.perform_transition(case, "propose", actor=world.officer_user)
    case = services.perform_transition(case, "notify", actor=world.officer_user)
    services.waive_rights(case, actor=world.officer_user, note="当事人书面放弃。")
    fixed_today(D(2026, 11, 10))
    services.perform_transition(case, "decide", actor=world.head)
    case = services.perform_transition(case, "serve", actor=world.officer_user, data={
        "served_on": D(2026, 11, 10), "service_method": "direct", "service_recipient": "李四"})
    assert "尚未登记没收非法财物的执行情况" in rules.check_executed(case)
    with pytest.raises(ValidationError, match="不能晚于今天"):
        services.record_other_execution(case, actor=world.officer_user, executed_on=D(2026, 11, 11), text="已销毁")
    api_client.force_authenticate(world.officer_user)
    response = api_client.post(f"/api/cases/cases/{case.pk}/other-execution/",
                               {"executed_on": "2026-11-10", "text": "没收的饼干已于当日无害化处理。"}, format="json")
    assert response.status_code == 200 and response.json()["other_executed_on"] == "2026-11-10"
    client.force_login(world.officer_user)
    form = client.get(f"/cases/{case.pk}/other-execution/")
    assert form.status_code == 200 and "执行情况" in form.content.decode()
    response = client.post(f"/cases/{case.pk}/other-execution/", {"executed_on": "2026-11-10",
                                                                  "text": "没收的饼干已于当日无害化处理。"})
    assert response.status_code == 302
    assert "没收的饼干已于当日无害化处理" in client.get(case.get_absolute_url()).content.decode()
    services.record_payment(case, actor=world.officer_user, paid_on=D(2026, 11, 10), amount=8000, bank="银行",
                            bank_reference="OX1")
    case.refresh_from_db()
    assert case.executed_on == D(2026, 11, 10) and rules.check_executed(case) is None
    result = build_context(case, "closing_report")["closing"]["result"]
    assert result == ("罚款8,000.00元已于2026年11月10日缴清；没收非法财物：没收的饼干已于当日无害化处理"
                      "（2026年11月10日）。")
