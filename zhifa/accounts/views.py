"""Account management pages for the security administrator (安全管理员)."""

import django_filters

from zhifa.core.filters import SearchFilterSet
from zhifa.core.views import ObjectDetailView, ObjectEditView, ObjectListView

from . import roles
from .forms import UserForm
from .models import User


class UserFilterSet(SearchFilterSet):
    search_fields = ("username", "display_name")
    role = django_filters.ChoiceFilter(label="角色", choices=roles.ROLE_CHOICES)

    class Meta:
        model = User
        fields = ["q", "role", "is_active"]


class UserListView(ObjectListView):
    model = User
    filterset_class = UserFilterSet
    select_related = ("region", "agency", "unit")
    title = "用户管理"
    columns = [
        ("用户名", "username"), ("姓名", "display_name"), ("角色", "role"),
        ("所属", lambda u: u.unit or u.agency or u.region), ("启用", lambda u: "是" if u.is_active else "否"),
    ]
    create_url_name = "accounts:user_create"


class UserDetailView(ObjectDetailView):
    model = User
    template_name = "accounts/user_detail.html"
    fields = [
        ("用户名", "username"), ("姓名", "display_name"), ("角色", "role"), ("所属行政区划", "region"),
        ("所属执法主体", "agency"), ("所属执法机构", "unit"), ("启用", lambda u: "是" if u.is_active else "否"),
        ("最近登录", "last_login"),
    ]
    edit_url_name = "accounts:user_edit"

    def get_extra_context(self, obj):
        return {"capabilities": roles.capability_table()}


class UserEditView(ObjectEditView):
    model = User
    form_class = UserForm
