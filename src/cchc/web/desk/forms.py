"""Desk forms: parse what officers and citizens type (dates dd/mm/yyyy or yyyy-mm-dd)."""

from __future__ import annotations

import datetime as dt

from django import forms

from cchc.fmt import ParseDateError, parse_date
from cchc.service.schema import CHANNELS
from cchc.web.desk.models import CHANNEL_LABELS, Procedure
from cchc.web.desk.rating import CRITERIA, LEVELS, RATING_LABELS


class ReceiveForm(forms.Form):
    procedure = forms.ModelChoiceField(
        Procedure.objects.all(), label="Thủ tục hành chính", empty_label="— chọn thủ tục —"
    )
    applicant_name = forms.CharField(label="Họ và tên người nộp", max_length=200)
    applicant_phone = forms.CharField(label="Số điện thoại", max_length=32, required=False)
    applicant_address = forms.CharField(label="Địa chỉ", max_length=300, required=False)
    channel = forms.ChoiceField(
        label="Kênh nộp", choices=[(c, CHANNEL_LABELS[c]) for c in CHANNELS], initial="counter"
    )
    note = forms.CharField(
        label="Thành phần hồ sơ, ghi chú", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class ActionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    note = forms.CharField(
        label="Nội dung, lý do", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    to = forms.CharField(label="Chuyển đến", max_length=200, required=False)
    # A text field read by the core's date parser (dd/mm/yyyy; yyyy-mm-dd of older pages).
    new_due = forms.CharField(label="Ngày hẹn trả mới", required=False, max_length=32)
    e_result = forms.BooleanField(label="Có kết quả điện tử", required=False)
    digitised = forms.BooleanField(label="Đã số hóa hồ sơ", required=False)
    paid_online = forms.BooleanField(label="Đã thanh toán trực tuyến", required=False)
    accept_late = forms.BooleanField(label="Vẫn yêu cầu bổ sung dù đã quá hạn", required=False)
    # The officer's confirmation of an action that cannot be undone (views.CONFIRMATIONS).
    confirm = forms.BooleanField(label="Xác nhận", required=False)


    def clean_new_due(self) -> dt.date | None:
        text = self.cleaned_data["new_due"].strip()
        if not text:
            return None
        try:
            return parse_date(text)
        except ParseDateError as exc:
            raise forms.ValidationError(str(exc)) from None


class ImportForm(forms.Form):
    file = forms.FileField(label="Tệp sổ hồ sơ (.csv, .xlsx, .parquet)")


class RatingForm(forms.Form):
    value = forms.ChoiceField(
        label="Đánh giá chung", choices=list(RATING_LABELS.items()), widget=forms.RadioSelect
    )
    comment = forms.CharField(
        label="Ý kiến khác", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        for criterion in CRITERIA:
            self.fields[f"c_{criterion.code}"] = forms.ChoiceField(
                label=criterion.question,
                choices=[("", "—"), *LEVELS.items()],
                required=False,
            )
