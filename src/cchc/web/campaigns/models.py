"""Campaigns of the yearly CCHC assessment and everything scored inside them.

A campaign applies one stored framework to a set of units for a year, through phases
(docs/field.md §3: self-assessment, appraisal with reasons, objections, publication). Every
change to a score is kept as a ``ScoreChange`` row written in the same transaction
(``cchc.web.campaigns.services``), and ``CriterionScore.version`` guards against two people
overwriting each other (optimistic locking).
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models

from cchc.par.approval import APPROVAL_LABELS, Approval
from cchc.par.values import NOT_APPLICABLE, NotApplicable

# The stored approval states (``OUTDATED`` is computed, never stored).
APPROVAL_CHOICES = [(a.value, APPROVAL_LABELS[a]) for a in Approval if a != Approval.OUTDATED]


class Framework(models.Model):
    """An index framework as its YAML text; parsed by ``cchc.par.framework.framework_from_dict``."""

    code = models.CharField("mã", max_length=64)
    name = models.CharField("tên", max_length=300)
    level = models.CharField("cấp", max_length=16)
    year = models.PositiveSmallIntegerField("năm")
    source_text = models.TextField("nội dung (YAML)")
    source_name = models.CharField("tệp gốc", max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["code", "year"], name="framework_code_year_unique")
        ]
        ordering = ["-year", "level", "code"]
        verbose_name = "bộ chỉ số"
        verbose_name_plural = "bộ chỉ số"

    def __str__(self) -> str:
        return f"{self.name} ({self.year})"


class Status(models.TextChoices):
    DRAFT = "draft", "Đang chuẩn bị"
    SELF_ASSESSMENT = "self_assessment", "Đơn vị tự đánh giá"
    APPRAISAL = "appraisal", "Thẩm định"
    OBJECTIONS = "objections", "Tiếp nhận ý kiến, kiến nghị"
    PUBLISHED = "published", "Đã công bố"


STATUS_ORDER: list[str] = ["draft", "self_assessment", "appraisal", "objections", "published"]


class Campaign(models.Model):
    """One year's assessment of one level with one framework."""

    name = models.CharField("tên đợt đánh giá", max_length=300)
    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="campaigns")
    level = models.CharField("cấp", max_length=16)
    year = models.PositiveSmallIntegerField("năm đánh giá")
    status = models.CharField(
        "giai đoạn", max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    self_assessment_start = models.DateField("tự đánh giá từ", null=True, blank=True)
    self_assessment_end = models.DateField("tự đánh giá đến", null=True, blank=True)
    appraisal_start = models.DateField("thẩm định từ", null=True, blank=True)
    appraisal_end = models.DateField("thẩm định đến", null=True, blank=True)
    objections_start = models.DateField("kiến nghị từ", null=True, blank=True)
    objections_end = models.DateField("kiến nghị đến", null=True, blank=True)
    published_at = models.DateTimeField("ngày công bố", null=True, blank=True)
    # The body that runs the assessment, as printed on the Word report's header.
    organisation = models.CharField("cơ quan tổ chức", max_length=300, blank=True)
    parent_organisation = models.CharField("cơ quan cấp trên", max_length=300, blank=True)
    place = models.CharField("địa danh", max_length=100, blank=True)
    # Named in results and exports as the data's origin (e.g. the imported file's name).
    source_name = models.CharField("nguồn số liệu", max_length=300, blank=True)
    # Demo and seed-derived data must say so on every page (seed README).
    illustrative = models.BooleanField("số liệu minh họa", default=False)
    # Publications of one level and year are numbered: 1 is the first, each later one is a
    # correction ("đính chính") with its reason; earlier versions stay readable.
    version = models.PositiveSmallIntegerField("phiên bản công bố", null=True, blank=True)
    correction_reason = models.TextField("lý do đính chính", blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The leader's approval before publication (cchc.par.approval): the stored state, the
    # fingerprint of the results proposed, who took the last step and when, and the
    # leader's reason when the results were returned. Each step is also in the audit chain.
    approval = models.CharField(
        "phê duyệt", max_length=16, choices=APPROVAL_CHOICES, default=Approval.NONE.value
    )
    approval_digest = models.CharField("dấu vân tay kết quả đề nghị", max_length=64, blank=True)
    approval_reason = models.TextField("lý do trả lại", blank=True)
    approval_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approval_at = models.DateTimeField("thời điểm phê duyệt", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            # Two publications of a level and year never share a version number.
            models.UniqueConstraint(
                fields=["level", "year", "version"], name="campaign_publication_version_unique"
            )
        ]
        ordering = ["-year", "level", "name"]
        verbose_name = "đợt đánh giá"
        verbose_name_plural = "đợt đánh giá"

    def __str__(self) -> str:
        return self.name

    @property
    def is_published(self) -> bool:
        return self.status == Status.PUBLISHED


class PublishedResults(models.Model):
    """A published campaign's results as computed at its publication (``cchc.par.stored``:
    every unit's total, rank and band, every node's score, maximum, index and rank), so the
    pages and the API read them instead of computing them from every score again. ``key``
    names what they were computed from (``cchc.web.campaigns.results.results_key``); a row
    whose key no longer matches is computed again and replaced."""

    campaign = models.OneToOneField(
        Campaign, on_delete=models.CASCADE, related_name="published_results"
    )
    key = models.CharField("khóa kết quả", max_length=200)
    data = models.BinaryField("kết quả đã tính")
    computed_at = models.DateTimeField("tính lúc", auto_now=True)

    class Meta:
        verbose_name = "kết quả đã công bố (đã tính)"
        verbose_name_plural = "kết quả đã công bố (đã tính)"

    def __str__(self) -> str:
        return f"{self.campaign} [{self.key}]"


class CampaignUnit(models.Model):
    """A unit taking part in a campaign; ``submitted_at`` locks its self-assessment."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="units")
    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="campaigns")
    submitted_at = models.DateTimeField("nộp lúc", null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["campaign", "unit"], name="campaign_unit_unique")
        ]
        ordering = ["campaign", "unit__code"]

    def __str__(self) -> str:
        return f"{self.unit} — {self.campaign}"

    @property
    def submitted(self) -> bool:
        return self.submitted_at is not None


class CriterionScore(models.Model):
    """A unit's score on one scored node of the framework (a criterion, or a component
    when the framework scores components directly, as the seed's does)."""

    campaign_unit = models.ForeignKey(CampaignUnit, on_delete=models.CASCADE, related_name="scores")
    node_code = models.CharField("mã tiêu chí", max_length=64)
    self_score = models.DecimalField(
        "điểm tự đánh giá", max_digits=8, decimal_places=2, null=True, blank=True
    )
    appraised_score = models.DecimalField(
        "điểm thẩm định", max_digits=8, decimal_places=2, null=True, blank=True
    )
    # A criterion that does not apply leaves the unit's maximum (docs/field.md §3). The unit
    # says so with a reason (``not_applicable``); the council's appraisal may say so too
    # (``appraised_not_applicable``) or give a number instead. Neither a number nor "does
    # not apply" = not scored yet, which is never read as "does not apply".
    not_applicable = models.BooleanField("không áp dụng (tự đánh giá)", default=False)
    not_applicable_reason = models.TextField("lý do không áp dụng", blank=True)
    appraised_not_applicable = models.BooleanField("không áp dụng (thẩm định)", default=False)
    # A criterion scored by a formula of the framework (``cchc.par.rules``) keeps the raw
    # figures its points were computed from, as ``Figures.as_dict`` writes them ({"count": 5},
    # {"numerator": 45, "denominator": 50}, {"rate": 87.5}); None: points given directly.
    self_figures = models.JSONField("số liệu tự đánh giá", null=True, blank=True)
    appraised_figures = models.JSONField("số liệu thẩm định", null=True, blank=True)
    explanation = models.TextField("giải trình", blank=True)
    appraisal_reason = models.TextField("lý do điều chỉnh", blank=True)
    self_locked = models.BooleanField("đã khóa tự đánh giá", default=False)
    appraisal_locked = models.BooleanField("đã khóa thẩm định", default=False)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["campaign_unit", "node_code"], name="criterion_score_unique"
            )
        ]
        ordering = ["campaign_unit", "node_code"]

    def __str__(self) -> str:
        return f"{self.campaign_unit.unit.code}/{self.node_code}"

    @property
    def self_value(self) -> Decimal | NotApplicable | None:
        """The unit's own: a number, ``NOT_APPLICABLE``, or None (not scored yet)."""
        return NOT_APPLICABLE if self.not_applicable else self.self_score

    @property
    def appraised_value(self) -> Decimal | NotApplicable | None:
        """The council's: a number, ``NOT_APPLICABLE``, or None (not appraised yet)."""
        return NOT_APPLICABLE if self.appraised_not_applicable else self.appraised_score

    @property
    def is_appraised(self) -> bool:
        return self.appraised_value is not None

    @property
    def final_score(self) -> Decimal | NotApplicable | None:
        """The appraised value when the council gave one, else the unit's own: a number,
        ``NOT_APPLICABLE`` (does not apply), or None — not scored yet, never "does not
        apply"."""
        appraised = self.appraised_value
        return appraised if appraised is not None else self.self_value

    @property
    def state(self) -> str:
        """"scored", "not_applicable" or "missing" (of the final value)."""
        final = self.final_score
        if final is None:
            return "missing"
        return "not_applicable" if isinstance(final, NotApplicable) else "scored"

    @property
    def final_not_applicable_reason(self) -> str:
        """Why the criterion does not apply: the council's reason, else the unit's."""
        if self.appraised_not_applicable:
            return self.appraisal_reason or self.not_applicable_reason
        return self.not_applicable_reason if self.not_applicable else ""


