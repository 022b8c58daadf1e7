"""Administrative units in the database: a copy of ``cchc.units`` that campaigns and accounts point to."""

from __future__ import annotations

from django.db import models

LEVEL_CHOICES = [
    ("province", "Cấp tỉnh"),
    ("district", "Cấp huyện"),
    ("commune", "Cấp xã"),
    ("agency", "Cơ quan, đơn vị"),
]


class Unit(models.Model):
    """An assessed unit; ``code`` is the registry's id: the official code, or
    ``<code>@2025-06-30`` for a unit whose code a later unit took (``cchc.units``). Codes
    used before (the demo's ``HNH``, ``BSO``) are its ``aliases``."""

    code = models.CharField("mã", max_length=32, unique=True)
    name = models.CharField("tên", max_length=200)
    level = models.CharField("cấp", max_length=16, choices=LEVEL_CHOICES)
    kind = models.CharField("loại", max_length=32, blank=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    valid_from = models.DateField("hiệu lực từ", null=True, blank=True)
    valid_to = models.DateField("hiệu lực đến", null=True, blank=True)
    source = models.TextField("căn cứ", blank=True)

    class Meta:
        ordering = ["level", "code"]
        verbose_name = "đơn vị"
        verbose_name_plural = "đơn vị"

    def __str__(self) -> str:
        return self.name


class UnitAlias(models.Model):
    """A code a unit was known by before its official id: old links, files and dossier codes
    still find it (``cchc.web.units.lookup``)."""

    alias = models.CharField("mã cũ", max_length=32, unique=True)
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="aliases")
    # Why the alias exists, e.g. the migration that moved the unit to its official id.
    note = models.CharField("ghi chú", max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["alias"]
        verbose_name = "mã cũ của đơn vị"
        verbose_name_plural = "mã cũ của đơn vị"

    def __str__(self) -> str:
        return f"{self.alias} → {self.unit.code}"
