"""The two Python halves of scripts/smoke-topology.sh (run with the project's Python):

    python scripts/smoke_topology.py data          minimal data: a county, a market bureau, a
                                                   certified officer (user smoke_officer), an
                                                   enforcement item with its benchmark, a party;
                                                   prints them as JSON
    python scripts/smoke_topology.py drive DATA URL1 URL2
                                                   one case through the HTTP API, alternating
                                                   between the two web processes: resumable
                                                   upload of a 7 MiB photo (chunks sent to both),
                                                   on-the-spot decision with its document,
                                                   document download, verification; then checks
                                                   in the S3 bucket that each file is an object
                                                   named by its SM3 digest, the photo multipart

Environment: the ZHIFA_* variables of the topology (database, object store).
"""

import datetime
import hashlib
import json
import os
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PASSWORD = "Smoke-2026-test"
MB = 1024 * 1024


def setup_django():
    sys.path.insert(0, ROOT)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhifa.settings")
    import django

    django.setup()


def make_data() -> dict:
    """The smallest world a case needs (the same shape as the case tests' world)."""
    setup_django()
    from django.db import transaction

    from zhifa.accounts import roles
    from zhifa.catalog import choices as cc
    from zhifa.catalog import services as catalog
    from zhifa.core.testing import fields, make_user, org_tree
    from zhifa.parties.models import Party
    from zhifa.people.models import Officer
    from zhifa.people.services import issue_certificate

    d = datetime.date
    with transaction.atomic():
        tree = org_tree()
        f = fields()
        user = make_user("smoke_officer", roles.OFFICER, agency=tree.market, unit=tree.market_unit, display_name="李明")
        user.set_password(PASSWORD)
        user.save()
        item = catalog.create_item(
            agency=tree.market, code="SCJG-CF-0125", kind="penalty", field=f["SCJG"], valid_from=d(2019, 1, 1),
            version={
                "name": "对经营标签不符合规定的食品的行政处罚", "law_name": "《中华人民共和国食品安全法》",
                "article": 125, "paragraph": 1, "item_no": 2, "basis_text": "经营标签不符合本法规定的食品。",
                "penalty_basis": "《中华人民共和国食品安全法》第一百二十五条第一款第（二）项",
                "violated_provision": "《中华人民共和国食品安全法》第七十一条第一款",
            },
        )
        catalog.issue_benchmark(
            item,
            {"valid_from": d(2022, 3, 1), "review_due": d(2027, 3, 1), "document": "云市监规〔2022〕3号",
             "statutory_min": 5000, "statutory_max": 50000},
            catalog.banded_tiers(5000, 50000, kinds=(cc.FINE, cc.CONFISCATE_GAINS), grave_kinds=(cc.SUSPEND_BUSINESS,)),
        )
        officer = Officer.objects.create(name="李明", id_number="610113199003071237", home_agency=tree.market, user=user)
        issue_certificate(officer, number="61992120240001", fields=[f["SCJG"]], issuing_authority="秦川市人民政府",
                          issued_on=d(2026, 1, 10), expires_on=d(2031, 1, 9))
        party = Party.objects.create(kind=Party.NATURAL, name="张三", id_number="11010519491231002X",
                                     address="云岭县人民路2号", region=tree.county, agency=tree.market)
    return {"username": user.username, "password": PASSWORD, "item": item.pk, "party": party.pk,
            "level": cc.LIGHT, "fine": cc.FINE}


class Api:
    """A token-authenticated JSON client that alternates between the web processes."""

    def __init__(self, urls):
        import requests

        self.session = requests.Session()
        self.urls = urls
        self.turn = 0

    def url(self, path):
        base = self.urls[self.turn % len(self.urls)]
        self.turn += 1
        return base + path

    def call(self, method, path, expect=200, **kwargs):
        url = self.url(path)
        started = time.perf_counter()
        response = self.session.request(method, url, timeout=180, **kwargs)
        took = time.perf_counter() - started
        print(f"  {method:5} {url:60} {response.status_code} {took * 1000:7.0f} ms", flush=True)
        if response.status_code != expect:
            raise SystemExit(f"冒烟测试失败：{method} {url} 返回 {response.status_code}：{response.text[:500]}")
        return response


def sm3(data: bytes) -> str:
    return hashlib.new("sm3", data).hexdigest()