def evidence_path(instance: Evidence, filename: str) -> str:
    # The stored name is generated (services.safe_filename); the user's name is kept in
    # original_name only, so nothing a user typed reaches the file system.
    cs = instance.criterion_score
    return f"evidence/{cs.campaign_unit.campaign_id}/{cs.campaign_unit.unit_id}/{filename}"


class Evidence(models.Model):
    """A file attached to a criterion score as proof (PDF, image, Office file)."""

    criterion_score = models.ForeignKey(
        CriterionScore, on_delete=models.CASCADE, related_name="evidence"
    )
    file = models.FileField(upload_to=evidence_path, max_length=300)
    original_name = models.CharField("tên tệp", max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at"]
        verbose_name = "tài liệu kiểm chứng"
        verbose_name_plural = "tài liệu kiểm chứng"

    def __str__(self) -> str:
        return self.original_name


class Objection(models.Model):
    """A unit's objection to the appraised score of one criterion, and the answer."""

    criterion_score = models.ForeignKey(
        CriterionScore, on_delete=models.CASCADE, related_name="objections"
    )
    text = models.TextField("nội dung kiến nghị")
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    raised_at = models.DateTimeField(auto_now_add=True)
    answer = models.TextField("trả lời", blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["raised_at"]
        verbose_name = "kiến nghị"
        verbose_name_plural = "kiến nghị"


class ScoreChange(models.Model):
    """One change to one field of a criterion score: who, when, old, new, why."""

    criterion_score = models.ForeignKey(
        CriterionScore, on_delete=models.CASCADE, related_name="history"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)
    field = models.CharField(max_length=32)
    old = models.TextField(blank=True)
    new = models.TextField(blank=True)
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = "lịch sử thay đổi điểm"
        verbose_name_plural = "lịch sử thay đổi điểm"
