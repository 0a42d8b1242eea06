"""On-the-spot decisions captured offline on pre-numbered forms (预编号当场处罚决定书, issue #15
item 7), and the party's one-time download link (送达链接, item 9)."""

import datetime
import hashlib
import io
import uuid

import pytest

from zhifa.cases.models import Case, CaseDocument, Evidence
from zhifa.catalog import choices as cc
from zhifa.core import clock
from zhifa.mobile import links, numbers
from zhifa.mobile.models import Capture, DocumentLink, ReservedNumber
from zhifa.records.models import AccessLog, Event

from .conftest import photo_bytes

pytestmark = pytest.mark.django_db

ON_SITE = datetime.datetime(2026, 10, 30, 2, 15, tzinfo=datetime.UTC)  # 10:15 Beijing time, three days before "today"


def _put(api_client, key, body):
    return api_client.put(f"/api/mobile/captures/{key}/", body, format="json")


def _spot(world, number, **data):
    content = {"reserved_number": number.pk, "item": world.item.pk, "party": world.person.pk,
               "place": "人民路与东风街交叉口", "facts": "设摊经营未公示信息卡。", "level": cc.LIGHT, "penalty": "fine",
               "fine_amount": "100", "deviation_reason": "当场处罚限额以内（处罚法第五十一条）。",
               "certificate_shown": True, "party_heard": True, "signature": "refused"}
    content.update(data)
    return {"kind": "spot_decision", "captured_at": ON_SITE.isoformat(), "latitude": 34.2583331, "longitude": 108.9286671,
            "data": content}


def test_reserved_numbers_never_collide_with_online_numbering(world):
    """Reserved numbers come from the agency's own on-the-spot series: an online decision made
    after a reservation takes the next number, and a second block follows it."""
    from zhifa.cases import services as cases

    block = numbers.reserve(actor=world.officer_user, count=3, device_label="李明的执法手机")
    assert [n.number for n in block] == [f"云岭县市场监管局当罚〔2026〕{i}号" for i in (1, 2, 3)]
    online = cases.decide_on_the_spot(
        actor=world.officer_user, item=world.item, party=world.person, place="人民路", facts="设摊经营未公示信息卡。",
        level=cc.LIGHT, penalty_kinds=[cc.FINE], fine_amount=100, deviation_reason="当场处罚限额以内。",
        certificate_shown=True, party_heard=True)
    assert online.decision_number == "云岭县市场监管局当罚〔2026〕4号"
    assert numbers.reserve(actor=world.officer_user, count=1)[0].number == "云岭县市场监管局当罚〔2026〕5号"
    with pytest.raises(Exception, match="每次领用1至20个编号"):
        numbers.reserve(actor=world.officer_user, count=21)


def test_an_offline_decision_synced_twice_is_one_case_with_the_reserved_number(api_client, world):
    """The decision captured offline becomes one case however often it is sent; it carries the
    reserved number, the day on site (not the sync day), and a 备案 event with the device time
    and position; the number is used; another capture with the same number is refused."""
    number = numbers.reserve(actor=world.officer_user, count=2)[0]
    api_client.force_authenticate(world.officer_user)
    key = uuid.uuid4()
    first = _put(api_client, key, _spot(world, number))
    assert first.status_code == 201, first.content
    assert first.json()["state"] == "accepted" and first.json()["result"]["decision_number"] == number.number
    again = _put(api_client, key, _spot(world, number))
    assert again.status_code == 200 and again.json() == {**first.json()}
    case = Case.objects.get()
    assert case.decision_number == number.number and case.procedure == "simple" and case.stage == "execution"
    assert case.decided_on == datetime.date(2026, 10, 30) and case.occurred_on == datetime.date(2026, 10, 30)
    assert case.service_recipient.startswith("张三（拒绝签名")
    number.refresh_from_db()
    assert number.state == "used" and number.case == case
    filed = Event.objects.get(stream__key=case.stream_key, kind="spot_decision_filed")
    assert filed.payload["offline"] is True and filed.payload["captured_at"] == ON_SITE.isoformat()
    assert filed.payload["latitude"] == "34.258333" and "备案" in filed.summary
    assert Event.objects.filter(stream__key=case.stream_key, kind="party_refused_to_sign").exists()
    assert case.documents.filter(code="on_the_spot_decision").exists()

    reused = _put(api_client, uuid.uuid4(), _spot(world, number))
    assert reused.json()["state"] == "conflict" and "不能再次使用" in reused.json()["conflict_reason"]
    assert Case.objects.count() == 1


