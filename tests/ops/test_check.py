"""`cchc check` tells an operator, in Vietnamese, whether an installation can run."""

from __future__ import annotations

import pytest
from ops_instances import instance_env, run_cchc, run_django

MIGRATE = "from django.core.management import call_command\ncall_command('migrate', verbosity=0)\n"


def test_a_fresh_migrated_installation_passes(tmp_path):
    env = instance_env(tmp_path / "ok")
    run_django(env, MIGRATE)
    out = run_cchc(env, "check")
    assert out.returncode == 0, out.stdout + out.stderr
    assert "✓ Kết nối được cơ sở dữ liệu (sqlite)" in out.stdout
    assert "✓ Đã áp dụng mọi migration" in out.stdout
    assert "Nhật ký kiểm toán toàn vẹn" in out.stdout
    assert "Cài đặt sẵn sàng vận hành." in out.stdout


def test_unapplied_migrations_fail(tmp_path):
    out = run_cchc(instance_env(tmp_path / "new"), "check")
    assert out.returncode == 1
    assert "migration chưa áp dụng" in out.stdout


def test_an_unusable_upload_folder_fails(tmp_path):
    env = instance_env(tmp_path / "hong")
    run_django(env, MIGRATE)
    # A file where the folder should be: fails for every user, root included.
    (tmp_path / "hong" / "uploads").write_text("không phải thư mục")
    out = run_cchc(env, "check")
    assert out.returncode == 1
    assert "✗ Không ghi được vào thư mục tệp tải lên" in out.stdout


@pytest.mark.parametrize(
    ("extra", "reason"),
    [
        (
            {"CCHC_SECRET_KEY": "changeme", "CCHC_ALLOWED_HOSTS": "cchc.example.vn"},
            "CCHC_SECRET_KEY",
        ),
        (
            {
                "CCHC_SECRET_KEY": "k3J9-x8Qw2LmZ0pVb7TnRc4Yh6Ud1Ef5Gs",
                "CCHC_ALLOWED_HOSTS": "cchc.example.vn",
                "CCHC_DEBUG": "1",
            },
            "CCHC_DEBUG",
        ),
        ({"CCHC_SECRET_KEY": "k3J9-x8Qw2LmZ0pVb7TnRc4Yh6Ud1Ef5Gs"}, "CCHC_ALLOWED_HOSTS"),
    ],
)
def test_unsafe_production_settings_fail(tmp_path, extra, reason):
    env = instance_env(tmp_path / "prod") | {"CCHC_ENV": "production", **extra}
    out = run_cchc(env, "check")
    assert out.returncode == 1
    assert "✗ Cấu hình không hợp lệ" in out.stdout and reason in out.stdout
    assert "Traceback" not in out.stdout + out.stderr


def test_production_with_sqlite_and_no_proxy_is_warned(tmp_path):
    env = instance_env(tmp_path / "prod") | {
        "CCHC_ENV": "production",
        "CCHC_SECRET_KEY": "k3J9-x8Qw2LmZ0pVb7TnRc4Yh6Ud1Ef5Gs-aP0oI9uY8tR7",
        "CCHC_ALLOWED_HOSTS": "cchc.example.vn",
    }
    run_django(env, MIGRATE)
    out = run_cchc(env, "check")
    assert "! Môi trường production đang dùng SQLite" in out.stdout
    assert "CCHC_BEHIND_PROXY" in out.stdout


def test_an_unreachable_database_fails_clearly(tmp_path):
    env = instance_env(tmp_path / "pg", "postgresql://postgres@127.0.0.1:1/khong_co")
    out = run_cchc(env, "check")
    assert out.returncode == 1
    assert "✗ Không kết nối được cơ sở dữ liệu (postgresql)" in out.stdout


def test_the_cache_is_checked_and_a_missing_cache_table_fails_with_the_remedy(tmp_path):
    env = instance_env(tmp_path / "cache") | {"CCHC_CACHE_URL": "database"}
    run_django(env, MIGRATE)
    out = run_cchc(env, "check")
    assert out.returncode == 1
    assert "✗ Không dùng được bộ nhớ đệm (CCHC_CACHE_URL)" in out.stdout
    assert "cchc manage createcachetable" in out.stdout
    run_django(env, "from django.core.management import call_command\ncall_command('createcachetable')\n")
    out = run_cchc(env, "check")
    assert out.returncode == 0, out.stdout + out.stderr
    assert "✓ Bộ nhớ đệm dùng chung được giữa các tiến trình" in out.stdout


def test_a_memory_cache_is_said_to_fit_one_process_only(tmp_path):
    env = instance_env(tmp_path / "mem")
    run_django(env, MIGRATE)
    out = run_cchc(env, "check")
    assert "✓ Bộ nhớ đệm trong tiến trình: chỉ đúng khi chạy một tiến trình" in out.stdout
