"""Generic, scoped list / detail / edit views that every app's pages are built from.

A page declares its model, columns, filterset and form; the view does scoping (always
through ``restrict``), search, filters, pagination, CSV-free Excel export and saving inside
a transaction that is rolled back if the object would leave the user's reach.
"""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect
from django.views.generic import TemplateView

from .pagination import CappedPaginator
from .scoping import ensure_in_scope


def resolve(obj, accessor):
    """Value of a dotted attribute path or a callable on ``obj``; display values for choices."""
    if callable(accessor):
        return accessor(obj)
    value = obj
    for part in accessor.split("."):
        if value is None:
            return None
        display = getattr(value, f"get_{part}_display", None)
        value = display() if display else getattr(value, part)
        if callable(value) and not hasattr(value, "all"):
            value = value()
    return value


class CapabilityRequiredMixin(LoginRequiredMixin):
    """Log-in required, and the role must hold ``(area, action)``."""

    area: str = ""
    action: str = "view"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if self.area and not request.user.has_capability(self.area, self.action):
            raise PermissionDenied("您的角色没有此项操作权限。")
        return super().dispatch(request, *args, **kwargs)


class ObjectListView(CapabilityRequiredMixin, TemplateView):
    """A searchable, filterable, paginated list of one scoped model."""

    template_name = "core/object_list.html"
    model = None
    columns: list[tuple[str, object]] = []  # (header, accessor); the first links to the detail page
    filterset_class = None
    search_fields: tuple[str, ...] = ()
    select_related: tuple[str, ...] = ()
    prefetch_related: tuple[str, ...] = ()
    title = ""
    create_url_name = ""
    import_key = ""  # key of the Excel spec for the import/export buttons
    paginate_by = 50

    @property
    def area(self):
        return self.model.scope_area

    def get_queryset(self):
        qs = self.model.objects.restrict(self.request.user, "view")
        if self.select_related:
            qs = qs.select_related(*self.select_related)
        if self.prefetch_related:
            qs = qs.prefetch_related(*self.prefetch_related)
        return qs

    def filter_queryset(self, qs):
        self.filterset = None
        if self.filterset_class is not None:
            self.filterset = self.filterset_class(self.request.GET or None, queryset=qs, request=self.request)
            qs = self.filterset.qs
        return qs

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        qs = self.filter_queryset(self.get_queryset())
        page = CappedPaginator(qs, self.paginate_by).get_page(self.request.GET.get("page"))
        rows = [(obj, [resolve(obj, acc) for _, acc in self.columns]) for obj in page.object_list]
        query = self.request.GET.copy()
        query.pop("page", None)
        ctx.update(
            title=self.title or self.model._meta.verbose_name_plural,
            headers=[h for h, _ in self.columns],
            rows=rows,
            page=page,
            filterset=self.filterset,
            querystring=query.urlencode(),
            can_change=self.request.user.has_capability(self.model.scope_area, "change"),
            create_url_name=self.create_url_name,
            import_key=self.import_key,
            can_import=self.request.user.has_capability("imports", "change"),
        )
        return ctx


class ObjectDetailView(CapabilityRequiredMixin, TemplateView):
    """One scoped object: its fields, related lists, and its audit history link."""

    template_name = "core/object_detail.html"
    model = None
    fields: list[tuple[str, object]] = []
    edit_url_name = ""

    @property
    def area(self):
        return self.model.scope_area

    def get_object(self):
        try:
            return self.model.objects.restrict(self.request.user, "view").get(pk=self.kwargs["pk"])
        except self.model.DoesNotExist:
            raise Http404("记录不存在或不在您的管辖范围内。") from None

    def get_extra_context(self, obj):
        """Hook for related tables and actions."""
        return {}

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        obj = self.get_object()
        can_change = self.model.objects.restrict(self.request.user, "change").filter(pk=obj.pk).exists()
        ctx.update(
            object=obj,
            title=str(obj),
            model_name=self.model._meta.verbose_name,
            field_rows=[(label, resolve(obj, acc)) for label, acc in self.fields],
            edit_url_name=self.edit_url_name if can_change else "",
            can_change=can_change,
        )
        ctx.update(self.get_extra_context(obj))
        return ctx


