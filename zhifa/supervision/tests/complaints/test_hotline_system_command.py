"""`zhifa hotline_system` (SUP-3) goes through the page's service functions: registering, rotating
the secret and disabling are audited like the page's changes (actor 系统, never the secret), the
page's checks refuse a code registered twice, and what the command prints is the secret that signs."""

import json

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command
from django.test import Client

from zhifa.core.models import ChangeLog
from zhifa.supervision.complaints import services
from zhifa.supervision.complaints.hotline import signed_headers
from zhifa.supervision.models.complaints import HotlineSystem

pytestmark = pytest.mark.django_db


def _run(*args) -> str:
    from io import StringIO

    out = StringIO()
    call_command("hotline_system", *args, stdout=out)
    return out.getvalue()


def _audit_rows(system, action):
    return ChangeLog.objects.filter(object_id=str(system.pk), action=action,
                                    content_type=ContentType.objects.get_for_model(HotlineSystem))


def _signed_get(code, secret):
    headers = signed_headers(code, secret, b"")
    return Client().generic("GET", "/api/supervision/hotline/work-orders/GD-NONE/",
                            **{f"HTTP_{k.upper().replace('-', '_')}": v for k, v in headers.items()})


def test_add_rotate_disable_enable_through_the_services(tree, monkeypatch):
    calls = []
    for name in ("save_hotline_system", "rotate_hotline_secret", "set_hotline_active"):
        real = getattr(services, name)
        monkeypatch.setattr(services, name, lambda *a, _real=real, _name=name, **k: calls.append(_name) or _real(*a, **k))

    out = _run("add", "12345-T", "云岭县12345热线", "--source", "hotline_12345", "--region", tree.county.code,
               "--receiver", "hotline-12345")
    system = HotlineSystem.objects.get(code="12345-T")
    first = system.secret
    assert first in out and len(first) >= 40 and system.region == tree.county and system.active
    [created] = _audit_rows(system, "create")
    assert created.actor is None and created.actor_name == "系统"
    assert first not in json.dumps(created.after, ensure_ascii=False)
    assert _signed_get(system.code, first).status_code == 404  # signed: the work order is just unknown

    out = _run("rotate", "12345-T")
    system.refresh_from_db()
    assert system.secret != first and system.secret in out and first not in out
    assert _signed_get(system.code, first).status_code == 401
    assert _signed_get(system.code, system.secret).status_code == 404

    assert "已停用" in _run("disable", "12345-T")
    system.refresh_from_db()
    assert system.active is False and _signed_get(system.code, system.secret).status_code == 401
    assert "已启用" in _run("enable", "12345-T")
    system.refresh_from_db()
    assert system.active is True
    assert _audit_rows(system, "update").count() == 3  # rotate, disable, enable
    assert all(system.secret not in json.dumps(row.after, ensure_ascii=False) for row in _audit_rows(system, "update"))
    assert calls == ["save_hotline_system", "rotate_hotline_secret", "set_hotline_active", "save_hotline_system",
                     "set_hotline_active", "save_hotline_system"]
    assert "12345-T\t云岭县12345热线" in _run("list")


def test_the_services_checks_refuse_bad_input(tree):
    _run("add", "12345-T", "云岭县12345热线", "--source", "hotline_12345", "--region", tree.county.code,
         "--receiver", "hotline-12345")
    with pytest.raises(CommandError, match="热线系统编码已登记：12345-T"):
        _run("add", "12345-T", "重复", "--source", "hotline_12345", "--region", tree.county.code, "--receiver", "x")
    with pytest.raises(CommandError, match="行政区划代码不存在"):
        _run("add", "12345-U", "无此区划", "--source", "hotline_12345", "--region", "999999", "--receiver", "x")
    with pytest.raises(CommandError, match="热线系统未登记"):
        _run("rotate", "12345-NONE")
    assert HotlineSystem.objects.count() == 1
