"""Log-in, log-out and password change in Vietnamese; passwords stored with Argon2."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_login_page_is_in_vietnamese(client: Client, html):
    doc = html(client.get("/tai-khoan/dang-nhap/").content)
    assert doc.xpath("//h1")[0].text_content() == "Đăng nhập"
    assert doc.xpath("//label[@for='id_password']")[0].text_content() == "Mật khẩu"
    assert doc.xpath("//html/@lang") == ["vi"]


def test_login_with_the_right_password_then_logout(client: Client, cast, html, password):
    wrong = client.post("/tai-khoan/dang-nhap/", {"username": "canbo.a", "password": "sai"})
    assert "không đúng" in html(wrong.content).xpath("//p[@class='error']")[0].text_content()
    ok = client.post("/tai-khoan/dang-nhap/", {"username": "canbo.a", "password": password})
    assert ok.status_code == 302
    who = html(client.get("/").content).xpath("//span[@class='who']")[0].text_content()
    assert who == "canbo.a · Cán bộ đầu mối CCHC của đơn vị"
    client.post("/tai-khoan/dang-xuat/")
    assert html(client.get("/").content).xpath("//span[@class='who']") == []


def test_password_change_rehashes_with_argon2(client: Client, cast, password):
    client.force_login(cast.leader)
    response = client.post(
        "/tai-khoan/doi-mat-khau/",
        {"old_password": password, "new_password1": "Cải-cách-2026-mới", "new_password2": "Cải-cách-2026-mới"},
    )
    assert response.status_code == 302 and response["Location"] == "/tai-khoan/doi-mat-khau/xong/"
    cast.leader.refresh_from_db()
    assert cast.leader.password.startswith("argon2$")
    assert cast.leader.check_password("Cải-cách-2026-mới")


def test_password_change_requires_login(client: Client):
    response = client.get("/tai-khoan/doi-mat-khau/")
    assert response.status_code == 302 and response["Location"].startswith("/tai-khoan/dang-nhap/")


def test_unit_bound_roles_must_name_a_unit():
    from django.core.exceptions import ValidationError

    from cchc.web.accounts.models import User

    with pytest.raises(ValidationError, match="đơn vị"):
        User(username="x", role="unit_officer", password="!").full_clean()


def test_a_full_name_reads_in_vietnamese_order():
    """Họ (last_name) then tên (first_name), as the admin labels them: what the desk's
    papers print as the signer."""
    from cchc.web.accounts.models import User

    assert User(last_name="Nguyễn Văn", first_name="An").get_full_name() == "Nguyễn Văn An"
    assert User(first_name=" An ").get_full_name() == "An"
    assert User(username="motcua").get_full_name() == ""


@pytest.mark.django_db
def test_every_demo_account_has_a_full_name_to_sign_with():
    from cchc.web.accounts.models import User
    from cchc.web.demo import DemoContext, load_accounts, load_units

    ctx = DemoContext()
    load_units(ctx)
    load_accounts(ctx)
    for account in ctx.accounts:
        assert User.objects.get(username=account.username).get_full_name(), account.username


def test_navigation_shows_links_by_role(cast):
    from cchc.web.navigation import NAV, NavItem, nav_items

    NAV.append(NavItem("Hồ sơ một cửa", "portal:home", roles=frozenset({"onestop_officer"})))
    try:
        assert "Hồ sơ một cửa" in [i["label"] for i in nav_items(cast.onestop)]
        assert "Hồ sơ một cửa" not in [i["label"] for i in nav_items(cast.officer_a)]
        assert "Hồ sơ một cửa" not in [i["label"] for i in nav_items(cast.public)]
    finally:
        NAV.pop()


@pytest.mark.parametrize(
    ("who", "lands_on"),
    [
        ("motcua", "/mot-cua/"),  # the one-stop officer's work list, not the public ranking
        ("canbo.a", "/dot-danh-gia/"),
        ("thamdinh", "/dot-danh-gia/"),
        ("noivu", "/dot-danh-gia/"),
        ("lanhdao", "/dot-danh-gia/"),
    ],
)
def test_each_role_lands_on_its_own_work_after_logging_in(client: Client, cast, password, who, lands_on):
    response = client.post("/tai-khoan/dang-nhap/", {"username": who, "password": password})
    assert response.status_code == 302 and response["Location"] == lands_on


def test_a_next_address_still_wins_over_the_landing_page(client: Client, cast, password):
    response = client.post("/tai-khoan/dang-nhap/?next=/tra-cuu/", {"username": "motcua", "password": password})
    assert response["Location"] == "/tra-cuu/"
