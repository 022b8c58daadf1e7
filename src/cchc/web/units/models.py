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
    """An assessed unit; ``code`` is the registry's stable code (HNH, BSO, …)."""

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