def test_an_amount_over_the_article_51_limit_is_a_conflict_not_a_case(api_client, client, world):
    """¥300 to a citizen is over the ¥200 limit: no case, the capture kept as a conflict with the
    reason, the number reserved but flagged (not offered again) until voided — here by
    discarding the capture with a reason."""
    number = numbers.reserve(actor=world.officer_user, count=2)[0]
    api_client.force_authenticate(world.officer_user)
    key = uuid.uuid4()
    refused = _put(api_client, key, _spot(world, number, fine_amount="300")).json()
    assert refused["state"] == "conflict" and "不得超过" in refused["conflict_reason"]
    assert not Case.objects.exists()
    number.refresh_from_db()
    assert number.state == "reserved" and "不得超过" in number.flag
    bundle = api_client.get("/api/mobile/bundle/").json()["spot"]
    assert [n["id"] for n in bundle["numbers"]] == [number.pk + 1]
    client.force_login(world.officer_user)
    assert "当场处罚决定" in client.get("/m/conflicts/").content.decode()
    attach = api_client.post(f"/api/mobile/captures/{key}/resolve/", {"action": "attach_with_note", "note": "补录"},
                             format="json")
    assert attach.status_code == 400 and "没有可补录的案件记录" in attach.json()["error"]["fields"]["action"][0]
    done = api_client.post(f"/api/mobile/captures/{key}/resolve/", {"action": "discard", "note": "罚款超出当场处罚限额，改按一般程序办理"},
                           format="json")
    assert done.status_code == 200 and done.json()["state"] == "discarded"
    number.refresh_from_db()
    assert number.state == "voided" and "一般程序" in number.reason


def test_a_signed_decision_attaches_the_signature_and_registers_a_new_party(api_client, world):
    """A party registered at the scene (name, ID type and number) and the signature drawn on the
    phone: the case has the new party and the signature as 电子数据 evidence."""
    number = numbers.reserve(actor=world.officer_user, count=1)[0]
    api_client.force_authenticate(world.officer_user)
    png = photo_bytes(2000)
    body = _spot(world, number, party=None, party_name="王小明", party_kind="natural", party_id_type="resident_id",
                 party_id_number="610113199003071237", signature="signed")
    body["file"] = {"name": "签名.png", "size": len(png), "sha256": hashlib.sha256(png).hexdigest(),
                    "content_type": "image/png"}
    key = uuid.uuid4()
    upload = _put(api_client, key, body).json()["upload"]
    api_client.generic("PATCH", upload["url"], png, content_type="application/offset+octet-stream",
                       HTTP_UPLOAD_OFFSET="0")
    done = _put(api_client, key, {}).json()
    assert done["state"] == "accepted", done["conflict_reason"]
    case = Case.objects.get()
    assert case.party.name == "王小明" and case.party.agency == world.tree.market
    assert Evidence.objects.get(case=case).title == "当事人签名：王小明"


def test_void_and_return_keep_the_numbers_listed(api_client, client, world, users):
    """Voiding needs a reason; returning a block returns its unused numbers; both stay listed;
    the agency head sees the agency's numbers, another county's officer sees none and can
    neither void nor use them."""
    block = numbers.reserve(actor=world.officer_user, count=3, device_label="手机一")
    api_client.force_authenticate(world.officer_user)
    refused = api_client.post(f"/api/mobile/numbers/{block[0].pk}/void/", {"reason": ""}, format="json")
    assert refused.status_code == 400
    voided = api_client.post(f"/api/mobile/numbers/{block[0].pk}/void/", {"reason": "填写错误，撕毁"}, format="json")
    assert voided.json()["state"] == "voided" and voided.json()["reason"] == "填写错误，撕毁"
    returned = api_client.post(f"/api/mobile/numbers/{block[1].pk}/return/", format="json")
    assert returned.json() == {"returned": 2}
    assert ReservedNumber.objects.filter(state="returned").count() == 2

    api_client.force_authenticate(world.head)
    assert len(api_client.get("/api/mobile/numbers/").json()["results"]) == 3
    client.force_login(world.head)
    page = client.get("/m/numbers/").content.decode()
    assert "填写错误，撕毁" in page and "已退回" in page

    fresh = numbers.reserve(actor=world.officer_user, count=1)[0]
    api_client.force_authenticate(users.officer_b)
    assert api_client.get("/api/mobile/numbers/").json()["results"] == []
    assert api_client.post(f"/api/mobile/numbers/{fresh.pk}/void/", {"reason": "x"}, format="json").status_code == 404
    stolen = _put(api_client, uuid.uuid4(), _spot(world, fresh))
    assert stolen.status_code == 400 and not Capture.objects.exists()
    fresh.refresh_from_db()
    assert fresh.state == "reserved"


def test_the_numbers_page_stays_flat(client, world, django_assert_max_num_queries):
    """The list page runs a fixed number of queries whatever the number of reserved numbers."""
    numbers.reserve(actor=world.officer_user, count=20)
    client.force_login(world.officer_user)
    with django_assert_max_num_queries(25):
        page = client.get("/m/numbers/")
    assert page.content.decode().count("/void/") == 20


