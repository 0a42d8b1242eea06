"""Organisation scoping: the one place that decides which rows a user may see or change.

Every organisation node has a materialised path (``Region.path``, ``Agency.tree_path``,
``Unit.tree_path``), e.g. ``/610000/610100/610113/A12/U3/``. A user's scope is the path of
the node they belong to; they see the rows whose owning node lies on or below that path.

Models opt in by using ``ScopedManager`` and declaring:

- ``scope_area``: the capability area ("orgs", "people", "catalog", "parties", ...) whose
  ``view``/``change`` capability the role must hold (see ``zhifa.accounts.roles``);
- ``scope_paths``: lookups from the model to tree paths; a row is in scope when any of
  them starts with the user's path. A model may instead override ``scope_q(user)``.

Views and the API call ``Model.objects.restrict(user, "view" | "change")`` and nothing
else; the public portal calls ``Model.objects.public()``, which returns only what the model
declares public in ``public_q()`` (nothing for models that declare nothing); ``ensure_in_scope`` is called after every save inside the transaction so nobody can
move an object out of their own reach (the NetBox rule).
"""

from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q
from django.db.models.expressions import OrderBy


def user_scope_path(user) -> str | None:
    """The tree path a user acts within: "" for everything, None for nothing."""
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    if user.is_superuser:
        return ""
    return getattr(user, "scope_path", None)


def region_part(path: str) -> str:
    """The region prefix of a tree path (the part before the first agency segment)."""
    parts = [p for p in path.split("/") if p]
    kept = []
    for part in parts:
        if not part.isdigit():
            break
        kept.append(part)
    return "/" + "".join(p + "/" for p in kept) if kept else "/"


def ancestor_paths(path: str) -> list[str]:
    """All prefixes of ``path`` that end at a node boundary, the path itself included."""
    parts = [p for p in path.split("/") if p]
    return ["/" + "".join(p + "/" for p in parts[: i + 1]) for i in range(len(parts))]


def paths_q(lookups, path: str, model=None) -> Q:
    """OR of "``lookup`` starts with ``path``" over the given lookups.

    With ``model`` given, a lookup through one foreign key (``agency__tree_path``) becomes
    ``agency_id IN (SELECT id FROM agency WHERE tree_path LIKE 'path%')``: the prefix scan
    runs on the small organisation table and the large table is reached through its
    foreign-key index, so a scoped list stays flat as rows grow (a LIKE on the large table,
    or a join the planner starts from the large table, would scan it).
    """
    q = Q()
    for lookup in lookups:
        parts = lookup.split("__")
        field = _foreign_key(model, parts[0]) if model is not None and len(parts) == 2 else None
        if field is not None:
            related = field.related_model._base_manager.filter(**{f"{parts[1]}__startswith": path}).values("pk")
            q |= Q(**{f"{parts[0]}__in": related})
        else:
            q |= Q(**{f"{lookup}__startswith": path})
    return q


# Beyond this many ids a scope stays a subquery (such a scope is most of the table anyway).
SCOPE_ID_LIST_MAX = 2000


def ids_q(model, fk_name: str, path: str, path_field: str = "tree_path") -> Q:
    """``fk IN (…)`` over the related rows whose ``path_field`` lies on or under ``path``, the
    ids read first from the small organisation table (issue #14).

    The planner then sees constants: one id becomes ``fk_id = N`` and is read in the order of
    an index starting with the foreign key (``(home_agency, name, id)``), several a short list
    it checks while walking the list's order index — a page stops after its rows instead of
    collecting and sorting every row in scope. Beyond ``SCOPE_ID_LIST_MAX`` ids the subquery
    stays. Scoping is the same rule as ``paths_q``, computed in two steps.
    """
    related = model._meta.get_field(fk_name).related_model
    ids = ids_under(related, path, path_field)
    if ids is None:
        return Q(**{f"{fk_name}__in": related._base_manager.filter(**{f"{path_field}__startswith": path})
                    .values("pk")})
    return Q(**{f"{fk_name}_id__in": ids})


