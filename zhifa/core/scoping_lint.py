"""The scoping lint: finds queries of access-controlled models that bypass ``restrict``.

Scoping is mechanical, not a convention: every ``Model.objects`` (or ``_base_manager`` /
``_default_manager``) of a model that has ``restrict`` — a ``ScopedModel`` — must lead to
``.restrict(user, action)`` or ``.public()`` in the same expression, or be a viewset's/list
view's class-level ``queryset`` that the class's base restricts in ``get_queryset``. Anything
else must be named in ``zhifa/core/scoping_allowlist.py`` with its reason (system jobs:
migrations, management commands, demo and synthetic loaders, services functions that run
after a scoped lookup). ``zhifa/core/tests/test_scoping_lint.py`` runs it over the code base
and fails on any new unscoped query, and on allow-list entries that no longer match.

Run by hand: ``python -m zhifa.core.scoping_lint``.
"""

import ast
import sys
from dataclasses import dataclass
from pathlib import Path

PACKAGE_ROOT = Path(__file__).resolve().parents[1]  # the ``zhifa`` package
MANAGERS = {"objects", "_base_manager", "_default_manager"}
SCOPED_CALLS = {"restrict", "public", "none"}  # none(): no rows at all
# Paths (relative to the repository) never checked: schema history and the tests themselves.
SKIPPED_PARTS = {"migrations", "tests"}


@dataclass(frozen=True)
class Finding:
    """One unscoped query: where it is and what it touches."""

    path: str  # e.g. "zhifa/cases/services.py"
    qualname: str  # enclosing "Class.method" or "function", "<module>" at top level
    line: int
    model: str

    @property
    def key(self) -> str:
        return f"{self.path}::{self.qualname}"

    def __str__(self) -> str:
        return f"{self.path}:{self.line} {self.qualname}: {self.model} 未经 restrict() 查询"


def scoped_model_names() -> set[str]:
    """Class names of the installed models whose manager offers ``restrict``."""
    from django.apps import apps

    return {m.__name__ for m in apps.get_models() if hasattr(m._default_manager, "restrict")}


class _Visitor(ast.NodeVisitor):
    def __init__(self, path: str, models: set[str]):
        self.path = path
        self.models = models
        self.stack: list[ast.AST] = []
        self.findings: list[Finding] = []

    def generic_visit(self, node):
        self.stack.append(node)
        super().generic_visit(node)
        self.stack.pop()

    def _qualname(self) -> str:
        names = [n.name for n in self.stack if isinstance(n, ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)]
        return ".".join(names) or "<module>"

    def visit_Attribute(self, node: ast.Attribute):
        if (node.attr in MANAGERS and isinstance(node.value, ast.Name) and node.value.id in self.models
                and not self._scoped(node)):
            self.findings.append(Finding(self.path, self._qualname(), node.lineno, node.value.id))
        self.generic_visit(node)

    def _scoped(self, node: ast.Attribute) -> bool:
        """Does the expression that starts at ``node`` call restrict()/public(), or is it a
        class-level ``queryset =`` of a class whose ``get_queryset`` restricts?"""
        child, index = node, len(self.stack)
        while index > 0:
            parent = self.stack[index - 1]
            if isinstance(parent, ast.Attribute) and parent.value is child:
                if parent.attr in SCOPED_CALLS:
                    return True
            elif not (isinstance(parent, ast.Call) and parent.func is child):
                break
            child, index = parent, index - 1
        if index > 0 and _is_helper_argument(self.stack[index - 1], child):
            return True
        return self._restricted_class_queryset(child, self.stack[:index])

    @staticmethod
    def _restricted_class_queryset(expr, stack) -> bool:
        """``queryset = <expr>`` in a class body, or ``queryset=<expr>`` given to a filter in a
        filter set's body, where the class restricts it (see ``_class_restricts``)."""
        if len(stack) < 2:
            return False
        holder, owner = stack[-1], stack[-2]
        if isinstance(holder, ast.keyword) and holder.arg == "queryset" and len(stack) >= 4:
            call, assign, owner = stack[-2], stack[-3], stack[-4]
            return (isinstance(call, ast.Call) and isinstance(assign, ast.Assign) and isinstance(owner, ast.ClassDef)
                    and (_bases(owner) & RESTRICTING_BASES != set() or _class_restricts(owner)))
        if not (isinstance(holder, ast.Assign) and holder.value is expr and isinstance(owner, ast.ClassDef)):
            return False
        if [getattr(t, "id", None) for t in holder.targets] != ["queryset"]:
            return False
        return _class_restricts(owner)


