"""Sign-in steps, the user's own account security page, and account management for the
security administrator (安全管理员). The rules are in ``services``."""

import base64
import io
from urllib.parse import urlencode

import django_filters
import qrcode
import qrcode.image.svg
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View
from django_otp import login as otp_login

from zhifa.core.filters import SearchFilterSet
from zhifa.core.views import (
    ObjectDetailView,
    ObjectEditView,
    ObjectListView,
    ServiceActionView,
    add_validation_error,
)

from . import roles, services
from .forms import ConfirmForm, OtpSetupForm, OtpTokenForm, SignInForm, UserForm, password_rules_text
from .models import User
from .signals import step_done


def _next_url(request, default="home"):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return reverse(default)


# --------------------------------------------------------------------------------------
# Sign-in steps
# --------------------------------------------------------------------------------------


class SignInView(auth_views.LoginView):
    """Step 1: user name and password (lock-out applies). A second factor follows if needed."""

    form_class = SignInForm
    redirect_authenticated_user = False


class LogoutView(auth_views.LogoutView):
    """Sign out (POST); logged by ``accounts.signals``."""


class OtpVerifyView(LoginRequiredMixin, View):
    """Step 2: a code from the authenticator or a recovery code."""

    template_name = "accounts/otp_verify.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            if request.user.is_verified():
                return redirect(_next_url(request))
            if not services.has_second_factor(request.user):
                return redirect(reverse("accounts:otp_setup") + _query(request))
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        return render(request, self.template_name, {"form": OtpTokenForm(), "next": request.GET.get("next", "")})

    def post(self, request):
        form = OtpTokenForm(request.POST)
        if form.is_valid():
            device = services.verify_second_factor(request.user, form.cleaned_data["token"], request=request)
            if device is not None:
                otp_login(request, device)
                left = services.recovery_codes_left(request.user)
                if left <= 3:
                    messages.warning(request, f"您只剩 {left} 个恢复码，请在“账户安全”中重新生成。")
                return redirect(_next_url(request))
            until = services.locked_until(request.user)
            if until is not None:
                request.zhifa_logout_reason = "动态口令连续错误，账户锁定"
                logout(request)
                messages.error(request, services.lock_message(until))
                return redirect("login")
            form.add_error("token", "动态口令或恢复码不正确。")
        return render(request, self.template_name, {"form": form, "next": request.POST.get("next", "")})


def _query(request):
    nxt = request.GET.get("next") or request.POST.get("next")
    return "?" + urlencode({"next": nxt}) if nxt else ""


def _qr_svg(data: str) -> str:
    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=2)
    buffer = io.BytesIO()
    image.save(buffer)
    return buffer.getvalue().decode()


class OtpSetupView(LoginRequiredMixin, View):
    """Enrol an authenticator (TOTP): scan the QR code, confirm with a code, keep the recovery
    codes. Replacing an enrolled authenticator needs a verified session."""

    template_name = "accounts/otp_setup.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and services.has_second_factor(request.user) \
                and not request.user.is_verified():
            return redirect(reverse("accounts:otp_verify") + _query(request))
        return super().dispatch(request, *args, **kwargs)

    def render_setup(self, request, form):
        device = services.pending_totp_device(request.user)
        secret = base64.b32encode(device.bin_key).decode()
        return render(request, self.template_name, {
            "form": form, "qr_svg": _qr_svg(device.config_url),
            "secret": " ".join(secret[i:i + 4] for i in range(0, len(secret), 4)),
            "required": services.second_factor_required(request.user), "next": request.GET.get("next", ""),
        })

    def get(self, request):
        return self.render_setup(request, OtpSetupForm())

    def post(self, request):
        form = OtpSetupForm(request.POST)
        if form.is_valid():
            try:
                codes, device = services.confirm_totp_device(request.user, form.cleaned_data["token"],
                                                             request=request)
            except ValidationError as exc:
                add_validation_error(form, exc)
            else:
                otp_login(request, device)
                step_done(request, "otp")  # from now on this account signs in with a code
                return render(request, "accounts/recovery_codes.html", {
                    "codes": codes, "next": _next_url(request), "enrolled": True,
                })
        return self.render_setup(request, form)


