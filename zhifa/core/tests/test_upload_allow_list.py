"""One upload allow-list (``core.filetypes``, judged by the bytes) for evidence, Excel imports and
document templates: archives other than ZIP are refused in Chinese, and an import or a template
carrying a program, a macro or the wrong type is refused before it is read (issue #9/#10 gap)."""

import bz2
import gzip
import io
import lzma
import tarfile
import zipfile

import pytest

from zhifa.core.excel import REGISTRY, run_import
from zhifa.core.filetypes import FileTypeRefused
from zhifa.core.testing import PASSWORD, xlsx_file
from zhifa.documents.builtin import builtin_template_bytes
from zhifa.documents.models import DocumentTemplate
from zhifa.orgs.models import Unit
from zhifa.records.models import StoredFile
from zhifa.records.services import store_file

UNIT_HEADERS = ["执法主体", "名称", "类型", "办公地址", "联系电话", "职责", "有效"]


def _tar() -> bytes:
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w") as archive:
        info = tarfile.TarInfo("照片.jpg")
        info.size = 3
        archive.addfile(info, io.BytesIO(b"abc"))
    return out.getvalue()


def _with_member(data: bytes, name: str, content: bytes = b"MZ\x90\x00") -> bytes:
    """The ZIP package ``data`` (an .xlsx or .docx) with one more member."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            target.writestr(info, source.read(info.filename))
        target.writestr(name, content)
    return out.getvalue()


ARCHIVES = [
    (gzip.compress(b"x" * 100, mtime=0), "证据.gz"),
    (bz2.compress(b"x" * 100), "证据.bz2"),
    (lzma.compress(b"x" * 100), "证据.xz"),
    (b"7z\xbc\xaf\x27\x1c" + bytes(100), "证据.7z"),
    (_tar(), "证据.tar"),
    (b"Rar!\x1a\x07\x01\x00" + bytes(100), "证据.rar"),
]


@pytest.mark.parametrize(("data", "name"), ARCHIVES)
def test_archives_other_than_zip_are_refused_in_chinese(db, data, name):
    """gz, bz2, xz, 7z, tar and rar cannot be inspected: refused naming the file and ZIP as the way."""
    with pytest.raises(FileTypeRefused) as refused:
        store_file(io.BytesIO(data), name)
    message = refused.value.messages[0]
    assert name in message and "只接受 ZIP 格式" in message
    assert not StoredFile.objects.exists()


def _named(data: bytes, name: str):
    buffer = io.BytesIO(data)
    buffer.name = name
    return buffer


def _good_xlsx() -> bytes:
    return xlsx_file(UNIT_HEADERS, [["云岭县市场监督管理局", "乙", "执法中队", "", "", "", ""]]).getvalue()


@pytest.mark.parametrize(("data", "name", "message"), [
    (b"%PDF-1.4\n" + bytes(200), "单位.xlsx", "不是用本系统模板填写的 Excel（.xlsx）文件"),
    (b"MZ\x90\x00" + bytes(200), "单位.xlsx", "不能上传"),
    (b"\x7fELF\x02\x01\x01" + bytes(200), "单位.xlsx", "不能上传"),
    (gzip.compress(b"x" * 100, mtime=0), "单位.xlsx", "只接受 ZIP 格式"),
    (builtin_template_bytes("filing_approval"), "单位.xlsx", "不是用本系统模板填写的 Excel（.xlsx）文件"),
    ("macro", "单位.xlsx", "含有宏"),
    ("program", "单位.xlsx", "是可执行程序或脚本"),
    ("good", "setup.exe", "是可执行程序或脚本"),
])
def test_an_excel_import_passes_the_allow_list_first(users, tree, data, name, message):
    """A program, a non-ZIP archive, a Word file, a macro workbook, a workbook carrying a program,
    or a good workbook under a program's name: one Chinese error, nothing imported."""
    data = {"macro": lambda: _with_member(_good_xlsx(), "xl/vbaProject.bin"),
            "program": lambda: _with_member(_good_xlsx(), "xl/media/tool.exe"),
            "good": _good_xlsx}.get(data, lambda: data)() if isinstance(data, str) else data
    before = Unit.objects.count()
    result = run_import(REGISTRY["units"](users.admin_a), _named(data, name))
    assert not result.ok and len(result.errors) == 1 and result.errors[0].row == 0
    assert message in result.errors[0].message
    assert Unit.objects.count() == before


def test_import_page_and_api_show_the_refusal(client, api_client, users, tree):
    macro = _with_member(_good_xlsx(), "xl/vbaProject.bin")
    client.login(username="admin_a", password=PASSWORD)
    page = client.post("/data/units/import/", {"file": _named(macro, "单位.xlsx")})
    assert page.status_code == 400 and "含有宏" in page.content.decode()
    api_client.force_authenticate(users.admin_a)
    response = api_client.post("/api/core/data/units/import/", {"file": _named(macro, "单位.xlsx")}, format="multipart")
    assert response.status_code == 400 and "含有宏" in str(response.json()["error"])
    good = api_client.post("/api/core/data/units/import/", {"file": _named(_good_xlsx(), "单位.xlsx")},
                           format="multipart")
    assert good.status_code == 201 and Unit.objects.filter(name="乙").exists()


@pytest.mark.parametrize(("member", "message"), [
    ("word/vbaProject.bin", "含有宏"),
    ("word/embeddings/setup.exe", "是可执行程序或脚本"),
    ("word/embeddings/more.7z", "含有另一个压缩包"),
])
def test_a_document_template_passes_the_allow_list(client, api_client, users, tree, member, message):
    """A .docx template carrying a macro, a program or another archive is refused by the form and
    the API, and no template version is stored; the clean built-in file is accepted."""
    from zhifa.accounts import roles
    from zhifa.core.testing import make_user

    admin = make_user("tpl_admin", roles.SYSTEM_ADMIN, agency=tree.market)
    clean = builtin_template_bytes("penalty_decision")
    bad = _with_member(clean, member)
    client.force_login(admin)
    page = client.post("/documents/templates/upload/", {"code": "penalty_decision", "agency": tree.market.pk,
                                                         "file": _named(bad, "决定书.docx")})
    assert message in page.content.decode()
    api_client.force_authenticate(admin)
    response = api_client.post("/api/documents/templates/", {"code": "penalty_decision", "agency": tree.market.pk,
                                                             "file": _named(bad, "决定书.docx")}, format="multipart")
    assert response.status_code == 400 and message in str(response.json()["error"])
    assert not DocumentTemplate.objects.exists()
    response = api_client.post("/api/documents/templates/", {"code": "penalty_decision", "agency": tree.market.pk,
                                                             "file": _named(clean, "决定书.docx")}, format="multipart")
    assert response.status_code == 201 and DocumentTemplate.objects.count() == 1