def _class_restricts(cls: ast.ClassDef) -> bool:
    """A class restricts its class-level querysets when a base is one of the scoped bases (their
    ``get_queryset`` calls ``restrict``) or its own ``get_queryset`` / ``__init__`` /
    ``get_fields`` calls restrict()/public() (a form or serializer narrowing its choices)."""
    if _bases(cls) & SCOPED_BASES:
        return True
    for item in cls.body:
        if isinstance(item, ast.FunctionDef) and item.name in RESTRICTING_METHODS:
            for sub in ast.walk(item):
                if isinstance(sub, ast.Attribute) and sub.attr in SCOPED_CALLS:
                    return True
    return False


def _is_helper_argument(call, expr) -> bool:
    """``get_in_scope(<expr>, user, …)``: the helper restricts the queryset it is given."""
    if not (isinstance(call, ast.Call) and call.args and call.args[0] is expr):
        return False
    name = call.func.id if isinstance(call.func, ast.Name) else getattr(call.func, "attr", "")
    return name in SCOPING_HELPERS


def _bases(cls: ast.ClassDef) -> set[str]:
    return {base.id if isinstance(base, ast.Name) else getattr(base, "attr", "") for base in cls.bases}


# Bases whose get_queryset applies restrict()/public() (zhifa.core.api.viewsets, .public).
SCOPED_BASES = {"ScopedModelViewSet", "ScopedReadOnlyViewSet", "PublicReadOnlyViewSet"}
# Functions of zhifa.core.scoping that restrict the queryset passed as their first argument.
SCOPING_HELPERS = {"get_in_scope"}
RESTRICTING_METHODS = {"get_queryset", "__init__", "get_fields"}
# Classes that restrict every field's or filter's ``queryset=`` to the user's scope when built
# (zhifa.core.filters.SearchFilterSet, zhifa.core.api.viewsets.ScopedSerializerMixin).
RESTRICTING_BASES = {"SearchFilterSet", "ScopedSerializerMixin"}


def scan_source(source: str, path: str, models: set[str]) -> list[Finding]:
    """The unscoped queries in one module's source."""
    visitor = _Visitor(path, models)
    visitor.visit(ast.parse(source, filename=path))
    return visitor.findings


def python_files(root: Path = PACKAGE_ROOT):
    """Every module of the package that the lint checks."""
    for file in sorted(root.rglob("*.py")):
        if SKIPPED_PARTS.isdisjoint(file.relative_to(root).parts):
            yield file


def scan(root: Path = PACKAGE_ROOT, models: set[str] | None = None) -> list[Finding]:
    """The unscoped queries of the whole package (before the allow-list)."""
    models = scoped_model_names() if models is None else models
    base = root.parent
    findings = []
    for file in python_files(root):
        findings += scan_source(file.read_text(encoding="utf-8"), file.relative_to(base).as_posix(), models)
    return findings


def allowed(finding: Finding, allow_list: dict[str, str]) -> str | None:
    """The allow-list entry covering ``finding``: its ``path::qualname``, a ``path::Class``
    prefix of it, or its whole ``path`` (a module that is a system job)."""
    if finding.key in allow_list:
        return finding.key
    parts = finding.qualname.split(".")
    for i in range(len(parts) - 1, 0, -1):
        key = f"{finding.path}::{'.'.join(parts[:i])}"
        if key in allow_list:
            return key
    return finding.path if finding.path in allow_list else None


def check(root: Path = PACKAGE_ROOT, allow_list: dict[str, str] | None = None):
    """(unscoped queries not allowed, allow-list entries that match nothing)."""
    if allow_list is None:
        from .scoping_allowlist import ALLOWED as allow_list
    findings = scan(root)
    used, offending = set(), []
    for finding in findings:
        entry = allowed(finding, allow_list)
        if entry is None:
            offending.append(finding)
        else:
            used.add(entry)
    return offending, sorted(set(allow_list) - used)


def main() -> int:
    import django

    django.setup()
    offending, stale = check()
    for finding in offending:
        print(finding)
    for entry in stale:
        print(f"允许清单中的条目已不再匹配任何查询：{entry}")
    return 1 if offending or stale else 0


if __name__ == "__main__":
    import os

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhifa.settings")
    sys.exit(main())
