"""The CCHC campaign in Debian's Chromium (Playwright), issue 4 "Done when": the organiser
creates a campaign and imports the survey components; Hoài Nhơn's officer self-assesses with
an upload and submits; the appraiser lowers the score with a reason; the unit objects and
the appraiser answers; the organiser proposes the results, the leader approves them, the
organiser publishes; the public page shows the new rank.

Screenshots of each step: test-artifacts/web/workflow/.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from typing import Any

import pytest

from cchc import fmt
from cchc.demo import data_path

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = "web/workflow"


def district_rows() -> list[dict[str, str]]:
    with data_path("district_2022.csv").open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


class Session:
    """One person's browser window."""

    def __init__(self, page: Any, base: str, shot: Callable[..., None]) -> None:
        self.page = page
        self.base = base
        self._shot = shot

    def go(self, path: str) -> Any:
        self.page.goto(self.base + path)
        return self.page

    def shot(self, name: str) -> None:
        self._shot(self.page, name)

    def messages(self) -> str:
        return self.page.locator("ul.messages").inner_text()


def next_phase(page: Any) -> None:
    """The one phase form proposes the next phase; moving forward is confirmed."""
    page.check("#phase-confirm")
    page.click("#phase-form button")


@pytest.fixture
def session(live_server: Any, new_page: Any, login: Any, shot: Any) -> Callable[[str | None], Session]:
    """Open a window for ``username`` (signed in), or for the public when None."""

    def open_session(username: str | None) -> Session:
        page = new_page()
        if username:
            login(page, username)
        return Session(page, live_server.url, shot)

    return open_session


