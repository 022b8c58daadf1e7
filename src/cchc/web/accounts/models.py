"""People who sign in, their role, and API tokens for machine clients.

Roles follow the actors of docs/field.md §1; the public is anonymous and has no account.
"""

from __future__ import annotations

import hashlib
import secrets

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models


class Role(models.TextChoices):
    ADMINISTRATOR = "administrator", "Quản trị hệ thống"
    ORGANISER = "organiser", "Cơ quan tổ chức đánh giá (Nội vụ)"
    UNIT_OFFICER = "unit_officer", "Cán bộ đầu mối CCHC của đơn vị"
    APPRAISER = "appraiser", "Thành viên hội đồng thẩm định"
    LEADER = "leader", "Lãnh đạo"
    ONESTOP_OFFICER = "onestop_officer", "Công chức bộ phận một cửa"


# Roles that act for one unit only and therefore must name it.
UNIT_BOUND_ROLES = frozenset({Role.UNIT_OFFICER, Role.ONESTOP_OFFICER})


class User(AbstractUser):
    """A signed-in person with exactly one role (and a unit when the role acts for one)."""

    role = models.CharField("vai trò", max_length=32, choices=Role.choices, default=Role.LEADER)
    unit = models.ForeignKey(
        "units.Unit",
        verbose_name="đơn vị",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )

    class Meta:
        verbose_name = "người dùng"
        verbose_name_plural = "người dùng"

    def get_full_name(self) -> str:
        """The name in Vietnamese order, "Họ" (``last_name``) then "Tên" (``first_name``):
        Nguyễn Văn An, as the admin's fields are labelled; Django's default puts the given
        name first."""
        return " ".join(part for part in (self.last_name.strip(), self.first_name.strip()) if part)

    def clean(self) -> None:
        super().clean()
        if self.role in UNIT_BOUND_ROLES and self.unit_id is None:
            raise ValidationError({"unit": "Vai trò này phải gắn với một đơn vị."})

    @property
    def role_label(self) -> str:
        return Role(self.role).label if self.role in Role.values else self.role


class ApiToken(models.Model):
    """A bearer token for write endpoints; only its SHA-256 digest is stored.

    Tokens are 256-bit random strings, so a fast digest is enough (no password stretching
    needed); the prefix lets a person recognise a token in the list without revealing it.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField("tên", max_length=100)
    prefix = models.CharField(max_length=12, db_index=True)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked = models.BooleanField(default=False)

    class Meta:
        verbose_name = "mã truy cập API"
        verbose_name_plural = "mã truy cập API"

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def hash(raw: str) -> str:
        return hashlib.sha256(raw.encode("utf-8")).hexdigest()

    @classmethod
    def issue(cls, user: User, name: str) -> tuple[ApiToken, str]:
        """Create a token; the raw value is returned once and never stored."""
        raw = "cchc_" + secrets.token_urlsafe(32)
        token = cls.objects.create(user=user, name=name, prefix=raw[:12], digest=cls.hash(raw))
        return token, raw
