"""Procedures, dossiers and every event of their life at the one-stop desk.

A ``Dossier`` row mirrors ``cchc.service.dossier.Dossier`` (the pure state machine) plus what
only the desk knows: the applicant's personal data, the flags of the 766 index and the
citizen's rating. Every change goes through ``cchc.web.desk.services``, which writes a
``DossierEvent`` in the same transaction and bumps ``version`` (optimistic locking: two
officers cannot overwrite each other's action).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models

from cchc.service.dossier import STATUS_LABELS, history_label, status_label
from cchc.service.schema import CHANNELS, RATINGS, STATUSES, TERMINAL_STATUSES
from cchc.textio import fold

CHANNEL_LABELS = {"counter": "Trực tiếp", "online": "Trực tuyến", "post": "Bưu chính công ích"}
TIME_UNIT_LABELS = {"working-days": "ngày làm việc", "days": "ngày", "hours": "giờ làm việc"}


class Procedure(models.Model):
    """One procedure of the catalogue (``cchc.service.procedure.Procedure`` in the database)."""

    code = models.CharField("mã", max_length=64, unique=True)
    name = models.CharField("tên thủ tục", max_length=300)
    # The field (lĩnh vực) the procedure belongs to, as the published catalogue groups them
    # ("Hộ tịch", "Chứng thực", "Đất đai"…); blank when the catalogue does not say.
    field = models.CharField("lĩnh vực", max_length=200, blank=True)
    time_limit = models.PositiveIntegerField("thời hạn giải quyết")
    time_unit = models.CharField(
        "đơn vị thời hạn",
        max_length=16,
        choices=list(TIME_UNIT_LABELS.items()),
        default="working-days",
    )
    fee = models.DecimalField("phí, lệ phí (đồng)", max_digits=14, decimal_places=0, default=0)
    online_eligible = models.BooleanField("có dịch vụ công trực tuyến", default=False)
    requires_result_document = models.BooleanField("có giấy tờ kết quả", default=True)
    illustrative = models.BooleanField("số liệu minh họa", default=False)

    class Meta:
        ordering = ["code"]
        verbose_name = "thủ tục hành chính"
        verbose_name_plural = "thủ tục hành chính"

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"


class Dossier(models.Model):
    """A dossier received (or imported) by a unit's one-stop desk."""

    code = models.CharField("mã hồ sơ", max_length=64, unique=True)
    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="dossiers")
    procedure = models.ForeignKey(
        Procedure, null=True, blank=True, on_delete=models.PROTECT, related_name="dossiers"
    )
    # Kept even when the procedure is not in the catalogue (imported portal ledgers).
    procedure_code = models.CharField("mã thủ tục", max_length=64)
    # Personal data: never on a public page or in the public API.
    applicant_name = models.CharField("họ tên người nộp", max_length=200, blank=True)
    applicant_phone = models.CharField("điện thoại", max_length=32, blank=True)
    applicant_address = models.CharField("địa chỉ", max_length=300, blank=True)
    # The name folded as people type it (``cchc.textio.fold``: no marks, lower case), kept by
    # ``save`` so the work list finds "Bình" by "binh" with a plain LIKE on both databases
    # (SQLite has no unaccent). Personal data like the name itself.
    applicant_key = models.CharField(
        "họ tên người nộp (để tìm)", max_length=200, blank=True, editable=False
    )
    channel = models.CharField(
        "kênh nộp", max_length=16, choices=[(c, CHANNEL_LABELS[c]) for c in CHANNELS]
    )
    status = models.CharField(
        "trạng thái",
        max_length=32,
        choices=[(s, STATUS_LABELS[s]) for s in STATUSES],
        default="received",
    )
    received_at = models.DateTimeField("tiếp nhận lúc")
    due_at = models.DateTimeField("hẹn trả", null=True, blank=True)
    original_due_at = models.DateTimeField("hẹn trả ban đầu", null=True, blank=True)
    apology_at = models.DateTimeField("xin lỗi lúc", null=True, blank=True)
    finished_at = models.DateTimeField("kết thúc lúc", null=True, blank=True)
    returned_at = models.DateTimeField("trả kết quả lúc", null=True, blank=True)
    supplement_count = models.PositiveIntegerField("số lần yêu cầu bổ sung", default=0)
    supplement_requested_at = models.DateTimeField(null=True, blank=True)
    supplement_completed_at = models.DateTimeField(null=True, blank=True)
    # The latest request came after the 3-working-day limit (confirmed by the officer): the
    # agency's clock does not stop for it (cchc.service.dossier).
    supplement_late = models.BooleanField("yêu cầu bổ sung quá hạn", default=False)
    # The appointment before the first Decree 61 restart (what the 766 rule compares with).
    due_before_restart = models.DateTimeField("hẹn trả trước khi tính lại", null=True, blank=True)
    last_event_at = models.DateTimeField(null=True, blank=True)
    handled_by = models.CharField("đang xử lý tại", max_length=200, blank=True)
    # Flags of the 766 index, fixed at receipt from the catalogue (it may change later).
    online_eligible = models.BooleanField(default=False)
    has_fee = models.BooleanField(default=False)
    paid_online = models.BooleanField("thanh toán trực tuyến", default=False)
    requires_result_document = models.BooleanField(default=True)
    e_result = models.BooleanField("có kết quả điện tử", default=False)
    digitised = models.BooleanField("đã số hóa", default=False)
    reused_data = models.BooleanField("tái sử dụng dữ liệu số hóa", default=False)
    has_complaint = models.BooleanField("có phản ánh, kiến nghị", default=False)
    rating = models.CharField(
        "đánh giá", max_length=8, blank=True, choices=[(r, r) for r in RATINGS]
    )
    # SHA-256 of the rating key printed on form 01 (``rating.key_digest``), never the key:
    # only the applicant who holds the receipt can rate. Empty: no key issued (imported
    # dossiers, dossiers received before keys existed) and then nobody can rate on the web.
    rating_key_digest = models.CharField("mã đánh giá (băm)", max_length=64, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-received_at", "code"]
        indexes = [
            models.Index(fields=["unit", "status", "due_at"]),
            models.Index(fields=["unit", "received_at"]),
            # The work list reads only a unit's OPEN dossiers (a few hundred) among its
            # finished ones (tens of thousands a year): a partial index holds just those, in
            # the list's order, so its counts and first page never touch the rest (load test,
            # load goal: 1 M dossiers).
            models.Index(
                fields=["unit", "due_at", "code"],
                condition=~models.Q(status__in=sorted(TERMINAL_STATUSES)),
                name="desk_dossier_open_idx",
            ),
        ]
        verbose_name = "hồ sơ"
        verbose_name_plural = "hồ sơ"

    def __str__(self) -> str:
        return self.code

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.applicant_key = fold(self.applicant_name)
        fields = kwargs.get("update_fields")
        if fields is not None and "applicant_name" in fields:
            kwargs["update_fields"] = {*fields, "applicant_key"}
        super().save(*args, **kwargs)

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.status, self.status)

    @property
    def channel_label(self) -> str:
        return CHANNEL_LABELS.get(self.channel, self.channel)


