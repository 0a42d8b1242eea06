"""The API never answers 500 to malformed input, and its OpenAPI schema is a contract a
generated client can rely on (one request media type, honest enums, typed answers)."""


import pytest
from django.db import DataError
from django.http import Http404
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIRequestFactory

from zhifa.core.api.base import exception_handler
from zhifa.core.scoping import get_in_scope
from zhifa.parties.models import Party

HUGE = "99999999999999999999"  # beyond SQLite's and PostgreSQL's 64-bit integers


def _error(response, status):
    assert response.status_code == status, response.content[:300]
    body = response.json()["error"]
    assert body["status"] == status and body["message"] and body["code"]
    return body


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["year=0", f"year={HUGE}", "year=-5", "year=2026.5", f"officer={HUGE}"])
def test_out_of_range_numbers_in_api_filters_are_400(api_client, users, query):
    """``?year=0`` used to reach ``datetime.date(0, 1, 1)``: now every bounded filter answers 400."""
    api_client.force_authenticate(users.head_a)
    body = _error(api_client.get(f"/api/people/training/?{query}"), 400)
    assert set(body["fields"]) == {query.split("=")[0]}


@pytest.mark.django_db
def test_in_range_numbers_still_filter(api_client, users):
    api_client.force_authenticate(users.head_a)
    assert api_client.get("/api/people/training/?year=2026").status_code == 200
    assert api_client.get(f"/api/catalog/benchmarks/?item={2**63 - 1}").json()["count"] == 0


@pytest.mark.django_db
@pytest.mark.parametrize("url", [f"/api/catalog/benchmarks/?item={HUGE}", "/api/workdays/days/?year=0",
                                 "/api/workdays/days/?month=13", f"/api/public/statistics/agencies/?year={HUGE}"])
def test_other_filter_sets_are_bounded_too(api_client, users, url):
    api_client.force_authenticate(users.admin_a)
    _error(api_client.get(url), 400)


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["year=0", f"year={HUGE}"])
def test_web_lists_show_the_error_instead_of_500(client, users, query):
    """The HTML list uses the same filter set: a form error on the page, not a server error."""
    client.force_login(users.head_a)
    response = client.get(f"/people/training/?{query}")
    assert response.status_code == 200
    assert '<span class="error">确保该值' in response.content.decode()


@pytest.mark.django_db
def test_malformed_identifier_in_a_custom_action_is_404(api_client, users):
    """An action that looks its row up itself answers a non-numeric id as "does not exist"."""
    api_client.force_authenticate(users.head_a)
    _error(api_client.post("/api/publicity/publications/abc/redact/", {"redactions": []}), 404)
    _error(api_client.post(f"/api/publicity/publications/{HUGE}/redact/", {"redactions": []}), 404)
    _error(api_client.get("/api/parties/parties/abc/"), 404)


@pytest.mark.django_db
def test_get_in_scope_treats_a_malformed_identifier_as_missing(users):
    for value in ("abc", "1.5", None):
        with pytest.raises(Http404):
            get_in_scope(Party.objects, users.admin_a, pk=value)


@pytest.mark.parametrize("exc", [DataError("value too long"), OverflowError("int too large"),
                                 ValueError("year 0 is out of range")])
def test_exception_handler_turns_leftover_input_errors_into_400(exc):
    """The last line of defence: a database or conversion error from a value is a structured 400."""
    request = APIRequestFactory().get("/api/x/")
    response = exception_handler(exc, {"request": request, "kwargs": {}, "view": None})
    assert response.status_code == 400
    assert response.data["error"]["code"] == "malformed"
    assert response.data["error"]["message"].startswith("输入的值格式有误")


def test_exception_handler_answers_a_malformed_path_id_404():
    request = APIRequestFactory().get("/api/x/abc/")
    for kwargs in ({"pk": "abc"}, {"statement_id": HUGE}):
        response = exception_handler(ValueError("Field 'id' expected a number"), {"request": request,
                                                                                   "kwargs": kwargs})
        assert response.status_code == 404 and response.data["error"]["status"] == 404


def test_exception_handler_leaves_programming_errors_alone():
    assert exception_handler(KeyError("x"), {"request": None, "kwargs": {}}) is None


@pytest.mark.django_db
def test_writes_are_json_only(api_client, users):
    """A form-encoded body is refused with a structured 415: one media type per operation."""
    api_client.force_authenticate(users.head_a)
    response = api_client.post("/api/parties/parties/", "name=x", content_type="application/x-www-form-urlencoded")
    _error(response, 415)


