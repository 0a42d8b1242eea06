"""User accounts (用户). A user has one role and belongs to one organisation node."""

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models

from zhifa.core.audit import AuditedModel
from zhifa.core.scoping import ScopedQuerySet, paths_q

from . import roles


class ScopedUserManager(UserManager.from_queryset(ScopedQuerySet)):
    """Django's user manager with ``restrict`` (security administrators see their subtree)."""


class User(AuditedModel, AbstractUser):
    """A person who logs in. Their role decides what they may do, their organisation node
    (region, agency or unit; the most specific one set) decides where."""

    display_name = models.CharField("姓名", max_length=50, blank=True)
    role = models.CharField("角色", max_length=20, choices=roles.ROLE_CHOICES, default=roles.OFFICER)
    region = models.ForeignKey(
        "orgs.Region", verbose_name="所属行政区划", null=True, blank=True, on_delete=models.PROTECT, related_name="users"
    )
    agency = models.ForeignKey(
        "orgs.Agency", verbose_name="所属执法主体", null=True, blank=True, on_delete=models.PROTECT, related_name="users"
    )
    unit = models.ForeignKey(
        "orgs.Unit", verbose_name="所属执法机构", null=True, blank=True, on_delete=models.PROTECT, related_name="users"
    )

    objects = ScopedUserManager()

    scope_area = "users"

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"
        ordering = ["username"]

    def __str__(self):
        return self.display_name or self.username

    def get_full_name(self):
        return self.display_name or super().get_full_name()

    def clean(self):
        super().clean()
        if not self.is_superuser and not (self.region_id or self.agency_id or self.unit_id):
            raise ValidationError("用户必须属于一个行政区划、执法主体或执法机构。")
        if self.unit_id and self.agency_id and self.unit.agency_id != self.agency_id:
            raise ValidationError({"unit": "所选执法机构不属于所选执法主体。"})

    def save(self, *args, **kwargs):
        """Save; when a password was set, record it in the history and revoke the account's
        API tokens (sessions end by themselves: their hash no longer matches)."""
        password_set = self._password is not None
        created = self.pk is None
        super().save(*args, **kwargs)
        if password_set:
            from .services import password_was_set

            password_was_set(self, created=created)

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("accounts:user_detail", args=[self.pk])

    @classmethod
    def scope_q(cls, user, path):
        return paths_q(("region__path", "agency__tree_path", "unit__tree_path"), path)

    @property
    def owner_path(self) -> str:
        return self.scope_path or ""

    @property
    def scope_path(self) -> str | None:
        """The tree path of the most specific organisation node the user belongs to.

        Supervisors (执法监督人员) and administrators act for a region and see its whole
        subtree; everyone else is held to their agency (or unit, for unit members).
        """
        if self.role in (roles.SUPERVISOR, roles.SYSTEM_ADMIN, roles.SECURITY_ADMIN, roles.AUDIT_ADMIN):
            if self.region_id:
                return self.region.path
            if self.agency_id:
                return self.agency.tree_path
            return None
        if self.agency_id:
            return self.agency.tree_path
        if self.unit_id:
            return self.unit.agency.tree_path
        if self.region_id:
            return self.region.path
        return None

    def has_capability(self, area: str, action: str) -> bool:
        """Whether this user's role allows ``action`` in ``area`` (scope aside)."""
        if not self.is_active:
            return False
        if self.is_superuser:
            return True
        return roles.role_can(self.role, area, action)


class SignInState(models.Model):
    """An account's sign-in state: consecutive failures, lock-out, password age.

    Not an audited model: every change of it is a security event in the audit trail
    (``log_security_event``: login_failed, lockout, unlock, password)."""

    user = models.OneToOneField(User, primary_key=True, on_delete=models.CASCADE, related_name="sign_in_state")
    failed_attempts = models.PositiveIntegerField("连续登录失败次数", default=0)
    locked_until = models.DateTimeField("锁定至", null=True, blank=True)
    password_changed_at = models.DateTimeField("密码修改时间", null=True, blank=True)
    must_change_password = models.BooleanField("下次登录须修改密码", default=False)

    class Meta:
        verbose_name = "登录状态"
        verbose_name_plural = "登录状态"

    def __str__(self):
        return f"{self.user}"


class PasswordHistory(models.Model):
    """Hashes of an account's recent passwords (密码历史), so that they are not reused."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="password_history")
    encoded = models.CharField("密码哈希", max_length=128)
    created = models.DateTimeField("设置时间")

    class Meta:
        verbose_name = "密码历史"
        verbose_name_plural = "密码历史"
        ordering = ["-created", "-id"]

    def __str__(self):
        return f"{self.user} {self.created:%Y-%m-%d}"
