"""The portal's complaint pages (网上投诉举报, no login): the form, the query-code status page and
the satisfaction rating. Nothing here ever reads or shows the complainant's identity.

Abuse resistance without any online service (no CAPTCHA provider):

1. a **signed, time-stamped form token** (``django.core.signing``; valid 2 hours, not before
   ``ZHIFA_COMPLAINT_MIN_SECONDS`` = 3 s after the form was served, usable once — its nonce is
   remembered in the cache);
2. a **hashcash proof-of-work** computed by the browser from the token
   (``static/supervision/complaint-pow.js``: a counter such that SHA-256(token ":" counter)
   starts with ``ZHIFA_COMPLAINT_POW_BITS`` = 16 zero bits — about 65,000 hashes, well under a
   second on a phone, costly for a bulk sender);
3. a **honeypot** field (``website``) hidden by the style sheet that people leave empty;
4. a **per-address daily limit** (``ZHIFA_COMPLAINT_DAILY_LIMIT`` = 5 submissions, counted in
   the cache), on top of the portal's request rate limit (``zhifa.core.public``).

The query code (查询码) is shown once on the page answering the submission; only its keyed hash is
stored. The status page takes it by POST, so it never appears in a URL, a log or a cache.
"""

import datetime
import hashlib
import secrets
import time

from django import forms
from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from zhifa.core.public import client_address
from zhifa.orgs.models import Agency, Region

from ..models.complaints import KIND_CHOICES, PORTAL, SATISFACTION_CHOICES
from . import procedure as proc
from . import services

TOKEN_SALT = "zhifa.complaints.portal-form"
TOKEN_MAX_AGE = 2 * 60 * 60
LOOKUP_LIMIT_PER_HOUR = 30


def _setting(name, default):
    return int(getattr(settings, name, default))


def new_form_token() -> str:
    """A signed token for one form: a random nonce, the time it was served, the difficulty."""
    return signing.dumps({"n": secrets.token_hex(8), "t": int(time.time()),
                          "d": _setting("ZHIFA_COMPLAINT_POW_BITS", 16)}, salt=TOKEN_SALT)


def leading_zero_bits(digest: bytes) -> int:
    bits = 0
    for byte in digest:
        if byte == 0:
            bits += 8
            continue
        return bits + 8 - byte.bit_length()
    return bits


def solve(token: str, bits: int) -> str:
    """The counter the browser finds (tests and the hotline demo use it)."""
    counter = 0
    while leading_zero_bits(hashlib.sha256(f"{token}:{counter}".encode()).digest()) < bits:
        counter += 1
    return str(counter)


def check_submission(token: str, proof: str, honeypot: str, address: str) -> None:
    """Raise ValidationError (a Chinese message) unless the submission passes every check."""
    if honeypot:
        raise ValidationError("提交未通过校验，请刷新页面后重新填写。")
    try:
        data = signing.loads(token or "", salt=TOKEN_SALT, max_age=TOKEN_MAX_AGE)
    except signing.SignatureExpired:
        raise ValidationError("表单已过期，请刷新页面后重新填写。") from None
    except signing.BadSignature:
        raise ValidationError("提交未通过校验，请刷新页面后重新填写。") from None
    if time.time() - data["t"] < _setting("ZHIFA_COMPLAINT_MIN_SECONDS", 3):
        raise ValidationError("提交过快，请核对内容后再提交。")
    digest = hashlib.sha256(f"{token}:{proof}".encode()).digest()
    if not (proof or "").isdigit() or leading_zero_bits(digest) < int(data["d"]):
        raise ValidationError("浏览器校验未完成：请启用 JavaScript，等待“提交”按钮可用后再提交。")
    day_key = f"zhifa:complaints:day:{datetime.date.today():%Y%m%d}:{address}"
    cache.add(day_key, 0, timeout=26 * 3600)
    if cache.incr(day_key) > _setting("ZHIFA_COMPLAINT_DAILY_LIMIT", 5):
        raise ValidationError("今日从本网络提交的投诉举报已达上限，请明日再提交或拨打12345热线。")
    if not cache.add(f"zhifa:complaints:token:{data['n']}", 1, timeout=TOKEN_MAX_AGE + 60):
        raise ValidationError("该表单已经提交过，请勿重复提交。")