@pytest.mark.django_db
def test_token_endpoint_needs_no_authentication(api_client, users):
    """POST /api/auth/token/ with JSON works without (and despite a stale) Authorization header."""
    from zhifa.core.testing import PASSWORD

    api_client.credentials(HTTP_AUTHORIZATION="Token stale-or-revoked")
    response = api_client.post("/api/auth/token/", {"username": "officer_a", "password": PASSWORD})
    assert response.status_code == 200 and len(response.json()["token"]) == 40
    _error(api_client.post("/api/auth/token/", {"username": "officer_a", "password": "wrong"}), 400)


@pytest.fixture(scope="module")
def schema():
    return SchemaGenerator().get_schema(request=None, public=True)


def _operations(schema):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            yield path, method, operation


def test_every_operation_declares_one_request_media_type(schema):
    several = {f"{m.upper()} {p}": list(o["requestBody"]["content"]) for p, m, o in _operations(schema)
               if "requestBody" in o and len(o["requestBody"]["content"]) != 1}
    assert several == {}


def test_read_only_choice_fields_that_may_be_blank_declare_it(schema):
    """Case.outcome, Case.service_method, Publication.not_published_ground, Party.credit_class …
    answer "" before they are set: the schema says so (a blank enum beside the choices)."""
    components = schema["components"]["schemas"]

    def allows_blank(component, name):
        prop = components[component]["properties"][name]
        variants = prop.get("oneOf") or prop.get("anyOf") or prop.get("allOf") or [prop]
        enums = []
        for variant in variants:
            target = components[variant["$ref"].rsplit("/", 1)[1]] if "$ref" in variant else variant
            enums += target.get("enum", [])
        return "" in enums

    assert allows_blank("Case", "outcome")
    assert allows_blank("Case", "service_method")
    assert allows_blank("Publication", "not_published_ground")
    assert allows_blank("Party", "credit_class")


def test_next_actions_is_typed(schema):
    response = schema["paths"]["/api/cases/cases/{id}/next-actions/"]["get"]["responses"]["200"]
    ref = response["content"]["application/json"]["schema"]["$ref"]
    component = schema["components"]["schemas"][ref.rsplit("/", 1)[1]]
    assert set(component["properties"]) == {"refusal", "transitions", "actions"}
    transition = schema["components"]["schemas"][component["properties"]["transitions"]["items"]["$ref"].rsplit("/", 1)[1]]
    assert {"code", "name", "role_allowed", "ready", "missing"} <= set(transition["properties"])


def test_token_endpoint_schema_asks_for_no_token(schema):
    operation = schema["paths"]["/api/auth/token/"]["post"]
    assert "security" not in schema and operation.get("security") in (None, [], [{}])
    assert list(operation["requestBody"]["content"]) == ["application/json"]
    response = operation["responses"]["200"]["content"]["application/json"]["schema"]
    assert "$ref" in response




def our_filter_sets() -> list:
    """Every filter set of the project (the modules that define or use them imported first)."""
    import importlib
    import pkgutil

    import django_filters

    import zhifa

    for module in pkgutil.walk_packages(zhifa.__path__, "zhifa."):
        if module.name.endswith((".filters", ".api.views", ".views", ".public")):
            importlib.import_module(module.name)

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    return [c for c in subclasses(django_filters.FilterSet) if c.__module__.startswith("zhifa.")]


def test_every_filter_set_derives_from_the_bounded_base():
    """The bounds live in one base class: a filter set that skips it would reintroduce the 500s."""
    from zhifa.core.filters import FilterSet

    ours = our_filter_sets()
    assert len(ours) > 20
    assert [c.__qualname__ for c in ours if not issubclass(c, FilterSet)] == []


