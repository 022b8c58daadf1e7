"""Evidence uploads: size and type limits, content checked, names made harmless."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cchc.web.campaigns import services
from cchc.web.campaigns.models import Evidence, Framework, Status
from cchc.web.units.models import Unit
from cchc.web.uploads import UploadRejected, check_upload, display_name

PDF = b"%PDF-1.7\n%test\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("../../etc/passwd", "passwd"),
        ("..\\..\\windows\\win.ini", "win.ini"),
        ("/abs/path/Quyết định 12.pdf", "Quyết định 12.pdf"),
        (".htaccess", "htaccess"),
        ("bao\x00cao.pdf", "baocao.pdf"),
        ("", "tep"),
    ],
)
def test_display_names_lose_folders_and_control_characters(name, expected):
    assert display_name(name) == expected


def test_size_limit():
    with pytest.raises(UploadRejected, match="vượt giới hạn 1 MB"):
        check_upload("a.pdf", 1024 * 1024 + 1, PDF, max_bytes=1024 * 1024)
    with pytest.raises(UploadRejected, match="rỗng"):
        check_upload("a.pdf", 0, b"", max_bytes=1024)


@pytest.mark.parametrize("name", ["script.exe", "trang.html", "anh.svg", "nen.zip", "khongduoi"])
def test_types_outside_the_list_are_refused(name):
    with pytest.raises(UploadRejected, match="không được chấp nhận"):
        check_upload(name, 10, PDF, max_bytes=1024)


def test_content_must_match_the_extension():
    with pytest.raises(UploadRejected, match=r"không đúng định dạng \.pdf"):
        check_upload("that-ra-la-html.pdf", 20, b"<html><script>", max_bytes=1024)
    assert check_upload("Ảnh chụp.PNG", len(PNG), PNG, max_bytes=1024).content_type == "image/png"


@pytest.mark.django_db
def test_an_accepted_upload_is_stored_under_a_generated_name_inside_the_media_root(cast, settings):
    fw = Framework.objects.get(code="binh-dinh-huyen", year=2022)
    campaign = services.create_campaign(fw, Unit.objects.filter(code="HNH"), user=cast.organiser)
    campaign.status = Status.SELF_ASSESSMENT
    campaign.save()
    score = campaign.units.get().scores.get(node_code="KQ")
    upload = SimpleUploadedFile("../../../Kế hoạch CCHC.pdf", PDF, content_type="text/html")
    evidence = services.add_evidence(score, upload, user=cast.officer_a)
    stored = Path(evidence.file.path).resolve()
    assert stored.is_relative_to(Path(settings.MEDIA_ROOT).resolve() / "evidence")
    assert stored.read_bytes() == PDF
    assert evidence.original_name == "Kế hoạch CCHC.pdf"
    assert evidence.content_type == "application/pdf"  # from the checked type, not the browser
    assert "Ke-hoach-CCHC" in stored.name and ".." not in evidence.file.name


@pytest.mark.django_db
def test_a_refused_upload_leaves_no_row_and_no_file(cast, settings):
    settings.CCHC_UPLOAD_MAX_BYTES = 10
    fw = Framework.objects.get(code="binh-dinh-huyen", year=2022)
    campaign = services.create_campaign(fw, Unit.objects.filter(code="HNH"), user=cast.organiser)
    campaign.status = Status.SELF_ASSESSMENT
    campaign.save()
    score = campaign.units.get().scores.get(node_code="KQ")
    with pytest.raises(UploadRejected):
        services.add_evidence(score, SimpleUploadedFile("lon.pdf", PDF * 10), user=cast.officer_a)
    assert not Evidence.objects.exists()
    assert not any(Path(settings.MEDIA_ROOT).rglob("*.pdf"))
