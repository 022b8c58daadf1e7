"""Which circular governs the one-stop desk's printed forms on a date, and their numbers.

Circular 01/2018/TT-VPCP (guiding Decree 61/2018/NĐ-CP) numbers six forms; Circular
03/2025/TT-VPCP (guiding Decree 118/2025/NĐ-CP) has seven and **renumbers** them: the
notice of stopping is new as form 05, so the process-control sheet becomes 06 and the
register 07. Source of the 03/2025 list: its Appendix I as listed by thuviennhadat.vn
("Tải file word biểu mẫu Thông tư 03/2025/TT-VPCP…", read 2026) — a secondary source, not
checked against the official gazette (assumed; correct ``CIRCULARS`` if the gazette differs).

The switch date is the signing date of Circular 03/2025/TT-VPCP, 15/09/2025, as its
published text gives it ("Thông tư số 03/2025/TT-VPCP ngày 15 tháng 9 năm 2025 của Văn
phòng Chính phủ"): its forms apply from that day. Papers dated before it — including those
of 01/07–14/09/2025, after Decree 118/2025 replaced Decree 61/2018 but before the new
circular existed — carry Circular 01/2018's numbering, the only numbered forms in force.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType
from typing import Final


class Paper(StrEnum):
    """A printed document of the one-stop desk, whatever number a circular gives it."""

    RECEIPT = "receipt"
    SUPPLEMENT_REQUEST = "supplement_request"
    REFUSAL = "refusal"
    APOLOGY = "apology"
    STOP_NOTICE = "stop_notice"
    CONTROL_SHEET = "control_sheet"
    REGISTER = "register"


@dataclass(frozen=True, slots=True)
class Circular:
    """A circular, the first day its forms are used, and its numbered forms."""

    name: str
    since: dt.date
    forms: MappingProxyType[Paper, tuple[int, str]]

    def form(self, paper: Paper) -> tuple[int, str] | None:
        """(number, title) of that paper in this circular, or None when it has no such form."""
        return self.forms.get(paper)


CIRCULAR_01_2018: Final = Circular(
    "Thông tư 01/2018/TT-VPCP",
    # Its signing date (assumed); never decisive: the oldest circular covers every earlier day.
    dt.date(2018, 11, 23),
    MappingProxyType(
        {
            Paper.RECEIPT: (1, "Giấy tiếp nhận hồ sơ và hẹn trả kết quả"),
            Paper.SUPPLEMENT_REQUEST: (2, "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ"),
            Paper.REFUSAL: (3, "Phiếu từ chối tiếp nhận giải quyết hồ sơ"),
            Paper.APOLOGY: (4, "Phiếu xin lỗi và hẹn lại ngày trả kết quả"),
            Paper.CONTROL_SHEET: (5, "Phiếu kiểm soát quá trình giải quyết hồ sơ"),
            Paper.REGISTER: (6, "Sổ theo dõi hồ sơ"),
        }
    ),
)
CIRCULAR_03_2025: Final = Circular(
    "Thông tư 03/2025/TT-VPCP",
    # Its signing date, 15/09/2025 (the published text); its forms apply from then.
    dt.date(2025, 9, 15),
    MappingProxyType(
        {
            Paper.RECEIPT: (1, "Giấy tiếp nhận hồ sơ và hẹn trả kết quả"),
            Paper.SUPPLEMENT_REQUEST: (2, "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ"),
            Paper.REFUSAL: (3, "Phiếu từ chối tiếp nhận giải quyết hồ sơ"),
            Paper.APOLOGY: (4, "Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết"),
            Paper.STOP_NOTICE: (5, "Thông báo dừng giải quyết hồ sơ"),
            Paper.CONTROL_SHEET: (6, "Phiếu kiểm soát quá trình giải quyết hồ sơ"),
            Paper.REGISTER: (7, "Sổ theo dõi hồ sơ"),
        }
    ),
)
#: Oldest first; each applies from its ``since`` until the next one's.
CIRCULARS: Final = (CIRCULAR_01_2018, CIRCULAR_03_2025)


#: Who signs each of forms 01–04 at its foot, left to right, as Circular 01/2018's forms lay
#: them out (recalled from the forms as published, not checked against the gazette:
#: assumed; Circular 03/2025 keeps forms 01–03): the receipt is signed by the applicant and
#: the officer who received it, the request to supplement by the officer who guided the
#: applicant, the refusal by the officer who received it. Form 04 is the desk's letter.
SIGNATURES: Final[MappingProxyType[Paper, tuple[str, ...]]] = MappingProxyType(
    {
        Paper.RECEIPT: ("NGƯỜI NỘP HỒ SƠ", "NGƯỜI TIẾP NHẬN HỒ SƠ"),
        Paper.SUPPLEMENT_REQUEST: ("NGƯỜI HƯỚNG DẪN",),
        Paper.REFUSAL: ("NGƯỜI TIẾP NHẬN HỒ SƠ",),
        Paper.APOLOGY: ("NGƯỜI LẬP PHIẾU",),
    }
)
#: The signer of a paper who is the applicant (the other signers are the desk's officer).
APPLICANT: Final = "NGƯỜI NỘP HỒ SƠ"


def circular_on(day: dt.date) -> Circular:
    """The circular whose forms are used on ``day`` (the oldest one before any of them)."""
    found = CIRCULARS[0]
    for circular in CIRCULARS:
        if circular.since <= day:
            found = circular
    return found


@dataclass(frozen=True, slots=True)
class FormReference:
    """A paper as printed on a date: its number and title in the circular then in force."""

    number: int
    title: str
    circular: str

    @property
    def label(self) -> str:
        """ "Mẫu số 06, Thông tư 03/2025/TT-VPCP"."""
        return f"Mẫu số {self.number:02d}, {self.circular}"


def form_on(paper: Paper, day: dt.date) -> FormReference | None:
    """The paper's number and title on ``day``; None when that circular has no such form."""
    circular = circular_on(day)
    found = circular.form(paper)
    if found is None:
        return None
    return FormReference(found[0], found[1], circular.name)
