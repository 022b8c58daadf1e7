"""Only the applicant, who holds the receipt, can rate a dossier; still no log-in.

An outside attack rated finished dossiers knowing only their guessable codes
(``<unit>-YYMMDD-NNNN``): three anonymous "dislike" ratings moved a unit's indicator 5.4 and
used up the citizen's own rating. Now form 01 prints a rating key (text and QR code of the
look-up link); the database keeps only its salted SHA-256 digest; rating needs it and uses
it up; an officer can issue a new one (lost receipt, dossiers from before keys existed).
"""

from __future__ import annotations

import hashlib
import re
from typing import Any

import pytest
from desk.desk_fixtures import *  # noqa: F403
from django.test import Client

from cchc.service.dossier import Event
from cchc.web.desk.models import Dossier, Rating
from cchc.web.desk.services import act

pytestmark = pytest.mark.django_db


@pytest.fixture
def finished(dossier_a: Dossier, desk: Any) -> Dossier:
    """Ward A's dossier, result handed back: open for its one rating."""
    done = act(dossier_a, Event.RETURNED, user=desk.officer_a)
    done.rating_key = getattr(dossier_a, "rating_key", "")  # type: ignore[attr-defined]
    return done


def test_three_anonymous_dislikes_by_code_alone_are_refused_and_the_citizen_still_rates(finished: Dossier) -> None:
    url = f"/tra-cuu/{finished.code}/danh-gia/"
    for n, guess in enumerate(("", "AAAA-AAAA", finished.code)):
        stranger = Client(REMOTE_ADDR=f"10.9.0.{n + 1}")
        response = stranger.post(url, {"value": "dislike", "k": guess})
        assert response.status_code == 403
        assert "Mã đánh giá không đúng" in response.content.decode("utf-8")
    assert not Rating.objects.exists()
    assert Dossier.objects.get(pk=finished.pk).rating == ""
    # The citizen types the key as it comes: lower case, without the dash.
    key = finished.rating_key.lower().replace("-", "")  # type: ignore[attr-defined]
    response = Client().post(url, {"value": "like", "c_time": "3", "k": key})
    assert response.status_code == 302
    assert Dossier.objects.get(pk=finished.pk).rating == "like"
    assert Rating.objects.get().criteria == {"time": 3}


def test_the_lookup_shows_the_rating_form_only_with_the_key(finished: Dossier, html: Any) -> None:
    public = Client()
    tree = html(public.get("/tra-cuu/", {"ma": finished.code}).content)
    assert tree.get_element_by_id("r-status").text == "đã trả kết quả"
    assert not tree.xpath("//form[@id='rating-form']") and tree.xpath("//p[@id='ask-key']")
    wrong = public.get("/tra-cuu/", {"ma": finished.code, "k": "ZZZZ-ZZZZ"})
    assert wrong.status_code == 403
    tree = html(wrong.content)
    assert not tree.xpath("//form[@id='rating-form']")
    assert "Mã đánh giá không đúng" in tree.get_element_by_id("key-error").text
    key = finished.rating_key  # type: ignore[attr-defined]
    tree = html(public.get("/tra-cuu/", {"ma": finished.code, "k": key}).content)
    assert tree.xpath("//form[@id='rating-form']//input[@name='k']/@value") == [key]


def test_form_01_prints_the_key_once_and_only_its_digest_is_stored(desk: Any, catalogue: Any, clock: Any, html: Any) -> None:
    officer = desk.client("officer_a")
    response = officer.post(
        "/mot-cua/tiep-nhan/",
        {"procedure": catalogue["HT-KS"].pk, "applicant_name": "Phạm Văn An", "channel": "counter"},
    )
    assert response.status_code == 302
    dossier = Dossier.objects.get()
    tree = html(officer.get(f"/mot-cua/ho-so/{dossier.code}/mau-1/").content)
    key = tree.get_element_by_id("form-rating-key").text
    assert re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}", key)
    qr = tree.get_element_by_id("form-rating-qr")
    assert qr.xpath(".//svg")  # the QR code of the look-up link with the key
    expected = hashlib.sha256(f"{dossier.code}:{key.replace('-', '')}".encode()).hexdigest()
    stored = Dossier.objects.filter(pk=dossier.pk).values()[0]
    assert stored["rating_key_digest"] == expected
    assert not any(key.replace("-", "") in str(v).upper().replace("-", "") for v in stored.values())
    # A reprint does not show it again: only the applicant's first receipt holds it.
    again = html(officer.get(f"/mot-cua/ho-so/{dossier.code}/mau-1/").content)
    assert not again.xpath("//*[@id='form-rating-key']") and again.xpath("//*[@id='form-rating-printed']")


def test_an_officer_issues_a_new_key_for_a_lost_receipt_or_an_old_dossier(finished: Dossier, desk: Any, html: Any) -> None:
    old_key = finished.rating_key  # type: ignore[attr-defined]
    # A dossier received before keys existed has no digest (migration 0004): no one can rate.
    Dossier.objects.filter(pk=finished.pk).update(rating_key_digest="")
    assert Client().post(f"/tra-cuu/{finished.code}/danh-gia/", {"value": "like", "k": old_key}).status_code == 403
    page = html(Client().get("/tra-cuu/", {"ma": finished.code, "k": old_key}).content)
    assert not page.xpath("//form[@id='rating-form'] | //p[@id='ask-key']")
    # Another ward's officer cannot reach it (404), the own ward's can.
    assert desk.client("officer_b").post(f"/mot-cua/ho-so/{finished.code}/ma-danh-gia/").status_code == 404
    officer = desk.client("officer_a")
    assert html(officer.get(f"/mot-cua/ho-so/{finished.code}/").content).xpath("//form[@id='rating-key-form']")
    response = officer.post(f"/mot-cua/ho-so/{finished.code}/ma-danh-gia/")
    assert response.status_code == 302 and response["Location"].endswith("/mau-1/")
    new_key = html(officer.get(response["Location"]).content).get_element_by_id("form-rating-key").text
    assert new_key != old_key
    assert Client().post(f"/tra-cuu/{finished.code}/danh-gia/", {"value": "dislike", "k": old_key}).status_code == 403
    assert Client().post(f"/tra-cuu/{finished.code}/danh-gia/", {"value": "like", "k": new_key}).status_code == 302
    assert Dossier.objects.get(pk=finished.pk).rating == "like"
    # Rated: the key is used up and no new one is issued.
    assert Dossier.objects.get(pk=finished.pk).rating_key_digest == ""
    officer.post(f"/mot-cua/ho-so/{finished.code}/ma-danh-gia/")
    assert Dossier.objects.get(pk=finished.pk).rating_key_digest == ""
