"""DOCX rendering with docxtpl under a strict, sandboxed Jinja environment.

Strict: a template field the context does not define is an error naming that field
("party.fax"), never a silent blank — that is how an uploaded template with a typo is
refused. Sandboxed: templates are uploaded by administrators, so they may read the context
but not reach Python internals or modify anything (``ImmutableSandboxedEnvironment``).
Values are XML-escaped (autoescape), and a "\\n" in a value becomes a new paragraph with
the same formatting.
"""

import io
import zipfile

from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage
from jinja2 import StrictUndefined, TemplateError, TemplateSyntaxError, UndefinedError
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError
from jinja2.utils import missing

from .signatures import SignatureImage

DOCX_MAIN_PART = "word/document.xml"


class TemplateProblem(ValueError):
    """A template cannot be rendered; the message (Chinese) says why."""


class _PathDict(dict):
    """A context dict that knows its dotted path, so errors can name the template field."""

    __slots__ = ("_zhifa_path",)


class _PathList(list):
    """A context list that knows its dotted path."""

    __slots__ = ("_zhifa_path",)


def _pictures(value, template: DocxTemplate):
    """The context with every ``SignatureImage`` made an inline picture of ``template``
    (docxtpl ``InlineImage``), so ``{{ signatures.party.mark }}`` prints the drawn signature."""
    if isinstance(value, SignatureImage):
        return InlineImage(template, io.BytesIO(value.data), width=Mm(value.width_mm))
    if isinstance(value, dict):
        return {k: _pictures(v, template) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_pictures(v, template) for v in value]
    return value


def _with_paths(value, path: str = ""):
    if isinstance(value, dict):
        wrapped = _PathDict({k: _with_paths(v, f"{path}.{k}" if path else str(k)) for k, v in value.items()})
        wrapped._zhifa_path = path
        return wrapped
    if isinstance(value, list | tuple):
        wrapped = _PathList(_with_paths(v, f"{path}[]") for v in value)
        wrapped._zhifa_path = path
        return wrapped
    if isinstance(value, str):
        return value.replace("\r\n", "\n").replace("\n", "\a")  # docxtpl: "\a" starts a new paragraph
    return value


class _NamedStrictUndefined(StrictUndefined):
    """StrictUndefined whose error names the full template field in Chinese."""

    __slots__ = ()

    @property
    def _undefined_message(self) -> str:
        name = self._undefined_name
        owner = self._undefined_obj
        base = "" if owner is missing else getattr(owner, "_zhifa_path", None)
        if base is None:
            field = f"…{name}"
        elif isinstance(name, int):
            field = f"{base}[{name}]"
        else:
            field = f"{base}.{name}" if base else str(name)
        return f"模板中的占位符“{field}”未定义（不是文书数据中的字段）。"


def jinja_environment() -> ImmutableSandboxedEnvironment:
    """The Jinja environment every document is rendered with."""
    return ImmutableSandboxedEnvironment(undefined=_NamedStrictUndefined, autoescape=True)


def check_docx_container(data: bytes) -> None:
    """Raise ``TemplateProblem`` unless ``data`` is a Word 2007+ (.docx) package."""
    if not data.startswith(b"PK"):
        raise TemplateProblem("文件不是 Word（.docx）文档。请用 Word 或 WPS 另存为 .docx 格式后上传。")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except zipfile.BadZipFile:
        raise TemplateProblem("文件已损坏，不是有效的 Word（.docx）文档。") from None
    if DOCX_MAIN_PART not in names or "[Content_Types].xml" not in names:
        raise TemplateProblem("文件不是 Word（.docx）文档（缺少正文部分）。Excel、PDF 等文件不能作为文书模板。")


def render_docx(template_data: bytes, context: dict) -> bytes:
    """Render a DOCX template with a complete context; ``TemplateProblem`` on any error."""
    check_docx_container(template_data)
    try:
        template = DocxTemplate(io.BytesIO(template_data))
        template.render(_with_paths(_pictures(context, template)), jinja_env=jinja_environment(), autoescape=True)
        out = io.BytesIO()
        template.save(out)
    except UndefinedError as exc:
        raise TemplateProblem(str(exc)) from None
    except TemplateSyntaxError as exc:
        raise TemplateProblem(f"模板语法错误：{exc.message}（请检查 {{{{ }}}} 和 {{% %}} 标记是否成对、完整）。") from None
    except SecurityError:
        raise TemplateProblem("模板包含不允许的表达式：模板只能引用文书数据中的字段。") from None
    except TemplateError as exc:
        raise TemplateProblem(f"模板无法生成文书：{exc}") from None
    except (KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise TemplateProblem(f"文件不是有效的 Word（.docx）文档：{exc}") from None
    return out.getvalue()