class DossierEvent(models.Model):
    """One action on a dossier (form 05, the process-control sheet): who, when, what changed."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="events")
    event = models.CharField(max_length=32)
    at = models.DateTimeField("thời điểm")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    from_status = models.CharField(max_length=32, blank=True)
    to_status = models.CharField(max_length=32)
    old_due_at = models.DateTimeField(null=True, blank=True)
    new_due_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField(blank=True)
    # A warning the officer confirmed to act (a supplement request after the limit).
    warning = models.CharField("cảnh báo", max_length=300, blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)

    # The history as people read it: the core's one mapping of codes to Vietnamese words.
    @property
    def label(self) -> str:
        return history_label(self.event)

    @property
    def from_status_label(self) -> str:
        return status_label(self.from_status)

    @property
    def to_status_label(self) -> str:
        return status_label(self.to_status)

    @property
    def actor_name(self) -> str:
        """Who acted: the account's full name, else its log-in name ("" when unknown)."""
        if self.actor is None:
            return ""
        return str(self.actor.get_full_name() or self.actor.username)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = "sự kiện hồ sơ"
        verbose_name_plural = "sự kiện hồ sơ"


class Rating(models.Model):
    """The citizen's one rating of a dossier: like / dislike and the satisfaction criteria."""

    dossier = models.OneToOneField(Dossier, on_delete=models.CASCADE, related_name="citizen_rating")
    value = models.CharField(max_length=8, choices=[(r, r) for r in RATINGS])
    criteria = models.JSONField(default=dict)
    comment = models.TextField(blank=True)
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = "đánh giá của người dân"
        verbose_name_plural = "đánh giá của người dân"


class PortalImport(models.Model):
    """Files of the national portal's 766 pages imported for one period (the whole province).

    ``data`` is ``cchc.service.portal_files.to_dict`` of what was read (counts and published
    points, exact decimals as text); ``units`` maps a desk unit's code to its code on the
    portal. The newest import of a period is the one the dashboard and reconciliation use.
    """

    period = models.CharField("kỳ", max_length=16, db_index=True)
    imported_at = models.DateTimeField("thời điểm nhập", auto_now_add=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    files = models.TextField("tệp nguồn")
    endpoints = models.CharField("trang của Cổng", max_length=300)
    units = models.JSONField("mã đơn vị trên Cổng", default=dict)
    data = models.JSONField("số liệu")

    class Meta:
        ordering = ["-imported_at", "-pk"]
        verbose_name = "tệp chỉ số 766 của Cổng DVCQG"
        verbose_name_plural = "tệp chỉ số 766 của Cổng DVCQG"
