"""Which files may enter the object store: an allow-list checked on the bytes (恶意代码防范).

Evidence (证据) comes from phones, body cameras (执法记录仪), scanners and office software, so
the store accepts photos, audio, video, PDF and office documents, plain text and ZIP packages of
those — and nothing that runs. The type is decided from the content (magic numbers, read by the
``filetype`` library), never from the name or the browser's declared type alone:

- a file whose first bytes are a known type is accepted only if that type is on
  ``ALLOWED_MIME_TYPES`` (or is an image, audio or video type) — an ELF or Windows PE program
  renamed ``photo.jpg`` is refused;
- a file with no recognisable magic number is accepted only as text: a ``.txt``/``.csv``/…
  name, no NUL byte, valid UTF-8 or GB 18030, and no ``#!`` interpreter line;
- whatever the content, a name ending in a program or script extension (``.exe``, ``.sh``,
  ``.js`` …) is refused;
- a ZIP (and an office document, which is one) is opened when complete and refused if any
  member is a program, a script or a nested archive; other archive formats (RAR, 7z, tar …)
  cannot be checked and are refused.

``check_name`` runs when an upload is declared, ``check_head`` on the first bytes (so a program
is stopped after its first chunk, not after gigabytes), ``check_file`` on the complete file.
``records.services`` calls them for every stored file: resumable uploads, form uploads and
files the system generates itself (it lives in ``core`` so that every app can use it).
``check_bytes`` applies the same checks to a file read into
memory that must be of one expected kind: Excel imports (``core.excel``, .xlsx only) and
document templates (``documents.services``, .docx only).
"""

import codecs
import io
import os
import zipfile

import filetype
from django.core.exceptions import ValidationError

HEAD_SIZE = 8192  # bytes ``filetype`` reads

ALLOWED_PREFIXES = ("image/", "audio/", "video/")
REFUSED_IMAGE_TYPES = {"image/vnd.dwg", "image/x-xcf", "image/vnd.adobe.photoshop", "image/x-icon"}
ALLOWED_MIME_TYPES = {
    "application/pdf",
    "application/rtf",
    "application/msword",
    "application/vnd.ms-excel",
    "application/vnd.ms-powerpoint",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "application/vnd.oasis.opendocument.text",
    "application/vnd.oasis.opendocument.spreadsheet",
    "application/vnd.oasis.opendocument.presentation",
    "application/zip",  # members checked by ``check_file``
}
ZIP_TYPES = {t for t in ALLOWED_MIME_TYPES if "openxmlformats" in t or "opendocument" in t} | {"application/zip"}
# Files without a magic number: accepted as text under these names only.
TEXT_EXTENSIONS = {".txt", ".csv", ".log", ".md"}
# Names that run (Windows, Unix, Android, macOS, scripting hosts, Office macros, installers).
EXECUTABLE_EXTENSIONS = {
    ".exe", ".com", ".scr", ".pif", ".cpl", ".dll", ".sys", ".drv", ".ocx", ".msi", ".msp", ".msc",
    ".bat", ".cmd", ".ps1", ".psm1", ".vbs", ".vbe", ".js", ".jse", ".wsf", ".wsh", ".hta", ".lnk",
    ".reg", ".inf", ".jar", ".class", ".apk", ".xapk", ".ipa", ".app", ".dmg", ".pkg", ".deb", ".rpm",
    ".sh", ".bash", ".zsh", ".csh", ".ksh", ".run", ".bin", ".elf", ".so", ".o", ".out", ".py", ".pyc",
    ".pyw", ".pl", ".rb", ".php", ".phtml", ".asp", ".aspx", ".jsp", ".cgi", ".html", ".htm", ".xhtml",
    ".svg", ".swf", ".wasm", ".docm", ".xlsm", ".pptm", ".dotm", ".xltm", ".potm", ".ppam", ".xlam",
}
# Executable formats ``filetype`` recognises (named here for the message; refused anyway as
# they are not on the allow-list).
EXECUTABLE_MIME_TYPES = {
    "application/x-msdownload", "application/x-executable", "application/wasm",
    "application/x-shockwave-flash", "application/x-google-chrome-extension", "application/x-deb",
    "application/x-rpm", "application/x-nintendo-nes-rom", "application/vnd.ms-cab-compressed",
}
MACH_O_MAGICS = (b"\xfe\xed\xfa\xce", b"\xfe\xed\xfa\xcf", b"\xce\xfa\xed\xfe", b"\xcf\xfa\xed\xfe", b"\xca\xfe\xba\xbe")

# Archive formats other than ZIP: their contents cannot be checked, so they are refused.
OTHER_ARCHIVE_EXTENSIONS = {"rar", "7z", "tar", "gz", "bz2", "xz", "zst", "lz", "lz4", "lzo", "Z", "br", "ar", "cab",
                            "epub", "crx"}
ARCHIVE_MESSAGE = "无法检查内容的压缩包（只接受 ZIP 格式），请解压后上传或改用 ZIP 格式"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

