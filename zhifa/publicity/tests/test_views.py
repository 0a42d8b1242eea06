"""Publicity pages and API: the reviewer's flow in the browser-free client, the public pages
and the open-data API (masked, scoped, searchable, CSV)."""

import csv
import datetime
import io

import pytest
from django.urls import reverse

from zhifa.publicity import choices, services
from zhifa.publicity.models import Publication

D = datetime.date

pytestmark = pytest.mark.django_db


def test_reviewer_checks_the_masking_and_releases_from_the_web(client, register, reviewer):
    publication = register()
    client.force_login(reviewer)
    page = client.get(publication.get_absolute_url()).content.decode()
    assert "11010519491231002X" in page  # the original, for the agency's own reviewer
    assert "张*" in page and "已遮蔽的内容" in page
    response = client.post(reverse("publicity:redact", args=[publication.pk]), {"redactions": "超过保质期"})
    assert response.status_code == 302
    response = client.post(reverse("publicity:release", args=[publication.pk]), {})
    assert response.status_code == 200 and "has-error" in response.content.decode()
    response = client.post(reverse("publicity:release", args=[publication.pk]), {"confirmed": "on"})
    assert response.status_code == 302
    publication.refresh_from_db()
    assert publication.status == choices.PUBLISHED and "超过保质期" not in publication.public_facts


def test_officer_cannot_release_and_other_county_cannot_see(client, register, world, head_b):
    publication = register()
    client.force_login(world.officer_user)
    assert client.get(reverse("publicity:release", args=[publication.pk])).status_code == 403
    client.force_login(head_b)
    assert client.get(publication.get_absolute_url()).status_code == 404
    assert client.post(reverse("publicity:release", args=[publication.pk]), {"confirmed": "on"}).status_code == 404
    assert publication.decision_number not in client.get(reverse("publicity:queue")).content.decode()


def test_register_other_decision_from_the_web_reports_errors_in_chinese(client, world):
    client.force_login(world.officer_user)
    response = client.post(reverse("publicity:register"), {"agency": world.tree.market.pk, "kind": "license"})
    assert response.status_code == 200 and "has-error" in response.content.decode()
    assert not Publication.objects.exists()
    response = client.post(reverse("publicity:register"), {
        "agency": world.tree.market.pk, "kind": "license", "decision_number": "云市监许〔2026〕9号",
        "title": "食品经营许可", "decided_on": "2026-10-30", "party": world.company.pk, "result": "准予许可。",
    })
    assert response.status_code == 302
    publication = Publication.objects.get()
    assert publication.due_on == D(2026, 11, 10) and publication.kind == "license"


def _party_options(html):
    select = html[html.index('<select name="party"'):]
    return [part.split('"', 1)[0] for part in select[:select.index("</select>")].split('<option value="')[1:]]


def test_register_page_writes_the_latest_parties_and_accepts_any_in_reach(client, world):
    """The party ``<select>`` writes the 30 parties entered last (and the chosen one), not every
    party in reach; it names the party API its search box asks. Any party in reach is accepted,
    one outside it is refused."""
    from zhifa.core.widgets import SearchSelect
    from zhifa.parties.models import Party

    oldest = Party.objects.create(kind=Party.LEGAL, name="最早登记商贸有限公司", credit_code="91530000MA00000019",
                                  region=world.tree.county, agency=world.tree.market)
    for n in range(SearchSelect.limit + 2):
        Party.objects.create(kind=Party.NATURAL, name=f"个体户{n}", region=world.tree.county, agency=world.tree.market)
    elsewhere = Party.objects.create(kind=Party.LEGAL, name="青石县远航贸易有限公司", credit_code="91440500MA4W1Q2X3B",
                                     region=world.tree.other_county, agency=world.tree.other_market)
    client.force_login(world.officer_user)
    html = client.get(reverse("publicity:register")).content.decode()
    options = _party_options(html)
    assert len(options) == SearchSelect.limit + 1 and options[0] == ""  # the blank, then 30 parties
    assert str(oldest.pk) not in options and 'data-search-url="/api/parties/parties/"' in html
    assert "zhifa/search-select" in html

    data = {"agency": world.tree.market.pk, "kind": "license", "decision_number": "云市监许〔2026〕19号",
            "title": "食品经营许可", "decided_on": "2026-10-30", "result": "准予许可。"}
    refused = client.post(reverse("publicity:register"), {**data, "party": elsewhere.pk})
    assert refused.status_code == 200 and "has-error" in refused.content.decode()
    assert str(elsewhere.pk) not in _party_options(refused.content.decode())
    assert client.post(reverse("publicity:register"), {**data, "party": oldest.pk}).status_code == 302
    assert Publication.objects.get().party == oldest


def test_public_pages_show_released_decisions_only_and_masked(client, register, reviewer, world):
    pending = register(decision_number="云市监罚〔2026〕102号")
    released = services.release(register(), actor=reviewer)
    listing = client.get(reverse("publicity:public_list")).content.decode()
    assert released.decision_number in listing and pending.decision_number not in listing
    assert client.get(pending.get_public_url()).status_code == 404
    page = client.get(released.get_public_url()).content.decode()
    for secret in ("11010519491231002X", "13812345678", "张三", "云岭县人民路2号"):
        assert secret not in page
    assert "张*" in page and "罚款人民币5,000.00元" in page


def test_withdrawn_decision_shows_the_notice_not_the_content(client, register, reviewer):
    publication = services.release(register(), actor=reviewer)
    action = services.register_action(publication, actor=reviewer, cause="revoked", action="withdraw",
                                      occurred_on=D(2026, 11, 2), basis="云政复决字〔2026〕15号")
    services.apply_action(action, actor=reviewer)
    page = client.get(publication.get_public_url()).content.decode()
    assert "撤回" in page and "云政复决字〔2026〕15号" in page and "销售超过保质期的食品" not in page
    assert publication.decision_number not in client.get(reverse("publicity:public_list")).content.decode()