def ids_under(model, path: str, path_field: str = "tree_path") -> list | None:
    """Ids of the organisation nodes (``model``) on or under ``path``, or None beyond
    ``SCOPE_ID_LIST_MAX`` of them."""
    return capped_ids(model._base_manager.filter(**{f"{path_field}__startswith": path}))


def capped_ids(rows) -> list | None:
    """The ids of ``rows``, or None beyond ``SCOPE_ID_LIST_MAX`` of them. Read unordered: a
    model's list order would join and sort (the agency's is by region code) in a statement
    that every scoped list runs."""
    ids = list(rows.order_by().values_list("pk", flat=True)[: SCOPE_ID_LIST_MAX + 1])
    return None if len(ids) > SCOPE_ID_LIST_MAX else ids


def _foreign_key(model, name):
    try:
        field = model._meta.get_field(name)
    except Exception:  # noqa: BLE001  (not a field of this model)
        return None
    return field if getattr(field, "many_to_one", False) else None


# A page of a scope of at most this many owners may be read owner by owner (``walk_owners``);
# a scope of more owners covers much of the table, and its list-order walk meets rows at once.
OWNER_WALK_MAX = 32


class OwnerWalkMixin:
    """Read a page of a multi-owner scope owner by owner, in list order (issue #14).

    A county's party list is ``region_id IN (county, townships, city, province) ORDER BY name, id``.
    Walking the name index and filtering by region reads every other region's entries that sort
    before the page (party names correlate with regions: 200,000 entries skipped, 684 ms, at 1M).
    ``walk_owners(field, ids, order)`` marks a queryset so that a slice ``[a:b]`` of it, ordered by
    ``order``, is read as: for each owner, its first ``b`` rows from an index leading with the
    owner column (``(region, name, id)``), ``UNION ALL`` of those, then the page — at most
    ``len(ids) × b`` rows whatever the table's size. The outer query keeps every filter, so the rows
    and their order are exactly those of the plain slice: the first ``b`` rows overall are among the
    first ``b`` of each owner.

    Only where the database takes ``ORDER BY … LIMIT`` inside a compound statement (PostgreSQL;
    not SQLite, whose planner reads the scope differently anyway), for 2…``OWNER_WALK_MAX`` owners,
    and only for a slice ordered exactly by ``order`` (a count, ``exists()`` or another ordering
    runs the plain query).
    """

    _owner_walk = None  # (field, ids, order)
    _sort_matches = False

    def _clone(self):
        clone = super()._clone()
        clone._owner_walk = self._owner_walk
        clone._sort_matches = self._sort_matches
        return clone

    def sort_matches(self):
        """Order a slice by expressions no index provides (``name || ''``, ``id + 0``, same
        order): the database then collects the rows from the index that found them (a trigram
        index for a rare name) and sorts them, instead of walking the list-order index until a
        page of them turns up — which for names sorting together (长安食品…: a place name and a
        trade) read 795,000 index entries, 4.3 s, at one million parties (issue #14)."""
        qs = self._chain()
        qs._sort_matches = True
        return qs

    def _unindexed_order(self):
        ordering = tuple(self.query.order_by) or (tuple(self.model._meta.ordering)
                                                   if self.query.default_ordering else ())
        if not ordering or not all(isinstance(o, str) for o in ordering):
            return None
        terms = []
        for name in ordering:
            descending, name = name.startswith("-"), name.lstrip("-")
            field = self.model._meta.pk if name == "pk" else self.model._meta.get_field(name)
            terms.append(OrderBy(UnindexedColumn(models.F(field.attname), output_field=field),
                                 descending=descending))
        qs = self._chain()
        qs._sort_matches = False
        return qs.order_by(*terms)

    def walk_owners(self, field: str, ids, order):
        qs = self._chain()
        ids = tuple(ids)
        qs._owner_walk = (field, ids, tuple(order)) if 1 < len(ids) <= OWNER_WALK_MAX else None
        return qs

    def without_owner_walk(self):
        """The plain query (e.g. when a search has its own index)."""
        qs = self._chain()
        qs._owner_walk = None
        return qs

    def _walked(self, top: int):
        from django.db import connections

        field, ids, order = self._owner_walk
        ordering = tuple(self.query.order_by) or (tuple(self.model._meta.ordering)
                                                   if self.query.default_ordering else ())
        features = connections[self.db].features
        if (ordering != order or self.query.is_sliced or self.query.distinct or self.query.combinator
                or not features.supports_slicing_ordering_in_compound):
            return None
        base = self._chain()
        base._owner_walk = None
        branches = [base.filter(**{field: owner}).order_by(*order).values("pk")[:top] for owner in ids]
        return base.filter(pk__in=branches[0].union(*branches[1:], all=True))

    def __getitem__(self, k):
        if (isinstance(k, slice) and self._owner_walk and self._result_cache is None
                and isinstance(k.stop, int) and k.stop > 0 and k.step is None):
            walked = self._walked(k.stop)
            if walked is not None:
                return walked[k]
        if isinstance(k, slice) and self._sort_matches and self._result_cache is None:
            sorted_ = self._unindexed_order()
            if sorted_ is not None:
                return sorted_[k]
        return super().__getitem__(k)


