"""The scoping lint: no query of an access-controlled model outside restrict() and the allow-list."""

import textwrap

from zhifa.core import scoping_lint
from zhifa.core.scoping_allowlist import ALLOWED

MODELS = {"Case", "Party"}


def _scan(source: str):
    return scoping_lint.scan_source(textwrap.dedent(source), "zhifa/demo_app/views.py", MODELS)


def test_code_base_has_no_unscoped_query_outside_the_allow_list():
    """Every query of a scoped model goes through restrict()/public(), or its place is allow-listed
    with a reason; and every allow-list entry still matches a query."""
    offending, stale = scoping_lint.check()
    assert not offending, "查询未经 restrict()：\n" + "\n".join(str(f) for f in offending)
    assert not stale, f"允许清单中的条目已不再匹配任何查询：{stale}"


def test_allow_list_entries_all_give_a_reason():
    assert all(isinstance(reason, str) and len(reason) > 20 for reason in ALLOWED.values())


def test_offending_snippets_are_found():
    """A direct query, a base-manager query and an unrestricted class-level queryset are reported."""
    findings = _scan("""
        def case_list(request):
            return Case.objects.filter(stage="filed")

        def any_party(pk):
            return Party._base_manager.get(pk=pk)

        class CaseViewSet(viewsets.ModelViewSet):
            queryset = Case.objects.select_related("agency")
    """)
    assert [(f.qualname, f.model, f.line) for f in findings] == [
        ("case_list", "Case", 3), ("any_party", "Party", 6), ("CaseViewSet", "Case", 9),
    ]
    assert str(findings[0]) == "zhifa/demo_app/views.py:3 case_list: Case 未经 restrict() 查询"


def test_scoped_patterns_pass():
    """restrict()/public()/none() anywhere in the chain, get_in_scope(), a scoped viewset's or a
    restricting class's queryset, and other models are not reported."""
    findings = _scan("""
        def case_list(request):
            a = Case.objects.select_related("agency").restrict(request.user, "view").filter(stage="filed")
            b = Party.objects.public()
            c = Case.objects.none()
            d = get_in_scope(Case.objects.select_related("party"), request.user, pk=1)
            return Region.objects.all(), a, b, c, d

        class CaseViewSet(ScopedModelViewSet):
            queryset = Case.objects.select_related("agency")

        class OwnRestriction(viewsets.ModelViewSet):
            queryset = Case.objects.all()

            def get_queryset(self):
                return super().get_queryset().restrict(self.request.user)

        class CaseFilter(SearchFilterSet):
            party = django_filters.ModelChoiceFilter(queryset=Party.objects.all())
    """)
    assert findings == []


def test_allow_list_matches_function_class_and_module():
    finding = scoping_lint.Finding("zhifa/x/services.py", "Spec.save", 3, "Case")
    assert scoping_lint.allowed(finding, {"zhifa/x/services.py::Spec.save": "r"}) == "zhifa/x/services.py::Spec.save"
    assert scoping_lint.allowed(finding, {"zhifa/x/services.py::Spec": "r"}) == "zhifa/x/services.py::Spec"
    assert scoping_lint.allowed(finding, {"zhifa/x/services.py": "r"}) == "zhifa/x/services.py"
    assert scoping_lint.allowed(finding, {"zhifa/x/services.py::other": "r"}) is None


def test_check_fails_on_a_new_offending_module_and_on_stale_entries(tmp_path):
    """check() over a package reports an unscoped query and an allow-list entry matching nothing."""
    package = tmp_path / "zhifa"
    (package / "cases").mkdir(parents=True)
    (package / "cases" / "views.py").write_text("def leak(request):\n    return Case.objects.all()\n")
    (package / "cases" / "tests").mkdir()
    (package / "cases" / "tests" / "test_x.py").write_text("Case.objects.all()\n")  # tests are not checked
    offending, stale = scoping_lint.check(package, {"zhifa/cases/gone.py": "removed"})
    assert [str(f) for f in offending] == ["zhifa/cases/views.py:2 leak: Case 未经 restrict() 查询"]
    assert stale == ["zhifa/cases/gone.py"]
