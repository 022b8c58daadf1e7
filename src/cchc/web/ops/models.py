"""The audit log as stored: append-only rows chained by SHA-256 (``cchc.audit``).

Append-only is enforced three times: the model and its queryset refuse update and delete,
PostgreSQL has a trigger that refuses UPDATE and DELETE on the table (migration 0002), and
whatever still gets through — a superuser with SQL — breaks the hash chain, which
``cchc audit verify`` reports.
"""

from __future__ import annotations

from typing import Any

from django.db import models


class AppendOnlyError(RuntimeError):
    """Someone tried to change or remove an audit entry."""


class AuditEntryQuerySet(models.QuerySet["AuditEntry"]):
    def update(self, **kwargs: Any) -> int:
        raise AppendOnlyError("Nhật ký kiểm toán chỉ được ghi thêm, không được sửa.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("Nhật ký kiểm toán chỉ được ghi thêm, không được xóa.")


class AuditEntry(models.Model):
    """One audited change (see ``cchc.audit.Entry`` for the meaning of each field)."""

    seq = models.PositiveBigIntegerField("số thứ tự", unique=True)
    at = models.DateTimeField("thời điểm")
    actor = models.CharField("người thực hiện", max_length=150)
    action = models.CharField("hành động", max_length=64)
    object_type = models.CharField("loại đối tượng", max_length=64)
    object_id = models.CharField("mã đối tượng", max_length=128)
    field = models.CharField("trường", max_length=64, blank=True)
    old = models.TextField("giá trị cũ", null=True, blank=True)
    new = models.TextField("giá trị mới", null=True, blank=True)
    reason = models.TextField("lý do", blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        ordering = ["seq"]
        indexes = [models.Index(fields=["object_type", "object_id"])]
        verbose_name = "nhật ký kiểm toán"
        verbose_name_plural = "nhật ký kiểm toán"

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.object_type}:{self.object_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("Nhật ký kiểm toán chỉ được ghi thêm, không được sửa.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("Nhật ký kiểm toán chỉ được ghi thêm, không được xóa.")


class AuditHead(models.Model):
    """The chain's last ``seq`` and hash, one row. Appenders lock it, so two transactions
    never take the same ``seq``; ``verify`` compares the chain's end with it."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    seq = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64, default="0" * 64)

    class Meta:
        verbose_name = "đầu chuỗi nhật ký"
        verbose_name_plural = "đầu chuỗi nhật ký"

    def __str__(self) -> str:
        return f"#{self.seq} {self.hash[:12]}…"