def test_a_filter_select_lists_reference_data_only(rf, users):
    """A ``<select>`` of a filter lists rows of ``CHOICE_MODELS`` (regions, agencies, units, fields,
    problem models, sources) only. A foreign key to a table that grows with the data — cases,
    parties, officers — is filtered by id (``RecordIdFilter``), whether the filter set declares it
    or ``Meta.fields`` generates it: the review queue's ``<select>`` of a city supervisor's
    1,000,000 cases took 40 s."""
    import django_filters

    from zhifa.core.filters import CHOICE_MODELS, RecordIdFilter

    request = rf.get("/")
    request.user = users.officer_a
    listed, by_id = {}, []
    for filter_set in our_filter_sets():
        for name, filter_ in filter_set.base_filters.items():
            if isinstance(filter_, RecordIdFilter):
                by_id.append(f"{filter_set.__qualname__}.{name}")
            if not isinstance(filter_, django_filters.ModelChoiceFilter | django_filters.ModelMultipleChoiceFilter):
                continue
            queryset = filter_.queryset(request) if callable(filter_.queryset) else filter_.queryset
            listed[f"{filter_set.__module__}.{filter_set.__qualname__}.{name}"] = queryset.model._meta.label
    assert len(listed) > 30
    assert {where: label for where, label in listed.items() if label not in CHOICE_MODELS} == {}
    assert {"ReviewFilterSet.case", "DiscussionFilterSet.case", "AlertFilterSet.case"} <= set(by_id)


def test_a_filter_is_named_by_its_own_or_its_range_widgets_parameter():
    from zhifa.core.filters import names_any_filter

    filters = {"kind": None, "registered_on": None}
    assert names_any_filter({"kind": "x"}, filters)
    assert names_any_filter({"registered_on_after": "2026-01-01"}, filters)
    assert not names_any_filter({"page": "2", "ordering": "-id", "search": "x", "kindness": "1"}, filters)


def test_filter_sets_that_filter_by_default_are_always_applied():
    """``AlertFilterSet`` lists open alerts when nothing is asked: the backend cannot skip it."""
    from zhifa.cases.filters import CaseFilterSet
    from zhifa.core.filters import filters_only_when_asked
    from zhifa.supervision.filters import AlertFilterSet

    assert filters_only_when_asked(CaseFilterSet)
    assert not filters_only_when_asked(AlertFilterSet)


@pytest.mark.django_db
def test_a_list_without_filter_parameters_builds_no_filter_form(api_client, users, monkeypatch):
    """The first page of a list skips django-filter's form (issue #14); any filter parameter,
    valid or not, still goes through it."""
    from zhifa.parties.filters import PartyFilterSet

    Party.objects.create(kind=Party.LEGAL, name="甲公司", id_number="91610113MA6U000011", region=users.head_a.agency.region)
    api_client.force_authenticate(users.head_a)
    built = []
    original = PartyFilterSet.__init__
    monkeypatch.setattr(PartyFilterSet, "__init__", lambda self, *a, **k: built.append(1) or original(self, *a, **k))

    everything = api_client.get("/api/parties/parties/?page=1").json()
    assert built == [] and everything["count"] >= 1
    assert api_client.get(f"/api/parties/parties/?kind={Party.LEGAL}").json()["count"] == everything["count"]
    assert built == [1]
    _error(api_client.get("/api/parties/parties/?kind=nonsense"), 400)


@pytest.mark.django_db
def test_display_fields_write_what_drf_writes_without_inspecting_signatures(users, monkeypatch):
    """``DisplayField`` answers exactly as DRF's ``CharField(source="get_x_display")`` — labels,
    through a related object, a related object not set, a dict — but never inspects a signature."""
    import inspect

    from rest_framework import serializers

    from zhifa.core.api.serializers import DisplayField
    from zhifa.people.models import Officer

    def pair(cls):
        fields = {"kind": "get_kind_display", "level": "region.get_level_display"}
        ours = type("Ours", (serializers.Serializer,), {k: DisplayField(source=v) for k, v in fields.items()})
        drf = type("Drf", (serializers.Serializer,),
                   {k: serializers.CharField(source=v, read_only=True) for k, v in fields.items()})
        return ours, drf

    ours, drf = pair(Party)
    with_region = Party(kind=Party.LEGAL, name="甲", region=users.head_a.agency.region)
    without_region = Party(kind=Party.NATURAL, name="乙")
    expected = [drf(p).data for p in (with_region, without_region)]
    assert expected[0] == {"kind": "法人", "level": with_region.region.get_level_display()}
    assert expected[1] == {"kind": "自然人", "level": None}
    signature = inspect.signature
    monkeypatch.setattr(inspect, "signature", lambda *a, **k: pytest.fail("inspected a signature"))
    assert [ours(p).data for p in (with_region, without_region)] == expected
    monkeypatch.setattr(inspect, "signature", signature)

    class Gender(serializers.Serializer):
        gender = DisplayField(source="officer.get_gender_display")

    assert Gender({"officer": Officer(gender="female")}).data == {"gender": Officer(gender="female").get_gender_display()}