ALLOWED_DESCRIPTION = "照片、录音、录像、PDF、Word/Excel/PowerPoint/WPS 等办公文档、纯文本，以及只含这些文件的 ZIP 压缩包"
EXECUTABLE_MESSAGE = "“{name}”是可执行程序或脚本，出于安全原因不能上传。" + f"可以上传的文件：{ALLOWED_DESCRIPTION}。"
NOT_ALLOWED_MESSAGE = "不支持上传“{name}”这类文件（{kind}）。" + f"可以上传的文件：{ALLOWED_DESCRIPTION}。"


class FileTypeRefused(ValidationError):
    """A file that is not on the allow-list; the message says why, in Chinese."""

    def __init__(self, message: str):
        super().__init__(message, code="file_type_refused")


def extension(name: str) -> str:
    return os.path.splitext(str(name or "").lower().strip().rstrip("."))[1]


def check_name(name: str) -> None:
    """Refuse a name ending in a program or script extension."""
    if extension(name) in EXECUTABLE_EXTENSIONS:
        raise FileTypeRefused(EXECUTABLE_MESSAGE.format(name=os.path.basename(str(name))))


def _looks_like_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    for encoding in ("utf-8", "gb18030"):
        try:
            # the head may end inside a multi-byte character: decode incrementally, not final
            codecs.getincrementaldecoder(encoding)().decode(head, final=False)
            return True
        except UnicodeDecodeError:
            continue
    return False


def check_head(head: bytes, name: str) -> str:
    """Check the first ``HEAD_SIZE`` bytes (or the whole file if shorter); return the detected
    content type ("" for accepted text) or raise ``FileTypeRefused``."""
    check_name(name)
    shown = os.path.basename(str(name))
    kind = filetype.guess(head) if head else None
    if kind is None:
        # no known magic number: an interpreter line (#!/bin/sh) or a Mach-O program still runs
        # (checked after ``filetype``: AMR phone recordings begin with "#!AMR")
        if head.startswith((b"#!", *MACH_O_MAGICS)):
            raise FileTypeRefused(EXECUTABLE_MESSAGE.format(name=shown))
        if not head or (extension(name) in TEXT_EXTENSIONS and _looks_like_text(head)):
            return ""
        raise FileTypeRefused(NOT_ALLOWED_MESSAGE.format(name=shown, kind="无法识别的文件格式"))
    mime = kind.mime
    if mime in EXECUTABLE_MIME_TYPES:
        raise FileTypeRefused(EXECUTABLE_MESSAGE.format(name=shown))
    if mime in ALLOWED_MIME_TYPES or (mime.startswith(ALLOWED_PREFIXES) and mime not in REFUSED_IMAGE_TYPES):
        return mime
    if kind.extension in OTHER_ARCHIVE_EXTENSIONS:
        kind_text = ARCHIVE_MESSAGE
    else:
        kind_text = f"不在允许范围内的 .{kind.extension} 格式"
    raise FileTypeRefused(NOT_ALLOWED_MESSAGE.format(name=shown, kind=kind_text))


def check_zip_members(path, name: str) -> None:
    """Refuse a ZIP (or office document) holding a program, a script or another archive."""
    shown = os.path.basename(str(name))
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise FileTypeRefused(NOT_ALLOWED_MESSAGE.format(name=shown, kind="损坏的压缩文件")) from None
    for member in members:
        ext = extension(member)
        if member.lower().endswith("vbaproject.bin"):
            raise FileTypeRefused(f"“{shown}”含有宏（VBA 程序），出于安全原因不能上传，请另存为不含宏的文档。")
        if ext in EXECUTABLE_EXTENSIONS:
            raise FileTypeRefused(f"压缩包“{shown}”中的“{member}”是可执行程序或脚本，出于安全原因不能上传。")
        if ext in {".zip", ".rar", ".7z", ".tar", ".gz", ".tgz", ".bz2", ".xz", ".cab"}:
            raise FileTypeRefused(f"压缩包“{shown}”中含有另一个压缩包“{member}”，无法检查其内容，不能上传，请解压后分别上传。")


def check_file(path: str | os.PathLike, head: bytes, name: str) -> str:
    """Check a complete file on disk; return its detected content type ("" for text)."""
    mime = check_head(head, name)
    if mime in ZIP_TYPES:
        check_zip_members(path, name)
    return mime


def check_bytes(data: bytes, name: str, *, expected: str, description: str) -> str:
    """The checks of ``check_file`` for a file read into memory that must be of the content type
    ``expected`` (e.g. ``XLSX`` for an import, ``DOCX`` for a template): a program, a script, a
    non-ZIP archive, a macro or an embedded program is refused exactly as for evidence, and a
    file of another type with a message naming the ``description`` ("Excel（.xlsx）文件")."""
    check_name(name)
    mime = check_head(data[:HEAD_SIZE], name)
    if mime in ZIP_TYPES:
        check_zip_members(io.BytesIO(data), name)
    if mime != expected:
        raise FileTypeRefused(f"“{os.path.basename(str(name))}”不是{description}，请上传{description}。")
    return mime