def test_public_search_with_filters(client, register, reviewer, world):
    services.release(register(title="经营超过保质期的食品案"), actor=reviewer)
    services.release(register(decision_number="云市监罚〔2026〕103号", title="未取得许可从事食品生产案",
                              facts="当事人未取得食品生产许可从事食品生产。", result="罚款人民币60,000.00元。",
                              party=world.company), actor=reviewer)
    Publication.objects.filter(decision_number="云市监罚〔2026〕103号").update(fine_amount=60000)
    found = client.get(reverse("publicity:public_list"), {"q": "保质期"}).content.decode()
    assert "经营超过保质期的食品案" in found and "未取得许可从事食品生产案" not in found
    found = client.get(reverse("publicity:public_list"), {"min_amount": "10000"}).content.decode()
    assert "未取得许可从事食品生产案" in found and "经营超过保质期的食品案" not in found
    bad = client.get(reverse("publicity:public_list"), {"since": "2026-12-01", "until": "2026-01-01"})
    assert "截止日期不能早于起始日期" in bad.content.decode()


def test_open_data_json_and_csv_are_masked(client, register, reviewer):
    publication = services.release(register(), actor=reviewer)
    register(decision_number="云市监罚〔2026〕104号")  # pending: not in open data
    data = client.get("/api/public/publications/").json()
    assert data["count"] == 1 and data["results"][0]["decision_number"] == publication.decision_number
    row = data["results"][0]
    assert row["party"] == "张*" and "11010519491231002X" not in str(data)
    assert "party_name" not in row and "facts" in row and "masking_report" not in row
    response = client.get("/api/public/publications/", {"format": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0][:3] == ["ID", "决定类别", "决定书文号"] and len(rows) == 2
    assert "13812345678" not in str(rows)
    assert client.get(f"/api/public/publications/{publication.pk}/").json()["party"] == "张*"
    assert client.post("/api/public/publications/", {}).status_code in (403, 405)


def test_internal_api_release_flow_and_scoping(api_client, register, reviewer, world, head_b):
    publication = register()
    api_client.force_authenticate(world.officer_user)
    response = api_client.post(f"/api/publicity/publications/{publication.pk}/release/")
    assert response.status_code == 403 and response.json()["error"]["status"] == 403
    api_client.force_authenticate(head_b)
    assert api_client.get(f"/api/publicity/publications/{publication.pk}/").status_code == 404
    assert api_client.post(f"/api/publicity/publications/{publication.pk}/release/").status_code == 404
    api_client.force_authenticate(reviewer)
    response = api_client.post(f"/api/publicity/publications/{publication.pk}/decline/", {"ground": "x"}, format="json")
    assert response.status_code == 400 and "ground" in response.json()["error"]["fields"]
    response = api_client.post(f"/api/publicity/publications/{publication.pk}/release/")
    assert response.status_code == 200 and response.json()["status"] == "published"
    response = api_client.post(f"/api/publicity/publications/{publication.pk}/actions/", {
        "cause": "revoked", "action": "withdraw", "occurred_on": "2026-11-02"}, format="json")
    assert response.status_code == 201
    response = api_client.post(f"/api/publicity/publications/actions/{response.json()['id']}/apply/")
    assert response.status_code == 200 and response.json()["status"] == "withdrawn"


def test_remedy_recorded_on_the_case_page_opens_the_withdrawal(client, world, reviewer, fixed_today):
    from zhifa.publicity.tests.test_services import _on_spot_penalty

    case = _on_spot_penalty(world)
    services.release(case.publication, actor=reviewer)
    client.force_login(world.officer_user)
    page = client.get(case.get_absolute_url()).content.decode()
    assert "登记复议或诉讼" in page and "已公示" in page
    response = client.post(reverse("cases:remedy_add", args=[case.pk]), {
        "kind": "reconsideration", "body": "云岭县人民政府", "filed_on": "2026-11-02"})
    assert response.status_code == 302
    remedy = case.remedies.get()
    response = client.post(reverse("cases:remedy_result", args=[case.pk, remedy.pk]), {
        "result": "revoked", "decided_on": "2026-11-02", "result_number": "云政复决字〔2026〕21号"})
    assert response.status_code == 302
    action = case.publication.actions.get()
    assert action.action == "withdraw" and action.due_on == D(2026, 11, 5)
    client.force_login(world.users.officer_b)
    assert client.get(reverse("cases:remedy_add", args=[case.pk])).status_code in (403, 404)


def test_a_search_that_fills_the_ranked_window_says_so_on_its_last_page(client, register, reviewer, monkeypatch):
    from django.core.cache import cache

    from zhifa.publicity import search

    for number in range(3):
        services.release(register(decision_number=f"云市监罚〔2026〕{110 + number}号"), actor=reviewer)
    url = reverse("publicity:public_list")
    monkeypatch.setattr(search, "SEARCH_WINDOW", 2)  # three matches, two listed
    full = client.get(url, {"q": "食品"})
    assert len(full.context["page"]["rows"]) == 2 and not full.context["page"]["has_next"]
    assert "已列出最新的 2 条匹配结果" in full.content.decode()
    cache.clear()  # the portal caches its pages
    monkeypatch.setattr(search, "SEARCH_WINDOW", 5)  # all three listed: nothing left out
    assert "已列出最新的" not in client.get(url, {"q": "食品"}).content.decode()
    # Without a query the list is not windowed: no notice.
    monkeypatch.setattr(search, "SEARCH_WINDOW", 2)
    assert "已列出最新的" not in client.get(url).content.decode()
