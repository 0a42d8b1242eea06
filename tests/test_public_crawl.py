"""Crawl every public page and open-data response of the demo data set and prove that no
identity number, personal phone number or private name leaks (PUB-1…5).

The demo is loaded as ``make demo`` loads it (documents are rendered, only the PDF
conversion is replaced by a blank page to keep the test fast: conversion is tested in the
documents app). The crawler starts at /public/ and the open-data schema, follows every link
under /public/ and /api/public/, visits each list's detail records and CSV downloads, and
checks each body.
"""

import io
import json
import re
from collections import deque
from urllib.parse import urljoin, urlparse

import pytest
from django.core.cache import cache
from pypdf import PdfWriter

from zhifa.core.demo import load_demo
from zhifa.core.validators import id_number_check_char
from zhifa.parties.models import Party
from zhifa.people.models import Officer

MAX_PAGES = 3000
LINK = re.compile(r"""(?:href|src|action)=["']([^"'#]+)""")
ID_CANDIDATE = re.compile(r"(?<![0-9A-Za-z])(\d{17}[\dXx])(?![0-9A-Za-z])")
MOBILE = re.compile(r"(?<![0-9A-Za-z])1[3-9]\d{9}(?![0-9A-Za-z])")  # not a digit run inside a hex hash or seed


def _blank_pdfs(docx_files, **kwargs):
    pdfs = []
    for _ in docx_files:
        writer = PdfWriter()
        writer.add_blank_page(width=595, height=842)
        buffer = io.BytesIO()
        writer.write(buffer)
        pdfs.append(buffer.getvalue())
    return pdfs


def _is_identity_number(text: str) -> bool:
    text = text.upper()
    return id_number_check_char(text[:17]) == text[17]


def _urls_from_json(data, found):
    if isinstance(data, dict):
        for key, value in data.items():
            if isinstance(value, str) and key in ("url", "next", "previous", "verify_url", "public_url", "qr_url"):
                found.add(value)
            else:
                _urls_from_json(value, found)
    elif isinstance(data, list):
        for value in data:
            _urls_from_json(value, found)


def _public(path: str) -> bool:
    return path.startswith(("/public/", "/api/public/"))


@pytest.fixture
def demo(db, monkeypatch, settings):
    from zhifa.documents import conversion, services

    monkeypatch.setattr(conversion, "convert_many", _blank_pdfs)
    monkeypatch.setattr(services, "convert_many", _blank_pdfs)
    settings.ZHIFA_PUBLIC_RATE_LIMIT = "0/60"
    cache.clear()
    return load_demo()


def test_no_personal_data_on_any_public_page_or_open_data_response(client, demo):
    officer_names = set(Officer.objects.values_list("name", flat=True))
    private_names = {
        p.name for p in Party.objects.filter(kind=Party.NATURAL) if p.name not in officer_names and len(p.name) >= 2
    } | {
        p.legal_representative for p in Party.objects.filter(kind=Party.INDIVIDUAL_BUSINESS)
        if p.legal_representative and p.legal_representative not in officer_names
    }
    private_values = {v for v in Party.objects.exclude(kind=Party.LEGAL).values_list("id_number", flat=True) if v}
    private_values |= {v for v in Officer.objects.values_list("id_number", flat=True) if v}
    private_values |= {v for v in Officer.objects.values_list("phone", flat=True) if v}
    private_values |= {p.phone for p in Party.objects.filter(kind__in=Party.PERSONAL_PHONE_KINDS) if p.phone}
    private_values |= {p.address for p in Party.objects.filter(kind=Party.NATURAL) if p.address}
    assert private_names and private_values  # the demo has natural persons to protect

    seeds = ["/public/"]
    schema = client.get("/api/public/schema/", HTTP_ACCEPT="application/json")
    assert schema.status_code == 200
    paths = json.loads(schema.content)["paths"]
    seeds += [p for p in paths if "{" not in p]
    detail_templates = [p for p in paths if "{" in p]
    assert any(p.startswith("/api/public/publications/") for p in seeds)

    queue, seen, visited = deque(seeds), set(seeds), 0
    problems = []
    while queue and visited < MAX_PAGES:
        url = queue.popleft()
        response = client.get(url)
        visited += 1
        assert response.status_code in (200, 302, 404), f"{url}: {response.status_code}"
        if response.status_code != 200:
            continue
        body = b"".join(response.streaming_content) if response.streaming else response.content
        content_type = response.get("Content-Type", "")
        if not content_type.startswith(("text/", "application/json")):
            continue  # images (QR codes), PDF, xlsx
        text = body.decode("utf-8", errors="replace")
        problems += [f"{url}: 身份证号 {m}" for m in ID_CANDIDATE.findall(text) if _is_identity_number(m)]
        problems += [f"{url}: 手机号 {m}" for m in MOBILE.findall(text)]
        problems += [f"{url}: 个人信息 {v}" for v in private_values if v in text]
        problems += [f"{url}: 姓名 {n}" for n in private_names if n in text]
        links = set()
        if content_type.startswith("application/json"):
            data = json.loads(text)
            _urls_from_json(data, links)
            results = data.get("results") if isinstance(data, dict) else None
            base = urlparse(url).path
            if results and base in paths:
                for template in detail_templates:
                    prefix = template.split("{")[0]
                    if prefix == base:
                        links |= {f"{prefix}{row['id']}/" for row in results[:5] if isinstance(row, dict) and "id" in row}
                links.add(base + "?format=csv")
        elif content_type.startswith("text/html"):
            links = set(LINK.findall(text))
        for link in links:
            target = urljoin(url, link.replace("&amp;", "&"))
            parsed = urlparse(target)
            if parsed.netloc and parsed.netloc != "testserver":
                continue
            path = parsed.path + (f"?{parsed.query}" if parsed.query else "")
            if _public(parsed.path) and path not in seen:
                seen.add(path)
                queue.append(path)
    assert not problems, "\n".join(sorted(set(problems))[:50])
    assert visited > 50, f"只抓取了{visited}个页面"
    # every chain the demo wrote verifies, and the signed checkpoint is among the public pages
    check = demo.integrity_check
    assert check.ok and check.streams_checked > 50 and not check.problems, check.problems
    assert f"/public/checkpoints/{check.signed_checkpoint.number}/" in seen
