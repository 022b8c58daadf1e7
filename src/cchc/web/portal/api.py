"""``/api/v1/par/``: published CCHC results."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["Chỉ số CCHC"])
