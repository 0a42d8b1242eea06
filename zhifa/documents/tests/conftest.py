"""Fixtures of the documents tests: uploaded files in a temporary media root, DOCX helpers,
privileged users, and a stand-in for LibreOffice where the PDF itself is not under test."""

import io

import pytest
from docx import Document

from zhifa.accounts import roles


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Uploaded templates go to a throw-away directory, never into var/."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def root_admin(tree):
    """A system administrator of the root region (陕西省): may replace the default templates."""
    from zhifa.core.testing import make_user

    return make_user("admin_root", roles.SYSTEM_ADMIN, region=tree.province)


@pytest.fixture
def fake_pdf(monkeypatch):
    """Replace the LibreOffice conversion by a stub; returns the list of DOCX batches it got."""
    from zhifa.documents import services

    batches = []

    def convert_many(docx_files, **kwargs):
        batches.append(list(docx_files))
        return [b"%PDF-1.4 stub" for _ in docx_files]

    monkeypatch.setattr(services, "convert_many", convert_many)
    return batches


def make_docx(*paragraphs: str) -> bytes:
    """A minimal DOCX whose paragraphs are the given texts (template fields allowed)."""
    document = Document()
    for text in paragraphs:
        document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def docx_text(data: bytes) -> str:
    """All paragraph and table text of a DOCX, one paragraph per line."""
    document = Document(io.BytesIO(data))
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                lines.extend(p.text for p in cell.paragraphs)
    return "\n".join(lines)