def drive(data: dict, urls: list[str]) -> None:
    """One case from upload to verification through the HTTP API, then the bucket checked."""
    import boto3

    api = Api(urls)
    token = api.call("POST", "/api/auth/token/", json={"username": data["username"], "password": data["password"]})
    api.session.headers["Authorization"] = f"Token {token.json()['token']}"

    # evidence: a 7 MiB photo in two chunks, each to another web process
    photo = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + os.urandom(7 * MB)
    created = api.call("POST", "/api/records/uploads/", 201,
                       json={"name": "现场照片.jpg", "size": len(photo), "content_type": "image/jpeg"}).json()
    half = 4 * MB
    for offset, chunk in ((0, photo[:half]), (half, photo[half:])):
        done = api.call("PATCH", f"/api/records/uploads/{created['id']}/", 200, data=chunk,
                        headers={"Content-Type": "application/offset+octet-stream", "Upload-Offset": str(offset),
                                 "Tus-Resumable": "1.0.0"})
    stored = done.json()["stored_file"]
    assert stored["hash"] == sm3(photo), "上传文件的 SM3 与本地计算的不一致"

    # decision on the spot (简易程序): register, photo as evidence, decide, generate the document
    decided = api.call("POST", "/api/cases/cases/on-the-spot/", 201, json={
        "item": data["item"], "party": data["party"], "place": "云岭县人民路2号门前", "facts": "销售无标签的预包装食品。",
        "level": data["level"], "penalty_kinds": [data["fine"]], "fine_amount": "100", "certificate_shown": True,
        "party_heard": True, "photo": stored["id"], "deviation_reason": "当场处罚限额以内（处罚法第五十一条）。",
    }).json()
    base = f"/api/cases/cases/{decided['id']}/"

    # the document (generated in the request, or by a worker once the task layer does it)
    deadline = time.monotonic() + 120
    # the DOCX is written in the decision's transaction; a task worker converts it to PDF after
    # the commit ("正在生成" until then): wait for the workers, fail on "生成失败"
    while True:
        documents = api.call("GET", base + "documents/").json()
        if documents and all(d["pdf_status"] == "ready" for d in documents):
            break
        failed = [d["title"] for d in documents if d["pdf_status"] == "failed"]
        if failed:
            raise SystemExit(f"冒烟测试失败：文书PDF生成失败 {failed}")
        if time.monotonic() > deadline:
            raise SystemExit("冒烟测试失败：120 秒内任务进程未生成文书PDF")
        time.sleep(2)
    document = documents[0]
    pdf = api.call("GET", f"{base}documents/{document['id']}/pdf/").content
    assert pdf.startswith(b"%PDF") and sm3(pdf) == document["pdf_hash"], "下载的 PDF 与登记的哈希不符"

    verified = api.call("GET", base + "verify/").json()
    if not verified["ok"] or verified["checked_files"] < 3:
        raise SystemExit(f"冒烟测试失败：校验未通过 {verified}")

    # the bytes are objects in the bucket, named by their SM3 digest
    client = boto3.client("s3", endpoint_url=os.environ["ZHIFA_S3_ENDPOINT"],
                          aws_access_key_id=os.environ.get("ZHIFA_S3_ACCESS_KEY", "zhifa"),
                          aws_secret_access_key=os.environ.get("ZHIFA_S3_SECRET_KEY", "zhifa"), region_name="us-east-1")
    prefix = os.environ.get("ZHIFA_S3_PREFIX", "").strip("/")
    for label, digest in (("照片", stored["hash"]), ("PDF", document["pdf_hash"]), ("DOCX", document["docx_hash"])):
        key = "/".join(p for p in (prefix, f"objects/{digest[:2]}/{digest[2:4]}/{digest}") if p)
        head = client.head_object(Bucket=os.environ["ZHIFA_S3_BUCKET"], Key=key)
        print(f"  S3 {label:4} {key}  {head['ContentLength']} 字节  ETag {head['ETag']}")
        if label == "照片" and not head["ETag"].strip('"').endswith("-2"):
            raise SystemExit(f"冒烟测试失败：7 MiB 的照片不是分段上传的（ETag {head['ETag']}）")
    print(f"冒烟测试通过：案件 {decided['id']}，{verified['checked_events']} 条记录、{verified['checked_files']} 个文件校验通过。")


if __name__ == "__main__":
    if sys.argv[1:2] == ["data"]:
        print(json.dumps(make_data()))
    elif sys.argv[1:2] == ["drive"] and len(sys.argv) >= 5:
        drive(json.loads(sys.argv[2]), sys.argv[3:])
    else:
        raise SystemExit(__doc__)