# --- the party's one-time link --------------------------------------------------------------------


@pytest.fixture
def decision(world, open_general):
    from zhifa.records.services import store_file

    case = open_general()
    pdf = store_file(io.BytesIO(b"%PDF-1.4\n" + b"1" * 700), "当场处罚决定书.pdf", "application/pdf")
    return CaseDocument.objects.create(case=case, code="on_the_spot_decision", title="当场行政处罚决定书",
                                       docx=pdf, pdf=pdf, generated_by=world.officer_user)


def _make_link(api_client, document):
    made = api_client.post("/api/mobile/links/", {"document": document.pk}, format="json")
    assert made.status_code == 201, made.content
    body = made.json()
    assert body["qr"].startswith("data:image/png;base64,") and "/public/d/" in body["url"]
    return body


def test_a_link_gives_the_pdf_three_times_then_410(api_client, client, world, decision):
    """The party opens the link without signing in: the PDF three times, each logged as a record
    access; the fourth time a Chinese page with status 410. Only the token's hash is stored."""
    api_client.force_authenticate(world.officer_user)
    body = _make_link(api_client, decision)
    path = body["url"].split("testserver", 1)[1]
    token = path.rstrip("/").rsplit("/", 1)[1]
    link = DocumentLink.objects.get()
    assert link.token_hash == hashlib.sha256(token.encode()).hexdigest() and token not in str(link.__dict__)
    client.logout()
    for _ in range(3):
        response = client.get(path)
        assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")
        assert "no-store" in response["Cache-Control"]
    assert AccessLog.objects.filter(stream_key=decision.case.stream_key, action="download", user=None).count() == 3
    gone = client.get(path)
    assert gone.status_code == 410 and "链接已用完" in gone.content.decode()
    assert client.get("/public/d/not-a-token/").status_code == 410


def test_a_link_expires_after_72_hours_and_can_be_revoked(api_client, client, world, decision, fixed_today):
    api_client.force_authenticate(world.officer_user)
    path = _make_link(api_client, decision)["url"].split("testserver", 1)[1]
    second = _make_link(api_client, decision)
    client.logout()
    assert client.get(path).status_code == 200
    fixed_today(clock.today() + datetime.timedelta(days=3))
    expired = client.get(path)
    assert expired.status_code == 410 and "链接已过期" in expired.content.decode()
    fixed_today(clock.today() - datetime.timedelta(days=3))
    revoked = api_client.post(f"/api/mobile/links/{second['id']}/revoke/", format="json")
    assert revoked.json()["state_name"] == "已撤销"
    gone = client.get(second["url"].split("testserver", 1)[1])
    assert gone.status_code == 410 and "链接已撤销" in gone.content.decode()


def test_another_countys_officer_cannot_link_the_decision(api_client, client, world, decision, users):
    """Only staff who can change the case make a link: another county's officer gets a refusal
    in the API and a 404 page on the web; nor can they revoke one."""
    api_client.force_authenticate(users.officer_b)
    refused = api_client.post("/api/mobile/links/", {"document": decision.pk}, format="json")
    assert refused.status_code == 403 and not DocumentLink.objects.exists()
    client.force_login(users.officer_b)
    assert client.post(f"/m/links/document/{decision.pk}/").status_code == 404
    link, _ = links.create(decision, actor=world.officer_user)
    assert api_client.post(f"/api/mobile/links/{link.pk}/revoke/", format="json").status_code == 404
    client.force_login(world.officer_user)
    page = client.post(f"/m/links/document/{decision.pk}/").content.decode()
    assert "data:image/png;base64," in page and "/public/d/" in page and "72小时" in page


def test_the_web_pages_void_and_return_numbers_in_scope_only(client, world, users):
    """The web forms (作废 / 退回) act through the same services, only on numbers in scope."""
    block = numbers.reserve(actor=world.officer_user, count=3, device_label="手机一")
    client.force_login(users.officer_b)
    assert client.get(f"/m/numbers/{block[0].pk}/void/").status_code == 404
    assert client.post(f"/m/numbers/{block[1].pk}/return/").status_code == 404
    client.force_login(world.officer_user)
    assert "作废预编号：" + block[0].number in client.get(f"/m/numbers/{block[0].pk}/void/").content.decode()
    answer = client.post(f"/m/numbers/{block[0].pk}/void/", {"reason": "填写错误"})
    assert answer.status_code == 302 and answer["Location"] == "/m/numbers/"
    assert client.post(f"/m/numbers/{block[1].pk}/return/").status_code == 302
    states = dict(ReservedNumber.objects.values_list("pk", "state"))
    assert states == {block[0].pk: "voided", block[1].pk: "returned", block[2].pk: "returned"}
