"""What the workflow adds to a campaign: which scored components come from the surveys.

Survey components (docs/field.md §4: the leaders' and officials' survey, citizens'
satisfaction) are run by the home-affairs body, not scored by the unit: the organiser
enters them as the final (appraised) score, and the unit's officer neither scores them nor
needs them scored before submitting.
"""

from __future__ import annotations

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