class ObjectEditView(CapabilityRequiredMixin, TemplateView):
    """Create (no ``pk``) or update a scoped object with a ``ScopedModelForm``."""

    template_name = "core/object_edit.html"
    model = None
    form_class = None
    action = "change"

    @property
    def area(self):
        return self.model.scope_area

    def get_object(self):
        if "pk" not in self.kwargs:
            return None
        try:
            return self.model.objects.restrict(self.request.user, "change").get(pk=self.kwargs["pk"])
        except self.model.DoesNotExist:
            raise Http404("记录不存在或不在您的管辖范围内。") from None

    def get_form(self, obj):
        data = self.request.POST if self.request.method == "POST" else None
        files = self.request.FILES if self.request.method == "POST" else None
        return self.form_class(data, files, instance=obj, user=self.request.user)

    def save_form(self, form):
        """Save inside a transaction; roll back if the object leaves the user's reach."""
        with transaction.atomic():
            obj = form.save()
            ensure_in_scope(obj, self.request.user)
        return obj

    def get(self, request, *args, **kwargs):
        obj = self.get_object()
        return self.render_to_response(self.get_context_data(form=self.get_form(obj), object=obj))

    def post(self, request, *args, **kwargs):
        obj = self.get_object()
        form = self.get_form(obj)
        if form.is_valid():
            try:
                saved = self.save_form(form)
            except PermissionDenied as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, f"已保存：{saved}")
                return redirect(saved.get_absolute_url())
        return self.render_to_response(self.get_context_data(form=form, object=obj))

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        obj = kwargs.get("object")
        verbose = self.model._meta.verbose_name
        ctx["title"] = f"修改{verbose}：{obj}" if obj else f"新增{verbose}"
        return ctx


def add_validation_error(form, exc: ValidationError) -> None:
    """Put a service's ValidationError on the form (by field where it names one)."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            for message in errors:
                form.add_error(name if name in form.fields else None, message)
    else:
        for message in exc.messages:
            form.add_error(None, message)


def run_on_form(form, call) -> bool:
    """Call a service (``call()``); its ValidationError goes onto ``form`` (by field where it names
    one), a PermissionDenied too, as a form error. True when the service succeeded."""
    try:
        call()
    except ValidationError as exc:
        add_validation_error(form, exc)
    except PermissionDenied as exc:
        form.add_error(None, str(exc))
    else:
        return True
    return False


def submit_form(request, form, perform, success: str):
    """A posted ``form`` handed to a service: ``perform(cleaned_data)`` returns the object acted on;
    on success the message ``success`` and a redirect to that object's page, otherwise None (not
    posted, invalid, or refused by the service — its reason is on the form) so the caller renders
    the form again."""
    if request.method != "POST" or not form.is_valid():
        return None
    done = []
    if not run_on_form(form, lambda: done.append(perform(form.cleaned_data))):
        return None
    messages.success(request, success)
    return redirect(done[0].get_absolute_url())


class ServiceActionView(CapabilityRequiredMixin, TemplateView):
    """A form page that calls one service: ``target()`` is the object acted on, ``build_form``
    makes the form, ``perform(obj, form)`` calls the service and returns (message, url).
    A ValidationError goes back onto the form, a PermissionDenied is shown with status 403."""

    area = ""
    action = "change"
    template_name = "core/action_form.html"
    title = ""
    submit_label = "提交"
    intro = ""

    def target(self):
        raise Http404

    def back_url(self, obj):
        return obj.get_absolute_url()

    def build_form(self, obj, data=None):
        raise Http404

    def perform(self, obj, form):
        raise Http404

    def extra(self, obj):
        return {}

    def page_title(self, obj) -> str:
        return self.title

    def render_page(self, obj, form, status=200):
        title = self.page_title(obj)
        ctx = self.get_context_data(form=form, object=obj, title=title, heading=title, intro=self.intro,
                                    submit_label=self.submit_label, back_url=self.back_url(obj), **self.extra(obj))
        return self.render_to_response(ctx, status=status)

    def get(self, request, *args, **kwargs):
        obj = self.target()
        return self.render_page(obj, self.build_form(obj))

    def post(self, request, *args, **kwargs):
        obj = self.target()
        form = self.build_form(obj, request.POST)
        status = 200
        if form.is_valid():
            try:
                message, url = self.perform(obj, form)
            except ValidationError as exc:
                add_validation_error(form, exc)
            except PermissionDenied as exc:
                form.add_error(None, str(exc))
                status = 403
            else:
                messages.success(request, message)
                return redirect(url)
        return self.render_page(obj, form, status=status)