class SecurityView(LoginRequiredMixin, View):
    """账户安全: the user's own second factor, recovery codes and password."""

    def get(self, request):
        user = request.user
        state = services.sign_in_state(user)
        return render(request, "accounts/security.html", {
            "title": "账户安全", "has_second_factor": services.has_second_factor(user),
            "second_factor_required": services.second_factor_required(user),
            "recovery_codes_left": services.recovery_codes_left(user), "state": state,
            "password_expires_at": services.password_expires_at(user),
        })


class RecoveryCodesView(LoginRequiredMixin, View):
    """Generate new recovery codes (the old ones stop working)."""

    def post(self, request):
        if not services.has_second_factor(request.user):
            messages.error(request, "请先绑定身份验证器。")
            return redirect("accounts:security")
        codes = services.new_recovery_codes(request.user, request=request)
        return render(request, "accounts/recovery_codes.html", {"codes": codes, "next": reverse("accounts:security")})


class PasswordChangeView(auth_views.PasswordChangeView):
    """Change one's own password (also the step an expired or reset password leads to)."""

    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("home")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["reason"] = services.password_change_required(self.request.user)
        ctx["rules"] = password_rules_text()
        return ctx

    def form_valid(self, form):
        response = super().form_valid(form)
        step_done(self.request, "password")
        messages.success(self.request, "密码已修改；您的 API 令牌已作废，其他设备上的登录已退出。")
        return response


# --------------------------------------------------------------------------------------
# Account management (安全管理员)
# --------------------------------------------------------------------------------------


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
        ("锁定", lambda u: f"锁定至 {services.locked_until(u):%Y-%m-%d %H:%M}" if services.locked_until(u) else "否"),
        ("双因素认证", lambda u: "已绑定身份验证器" if services.has_second_factor(u)
         else ("未绑定（首次登录时须绑定）" if services.second_factor_required(u) else "未启用")),
        ("密码修改时间", lambda u: services.sign_in_state(u).password_changed_at),
    ]
    edit_url_name = "accounts:user_edit"

    def get_extra_context(self, obj):
        return {"capabilities": roles.capability_table(),
                "is_three_admin": obj.role in roles.THREE_ADMINS or obj.is_superuser,
                "is_self": obj.pk == self.request.user.pk,
                "is_locked": services.locked_until(obj) is not None}


class UserEditView(ObjectEditView):
    model = User
    form_class = UserForm

    def get_object(self):
        obj = super().get_object()
        if obj is not None:
            services.check_account_change(self.request.user, obj, new_role=obj.role)
        return obj

    def save_form(self, form):
        user = form.save()
        original = User.objects.filter(pk=user.pk).first() if user.pk else None
        return services.save_account(user, actor=self.request.user, original=original,
                                     password=form.cleaned_data.get("password") or "", request=self.request)


class _AccountActionView(ServiceActionView):
    area = "users"
    action = "change"

    def target(self):
        try:
            return User.objects.restrict(self.request.user, "change").get(pk=self.kwargs["pk"])
        except User.DoesNotExist:
            raise Http404("记录不存在或不在您的管辖范围内。") from None

    def build_form(self, obj, data=None):
        return ConfirmForm(data)


class UserUnlockView(_AccountActionView):
    title = "解除账户锁定"
    submit_label = "解除锁定"
    intro = "账户因连续登录失败被锁定。核实是本人后可提前解除锁定；解锁会记入审计日志。"

    def page_title(self, obj):
        return f"解除账户锁定：{obj}"

    def perform(self, obj, form):
        services.unlock(obj, actor=self.request.user, request=self.request)
        return f"已解除 {obj} 的锁定。", obj.get_absolute_url()


class UserResetOtpView(_AccountActionView):
    title = "重置双因素认证"
    submit_label = "重置"
    intro = ("用户丢失手机且没有恢复码时使用：删除其身份验证器和恢复码，用户下次登录时重新绑定。"
             "三员账户只能在服务器控制台重置。")

    def page_title(self, obj):
        return f"重置双因素认证：{obj}"

    def perform(self, obj, form):
        services.reset_second_factor(obj, actor=self.request.user, request=self.request)
        return f"已重置 {obj} 的双因素认证。", obj.get_absolute_url()

