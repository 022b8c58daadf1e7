"""Surveys run in the browser: the survey of one campaign component, its respondents, answers.

A ``Survey`` measures one scored component of a CCHC campaign (e.g. HL, 30 points, with the
SIPAS questionnaire in force for the campaign's year; docs/field.md §4). Its respondents are
drawn from the one-stop desk's dossier ledger by ``cchc.surveys.draw_sample``; each holds
only the SHA-256 digest of its one-time link token, never the token. ``Answer`` rows are in
the long interchange format of ``cchc.surveys`` (one per question), whatever the channel.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class SurveyStatus(models.TextChoices):
    DRAFT = "draft", "Chưa chọn mẫu"
    OPEN = "open", "Đang thu phiếu"
    CLOSED = "closed", "Đã kết thúc thu phiếu"
    PUBLISHED = "published", "Đã công bố vào đợt đánh giá"


class Survey(models.Model):
    """One survey feeding one scored component of a campaign."""

    name = models.CharField("tên cuộc khảo sát", max_length=300)
    campaign = models.ForeignKey(
        "campaigns.Campaign", on_delete=models.PROTECT, related_name="surveys"
    )
    component_code = models.CharField("mã thành phần", max_length=64)
    kind = models.CharField("loại phiếu", max_length=32, default="sipas")
    questionnaire_version = models.PositiveSmallIntegerField("phiên bản phiếu")
    max_points = models.DecimalField("điểm tối đa K", max_digits=8, decimal_places=2)
    period = models.CharField("kỳ khảo sát", max_length=16)
    margin = models.DecimalField("sai số e", max_digits=5, decimal_places=4, default=0.05)
    seed = models.PositiveIntegerField("hạt giống ngẫu nhiên")
    reserve_ratio = models.DecimalField(
        "tỷ lệ dự phòng", max_digits=4, decimal_places=2, default=0.5
    )
    # Strata by procedure inside each unit (proportional shares, cchc.surveys.allocate).
    by_procedure = models.BooleanField("phân tầng theo thủ tục", default=False)
    status = models.CharField(
        "trạng thái", max_length=16, choices=SurveyStatus.choices, default=SurveyStatus.DRAFT
    )
    # N, n and reserves per unit code as the draw planned them ({"HNH": {"population": …}}).
    plan = models.JSONField("kế hoạch mẫu", default=dict, blank=True)
    ledger_source = models.CharField("sổ hồ sơ đã dùng", max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    sampled_at = models.DateTimeField("chọn mẫu lúc", null=True, blank=True)
    closed_at = models.DateTimeField("kết thúc lúc", null=True, blank=True)
    published_at = models.DateTimeField("công bố lúc", null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "cuộc khảo sát"
        verbose_name_plural = "cuộc khảo sát"

    def __str__(self) -> str:
        return self.name

    @property
    def is_open(self) -> bool:
        return self.status == SurveyStatus.OPEN


class Respondent(models.Model):
    """A person drawn for the survey (one per finished dossier), or a reserve."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="respondents")
    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="+")
    stratum = models.CharField("tầng", max_length=64, blank=True)
    reserve = models.BooleanField("dự phòng", default=False)
    order = models.PositiveIntegerField("thứ tự")
    dossier_code = models.CharField("mã hồ sơ", max_length=64)
    procedure_code = models.CharField("mã thủ tục", max_length=64, blank=True)
    # SHA-256 of the one-time token (cchc.surveys.token_digest); the token itself is shown
    # once, on the printable list, and never stored.
    token_digest = models.CharField(max_length=64, unique=True)
    issued_at = models.DateTimeField("cấp liên kết lúc", null=True, blank=True)
    used_at = models.DateTimeField("đã trả lời lúc", null=True, blank=True)
    channel = models.CharField("hình thức", max_length=16, blank=True)  # web / paper

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "dossier_code"], name="survey_respondent_dossier_unique"
            )
        ]
        ordering = ["survey", "unit__code", "reserve", "stratum", "order"]
        verbose_name = "người được khảo sát"
        verbose_name_plural = "người được khảo sát"

    def __str__(self) -> str:
        return f"{self.survey_id}/{self.dossier_code}"

    @property
    def respondent_key(self) -> str:
        """The respondent id of this person's answers in the long format."""
        return f"hs-{self.dossier_code}"


class Answer(models.Model):
    """One answer to one question (``value`` None = "không trả lời")."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="answers")
    # Set for answers by link or paper form; imported answers keep only their file's id.
    respondent = models.ForeignKey(
        Respondent, null=True, blank=True, on_delete=models.CASCADE, related_name="answers"
    )
    respondent_key = models.CharField("mã người trả lời", max_length=128)
    unit_code = models.CharField("mã đơn vị", max_length=32)
    factor = models.CharField("yếu tố", max_length=64)
    question = models.CharField("câu hỏi", max_length=64)
    value = models.PositiveSmallIntegerField("trả lời", null=True, blank=True)
    source = models.CharField("nguồn", max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "respondent_key", "question"], name="survey_answer_unique"
            )
        ]
        indexes = [models.Index(fields=["survey", "unit_code"])]
        ordering = ["survey", "unit_code", "respondent_key", "pk"]
        verbose_name = "câu trả lời"
        verbose_name_plural = "câu trả lời"
