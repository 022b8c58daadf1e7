"""What the workflow adds to a campaign: which scored components come from the surveys, and
their sampling error when the surveys were run outside cchc.

Survey components (docs/field.md §4: the leaders' and officials' survey, citizens'
satisfaction) are run by the home-affairs body, not scored by the unit: the organiser
enters them as the final (appraised) score, and the unit's officer neither scores them nor
needs them scored before submitting.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class SurveyComponent(models.Model):
    """A scored node of a campaign's framework whose score the organiser enters from a survey."""

    campaign = models.ForeignKey(
        "campaigns.Campaign", on_delete=models.CASCADE, related_name="survey_components"
    )
    node_code = models.CharField("mã thành phần", max_length=64)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["campaign", "node_code"], name="survey_component_unique")
        ]
        ordering = ["campaign", "node_code"]
        verbose_name = "thành phần điều tra xã hội học"
        verbose_name_plural = "thành phần điều tra xã hội học"

    def __str__(self) -> str:
        return f"{self.campaign_id}/{self.node_code}"


class SurveyUncertainty(models.Model):
    """The sampling error of a campaign's survey components, uploaded by the organiser when
    the surveys were run outside cchc: the rows of the uncertainty file (docs/par.md: per
    unit and factor respondents and satisfied, or a standard error per unit and component)
    as the core understood them, checked again against the results whenever they are used.
    One per campaign: a new upload replaces it (both audited)."""

    campaign = models.OneToOneField(
        "campaigns.Campaign", on_delete=models.CASCADE, related_name="survey_uncertainty"
    )
    file_name = models.CharField("tên tệp", max_length=255)
    rows = models.JSONField("các dòng", default=list)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", verbose_name="người tải lên",
    )
    uploaded_at = models.DateTimeField("thời điểm tải lên")

    class Meta:
        verbose_name = "sai số khảo sát tải lên"
        verbose_name_plural = "sai số khảo sát tải lên"

    def __str__(self) -> str:
        return f"{self.campaign_id}/{self.file_name}"