def test_a_campaign_from_creation_to_the_public_ranking(session, demo_data, cast, tmp_path):
    from cchc.web.campaigns import services
    from cchc.web.campaigns.models import Campaign

    rows = district_rows()

    # 1. The organiser creates the campaign for the district level, 2022, all 11 units.
    organiser = session("noivu")
    page = organiser.go("/dot-danh-gia/tao-moi/")
    page.select_option("#id_framework", label="Chỉ số cải cách hành chính cấp huyện — năm 2022")
    page.click("#choose-framework button")
    page.wait_for_selector("#create-form")
    assert page.locator("#unit-choice input:checked").count() == len(rows)
    # The survey components (DT leaders' survey, HL satisfaction) are ticked by default.
    assert page.locator("#survey-choice input:checked").evaluate_all("els => els.map(e => e.value)") == ["DT", "HL"]
    page.fill("#id_name", "Đánh giá chỉ số CCHC cấp huyện năm 2022 (lần 2)")
    page.fill("#id_self_assessment_start", "05/01/2023")
    page.fill("#id_self_assessment_end", "20/02/2023")
    organiser.shot("01-tao-dot-danh-gia")
    page.click("#create-submit")
    page.wait_for_selector("#campaign-name")
    campaign = Campaign.objects.get(name="Đánh giá chỉ số CCHC cấp huyện năm 2022 (lần 2)")
    assert page.locator("#phases tr[data-phase=self_assessment] td").nth(1).inner_text() == "05/01/2023"
    next_phase(page)
    page.wait_for_selector("#campaign-status[data-status=self_assessment]")
    organiser.shot("02-mo-tu-danh-gia")

    # The survey components, imported from a CSV file through the engine's validation.
    survey_csv = tmp_path / "dieu-tra-2022.csv"
    with survey_csv.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["unit_code", "unit_name", "DT", "HL"])
        writer.writerows([[r["unit_code"], r["unit_name"], r["DT"], r["HL"]] for r in rows])
    page.click("#survey-link")
    page.set_input_files("#survey-import input[type=file]", str(survey_csv))
    page.click("#survey-import button")
    page.wait_for_selector("ul.messages")
    assert "Đã lưu 22 điểm" in organiser.messages()
    hnh = next(r for r in rows if r["unit_code"] == "HNH")
    assert page.locator("tr[data-unit=HNH] input").first.input_value() == fmt.format_number(float(hnh["DT"]))
    organiser.shot("03-nhap-diem-dieu-tra")

    # The other ten units self-assess as they did (their officers' pages are not this test's).
    for r in rows:
        if r["unit_code"] != "HNH":
            services.import_scores(campaign, [{"unit_code": r["unit_code"], "KQ": r["KQ"]}], field="self_score")

    # 2. Hoài Nhơn's officer scores KQ ("55,46" typed the Vietnamese way), explains, uploads, submits.
    officer = session("canbo.a")
    page = officer.go(f"/dot-danh-gia/{campaign.pk}/don-vi/HNH/")
    assert page.locator("#criteria tr[data-node]").count() == 3
    page.click("#criteria tr[data-node=KQ] a")
    page.fill("#id_self_score", hnh["KQ"].replace(".", ","))
    page.fill("#id_explanation", "Hoàn thành 100% nhiệm vụ theo kế hoạch CCHC năm 2022.")
    page.click("#save-self")
    page.wait_for_selector("#self-saved")  # saved inline (HTMX), no page load
    assert page.locator("#self-score").inner_text() == hnh["KQ"].replace(".", ",")
    evidence = tmp_path / "Báo cáo CCHC 2022.pdf"
    evidence.write_bytes(b"%PDF-1.4\n% minh chung\n")
    page.set_input_files("#id_file", str(evidence))
    page.click("#upload")
    page.wait_for_selector("#evidence li a")
    assert page.locator("#evidence li a").inner_text() == "Báo cáo CCHC 2022.pdf"
    assert page.locator("#self-score").inner_text() == hnh["KQ"].replace(".", ",")
    officer.shot("04-don-vi-tu-danh-gia")
    page = officer.go(f"/dot-danh-gia/{campaign.pk}/don-vi/HNH/")
    page.click("#submit-button")
    page.check("#id_confirm")  # submitting asks first (its own page)
    page.click("#confirm-submit")
    page.wait_for_selector("#submission .badge")
    assert page.locator("#submit-button").count() == 0
    officer.shot("05-don-vi-da-nop")

    # 3. The organiser opens the appraisal; the appraiser lowers KQ, first without a reason.
    page = organiser.go(f"/dot-danh-gia/{campaign.pk}/")
    next_phase(page)
    page.wait_for_selector("#campaign-status[data-status=appraisal]")
    appraiser = session("thamdinh")
    page = appraiser.go(f"/dot-danh-gia/{campaign.pk}/don-vi/HNH/tieu-chi/KQ/")
    # Self score and evidence side by side with the appraisal form.
    assert page.locator("#self-side #self-score").inner_text() == hnh["KQ"].replace(".", ",")
    assert page.locator("#self-side #evidence li a").count() == 1
    lowered = float(hnh["KQ"]) - 6
    page.fill("#id_appraised_score", fmt.format_number(lowered))
    page.fill("#id_reason", "")
    page.click("#save-appraisal")
    page.wait_for_selector("#appraise-error")  # beside the field, the typed score kept
    assert "phải ghi lý do" in page.locator("#appraise-error").inner_text()
    assert page.locator("#id_appraised_score").input_value() == fmt.format_number(lowered)
    page.fill("#id_reason", "Chưa có minh chứng về kiểm soát thủ tục hành chính (trừ 6 điểm).")
    page.click("#save-appraisal")
    page.wait_for_selector("ul.messages .success")
    assert page.locator("#appraised-score").inner_text() == fmt.format_number(lowered)
    appraiser.shot("06-tham-dinh-ha-diem")

    # 4. Objections: the unit objects, the appraiser answers (keeping the score).
    page = organiser.go(f"/dot-danh-gia/{campaign.pk}/")
    next_phase(page)
    page.wait_for_selector("#campaign-status[data-status=objections]")
    page = officer.go(f"/dot-danh-gia/{campaign.pk}/don-vi/HNH/tieu-chi/KQ/")
    page.fill("#id_objection", "Đơn vị đã gửi bổ sung báo cáo kiểm soát thủ tục hành chính.")
    page.click("#send-objection")
    page.wait_for_selector("#objections li[data-objection]")
    officer.shot("07-don-vi-kien-nghi")
    page = appraiser.go(f"/dot-danh-gia/{campaign.pk}/don-vi/HNH/tieu-chi/KQ/")
    page.fill(".answer-form textarea", "Tài liệu bổ sung ban hành sau thời điểm đánh giá; giữ nguyên điểm.")
    page.click(".answer-form button")
    page.wait_for_selector("#objections .answer")
    # The history tells the whole story: who, old → new, why.
    history = page.locator("#history tbody tr")
    fields = history.evaluate_all("trs => trs.map(t => t.dataset.field)")
    assert fields == ["self_score", "explanation", "evidence", "submitted", "appraised_score", "objection", "objection_answer"]
    change = page.locator("#history tr[data-field=appraised_score]")
    assert change.locator(".new").inner_text() == fmt.format_number(lowered)
    assert "trừ 6 điểm" in change.locator(".reason").inner_text()
    appraiser.shot("08-tra-loi-kien-nghi-lich-su")

    # 5. The organiser proposes the results to the leader: refused while the other ten units
    # are unappraised; then (their appraisals are not this test's) the leader approves, and
    # the organiser publishes from a confirmation page with what changes against the
    # published 2022 ranking; a correction of it needs a reason.
    page = organiser.go(f"/dot-danh-gia/{campaign.pk}/")
    page.click("#propose button")
    page.wait_for_selector("ul.messages .error")
    assert "Còn 10 tiêu chí chưa có điểm thẩm định" in organiser.messages()
    for r in rows:
        if r["unit_code"] != "HNH":
            services.import_scores(campaign, [{"unit_code": r["unit_code"], "KQ": r["KQ"]}], field="appraised_score")
    page = organiser.go(f"/dot-danh-gia/{campaign.pk}/")
    page.click("#propose button")
    page.wait_for_selector("#approval[data-approval=proposed]")
    assert page.locator("#publish").count() == 0  # not before the leader approves
    leader = session("lanhdao")
    page = leader.go("/dot-danh-gia/")
    page.click(f"#awaiting-approval li[data-campaign='{campaign.pk}'] a")
    page.click("#approve-form button")
    page.wait_for_selector("#approval[data-approval=approved]")
    page = organiser.go(f"/dot-danh-gia/{campaign.pk}/")
    page.click("#publish button")
    page.wait_for_selector("#publish-changes")
    assert page.locator("#publish-correction").count() == 1
    hnh_change = page.locator("#publish-changes tr[data-unit=HNH] td")
    assert hnh_change.nth(2).inner_text().startswith("1 →")
    organiser.shot("09-xac-nhan-cong-bo")
    page.fill("#reason", "Đính chính theo kết quả thẩm định lại chỉ số KQ của thị xã Hoài Nhơn.")
    page.check("#publish-confirm input[name=confirm]")
    page.click("#publish-confirm button")
    page.wait_for_selector("#campaign-status[data-status=published]")
    assert page.locator("#published-version").inner_text() == "2"
    organiser.shot("09-cong-bo")

    # 6. The public portal shows the new ranking: Hoài Nhơn's rank from its lowered total.
    totals = {r["unit_code"]: float(r["KQ"]) + float(r["DT"]) + float(r["HL"]) for r in rows}
    totals["HNH"] -= 6
    new_rank = 1 + sum(1 for code, total in totals.items() if total > totals["HNH"])
    assert new_rank > 1  # it ranked first before the appraisal
    public = session(None)
    page = public.go("/")
    row = page.locator("table.ranking tbody tr[data-unit=HNH] td")
    assert row.nth(5).inner_text().strip() == fmt.format_number(totals["HNH"])
    assert row.nth(7).inner_text().strip() == str(new_rank)
    public.shot("10-cong-thong-tin-xep-hang-moi")