class PortalComplaintForm(forms.Form):
    kind = forms.ChoiceField(label="类别", choices=KIND_CHOICES)
    region = forms.ModelChoiceField(label="事发地（县区或乡镇）", queryset=Region.objects.none())
    agency = forms.ModelChoiceField(label="反映的执法部门（不清楚可不选）", queryset=Agency.objects.none(), required=False)
    reported_name = forms.CharField(label="被投诉举报的单位或个人", max_length=200, required=False)
    subject = forms.CharField(label="事由", max_length=200)
    content = forms.CharField(label="具体内容", widget=forms.Textarea(attrs={"rows": 6}), max_length=5000)
    place = forms.CharField(label="事发地点", max_length=200, required=False)
    anonymous = forms.BooleanField(label="匿名投诉举报（不留姓名和电话；无法电话回访）", required=False)
    name = forms.CharField(label="姓名", max_length=50, required=False)
    phone = forms.CharField(label="联系电话", max_length=40, required=False)
    website = forms.CharField(label="网址（请勿填写）", required=False,
                              widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}))
    token = forms.CharField(widget=forms.HiddenInput)
    proof = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = Region.objects.public().exclude(path__regex=r"^/\d+/$").order_by("path")
        self.fields["agency"].queryset = Agency.objects.public().exclude(kind="supervision").order_by("region__path",
                                                                                                      "name")


class QueryForm(forms.Form):
    code = forms.CharField(label="查询码", max_length=30)


class RateForm(QueryForm):
    satisfaction = forms.ChoiceField(label="您对办理结果的评价", choices=SATISFACTION_CHOICES, widget=forms.RadioSelect)


def _render(request, template, context, status=200):
    response = render(request, template, context, status=status)
    response["Cache-Control"] = "private, no-store"
    return response


@never_cache
def complaint_new(request):
    """The public complaint form, and the page that shows the query code once."""
    if request.method == "POST":
        form = PortalComplaintForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                check_submission(data["token"], data["proof"], data["website"], client_address(request))
                complaint, code = services.receive(
                    source=PORTAL, kind=data["kind"], region=data["region"], agency=data["agency"],
                    reported_name=data["reported_name"], subject=data["subject"], content=data["content"],
                    place=data["place"], anonymous=data["anonymous"],
                    complainant={"name": data["name"], "phone": data["phone"]}, with_query_code=True)
            except ValidationError as exc:
                for message in (exc.messages if not hasattr(exc, "error_dict") else
                                [m for msgs in exc.message_dict.values() for m in msgs]):
                    form.add_error(None, message)
            else:
                return _render(request, "supervision/portal_complaint_done.html",
                               {"title": "投诉举报已提交", "complaint": complaint, "code": code})
        data = form.data.copy()
        data["token"] = new_form_token()
        data["proof"] = ""
        form.data = data
    else:
        form = PortalComplaintForm(initial={"token": new_form_token()})
    return _render(request, "supervision/portal_complaint_form.html",
                   {"title": "投诉举报", "form": form, "pow_token": form["token"].value(),
                    "pow_bits": _setting("ZHIFA_COMPLAINT_POW_BITS", 16)})


def _lookup_allowed(request) -> bool:
    key = f"zhifa:complaints:lookup:{int(time.time() // 3600)}:{client_address(request)}"
    cache.add(key, 0, timeout=3700)
    return cache.incr(key) <= LOOKUP_LIMIT_PER_HOUR


@never_cache
def complaint_status(request):
    """The status of a complaint by its query code (POST): status, dates, reply — never identity."""
    complaint, form, error, rate_form = None, QueryForm(), "", None
    if request.method == "POST":
        form = RateForm(request.POST) if "satisfaction" in request.POST else QueryForm(request.POST)
        if not _lookup_allowed(request):
            error = "查询过于频繁，请一小时后再试。"
        elif form.is_valid():
            complaint = services.find_by_query_code(form.cleaned_data["code"])
            if complaint is None:
                error = "查询码不正确。"
            elif isinstance(form, RateForm):
                try:
                    complaint = services.record_satisfaction(complaint, form.cleaned_data["satisfaction"],
                                                             channel=PORTAL)
                except ValidationError as exc:
                    error = "；".join(exc.messages)
    if complaint is not None and complaint.status in (proc.REPLIED, proc.CLOSED) and not complaint.satisfaction:
        rate_form = RateForm(initial={"code": request.POST.get("code", "")})
    return _render(request, "supervision/portal_complaint_status.html", {
        "title": "投诉举报办理查询", "form": QueryForm(initial={"code": request.POST.get("code", "")}),
        "complaint": complaint, "status": proc.status(complaint.status) if complaint else None,
        "progress": services.public_progress(complaint) if complaint else [],
        "error": error, "rate_form": rate_form,
    })
