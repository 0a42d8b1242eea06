"""The complaint list's Excel export: every row the filters keep, with no identity; a long list
is built by a worker with the same filters and downloaded by the person who asked only."""

import io

import pytest
from openpyxl import load_workbook

from zhifa.core.models import DataExport
from zhifa.supervision.complaints import services

pytestmark = pytest.mark.django_db


def _numbers(content: bytes) -> list[str]:
    sheet = load_workbook(io.BytesIO(content), read_only=True)["投诉举报"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:2] == ("编号", "类别")
    return [row[0] for row in rows[1:]]


@pytest.fixture
def complaints(cw):
    """Three complaints of county A's market bureau (two by letter, one by phone) and one of
    county B's."""
    made = []
    for source, subject in (("letter", "超市销售过期食品"), ("letter", "药店无证经营"), ("phone", "餐馆卫生差")):
        c, _ = services.receive(source=source, region=cw.tree.county, agency=cw.tree.market, subject=subject,
                                content=f"{subject}。", complainant={"name": "李四", "phone": "13900001111"})
        made.append(c)
    other, _ = services.receive(source="letter", region=cw.tree.other_county, agency=cw.tree.other_market,
                                subject="外县投诉", content="外县投诉。", complainant={"name": "王五", "phone": "13900002222"})
    return made, other


def test_the_export_holds_every_row_the_filters_keep(cw, complaints, client, settings):
    settings.ZHIFA_EXPORT_INLINE_ROWS = 10
    made, other = complaints
    client.force_login(cw.supervisor)
    response = client.get("/supervision/complaints/export.xlsx", {"source": "letter"})
    assert response.status_code == 200
    assert sorted(_numbers(response.content)) == sorted(c.number for c in made[:2])
    assert other.number not in _numbers(client.get("/supervision/complaints/export.xlsx").content)


def test_a_long_export_is_built_by_a_worker_with_the_same_filters(
        cw, complaints, client, settings, django_capture_on_commit_callbacks):
    settings.ZHIFA_EXPORT_INLINE_ROWS = 1
    made, _other = complaints
    client.force_login(cw.supervisor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get("/supervision/complaints/export.xlsx", {"source": "letter", "page": "2"})
    assert response.status_code == 302 and response["Location"] == "/data/exports/"
    export = DataExport.objects.get()
    assert (export.key, export.title, export.params, export.status, export.rows) == (
        "complaints", "投诉举报", "source=letter", DataExport.DONE, 2)
    download = client.get(f"/data/exports/{export.pk}/download/")
    assert sorted(_numbers(b"".join(download.streaming_content))) == sorted(c.number for c in made[:2])
    text = "".join(str(v) for v in load_workbook(io.BytesIO(b"".join(
        client.get(f"/data/exports/{export.pk}/download/").streaming_content)))["投诉举报"].values)
    assert "李四" not in text and "13900001111" not in text

    client.force_login(cw.market_officer)  # the bureau's own officer, not the person who asked
    assert client.get(f"/data/exports/{export.pk}/download/").status_code == 404