class UnindexedColumn(models.Func):
    """A column as an expression with the column's value and order that no index matches:
    ``(col || '')`` for text, ``(col + 0)`` otherwise (``OwnerWalkMixin.sort_matches``)."""

    arity = 1

    def as_sql(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.source_expressions[0])
        text = self.output_field.get_internal_type() in ("CharField", "TextField", "SlugField", "EmailField")
        return (f"({sql} || '')" if text else f"({sql} + 0)"), params


class ScopedQuerySet(models.QuerySet):
    """QuerySet with ``restrict(user, action)``, the only door to access-controlled rows."""

    def restrict(self, user, action: str = "view"):
        """Rows of this queryset that ``user`` may perform ``action`` on."""
        path = user_scope_path(user)
        if path is None:
            return self.none()
        model = self.model
        if not user.is_superuser and not user.has_capability(model.scope_area, action):
            return self.none()
        if path == "":
            return self
        return self.filter(model.scope_q(user, path))

    def public(self):
        """Rows anyone may see without logging in (the public portal, PUB-1…4).

        A model is public only where it declares ``public_q()``; every other model returns
        nothing, so a portal view built on the wrong model shows an empty page, not data.
        """
        declared = getattr(self.model, "public_q", None)
        condition = declared() if declared is not None else None
        if condition is None:
            return self.none()
        return self.filter(condition)


ScopedManager = models.Manager.from_queryset(ScopedQuerySet)


class ScopedModel(models.Model):
    """Abstract base of every access-controlled model."""

    scope_area: str = ""
    scope_paths: tuple[str, ...] = ()

    objects = ScopedManager()

    class Meta:
        abstract = True

    @property
    def owner_path(self) -> str:
        """Tree path of the node that owns this row (first of ``scope_paths``)."""
        value = self
        for part in self.scope_paths[0].split("__") if self.scope_paths else ():
            value = getattr(value, part, None)
            if value is None:
                return ""
        return value if isinstance(value, str) else ""

    @classmethod
    def scope_q(cls, user, path: str) -> Q:
        """The filter selecting rows within ``path``; override for special rules."""
        return paths_q(cls.scope_paths, path, model=cls)

    @classmethod
    def public_q(cls) -> Q | None:
        """The filter selecting the rows published on the portal; ``None``: nothing is public."""
        return None


def get_in_scope(queryset, user, action: str = "view", **lookup):
    """The one row matching ``lookup`` among those ``user`` may ``action``, or Http404 (a row
    outside the user's reach is answered exactly like a row that does not exist)."""
    from django.core.exceptions import ValidationError
    from django.http import Http404

    try:
        return queryset.restrict(user, action).get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError, ValidationError):
        # a malformed identifier ("abc" for a number) is a row that does not exist
        raise Http404("记录不存在或不在您的管辖范围内。") from None


def ensure_in_scope(obj, user, action: str = "change") -> None:
    """Raise PermissionDenied unless ``obj`` (already saved) is within the user's reach.

    Call inside the transaction that saved it, so the save rolls back.
    """
    if not type(obj).objects.restrict(user, action).filter(pk=obj.pk).exists():
        raise PermissionDenied("该记录不在您的管辖范围内，不能保存。")
