"""The citizen's rating of a dossier: like / dislike and the satisfaction criteria.

The criteria are those of the evaluation of dossier handling that a citizen can answer
(Decree 61/2018/NĐ-CP Art. 33(1): contacts needed, agencies contacted, handling at the
one-stop desk, publication of the procedure, staff attitude, total time; also the basis of
Circular 01/2018 Arts. 13–15). The wording of the questions and the three answer levels are
this product's (assumed; change ``CRITERIA`` to follow a province's own form). A "dislike"
counts in indicator 5.4 of the 766 index (docs/field.md §7).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final

from django.db import IntegrityError, transaction

from cchc.service.dossier import has_ended
from cchc.service.schema import RATINGS
from cchc.web.desk.clock import now
from cchc.web.desk.models import Dossier, DossierEvent, Rating
from cchc.web.desk.rating_key import matches
from cchc.web.desk.services import DeskError


@dataclass(frozen=True)
class Criterion:
    code: str
    question: str


CRITERIA: Final = (
    Criterion("time", "Thời gian giải quyết so với thời hạn được hẹn"),
    Criterion("contacts", "Số lần phải đi lại, liên hệ để hoàn thiện hồ sơ"),
    Criterion("one_stop", "Tiếp nhận và trả kết quả tại Bộ phận Một cửa"),
    Criterion("publicity", "Công khai, dễ hiểu của thủ tục hành chính"),
    Criterion("attitude", "Thái độ của công chức khi hướng dẫn, tiếp nhận, giải quyết"),
)
LEVELS: Final = {"3": "Hài lòng", "2": "Bình thường", "1": "Không hài lòng"}
RATING_LABELS: Final = {"like": "Hài lòng", "dislike": "Không hài lòng"}


WRONG_KEY: Final = (
    "Mã đánh giá không đúng. Hãy nhập mã đánh giá in trên giấy tiếp nhận và hẹn trả kết quả "
    "(hoặc quét mã QR trên giấy)."
)


def can_rate(dossier: Dossier) -> bool:
    """A dossier is rated once, after its handling has ended."""
    return has_ended(dossier.status) and not Rating.objects.filter(dossier=dossier).exists()


def holds_key(dossier: Dossier, key: str) -> bool:
    """Whether ``key`` is the rating key printed on the dossier's receipt."""
    return matches(dossier.code, dossier.rating_key_digest, key)


def rate(
    dossier: Dossier, value: str, criteria: dict[str, str], comment: str = "", *, key: str
) -> Rating:
    """Store the one rating of a dossier; raise ``DeskError`` if not allowed or invalid.

    ``key``: the rating key printed on form 01; only its holder rates, and rating uses it up.
    """
    if not holds_key(dossier, key):
        raise DeskError(WRONG_KEY)
    if value not in RATINGS:
        raise DeskError("hãy chọn Hài lòng hoặc Không hài lòng")
    if not has_ended(dossier.status):
        raise DeskError("hồ sơ chưa giải quyết xong, chưa thể đánh giá")
    answers: dict[str, Any] = {}
    for criterion in CRITERIA:
        answer = criteria.get(criterion.code, "")
        if answer and answer not in LEVELS:
            raise DeskError(f"câu trả lời '{answer}' cho tiêu chí '{criterion.question}' không hợp lệ")
        if answer:
            answers[criterion.code] = int(answer)
    at = now()
    try:
        with transaction.atomic():
            rating = Rating.objects.create(
                dossier=dossier, value=value, criteria=answers, comment=comment.strip()[:2000],
                created_at=at,
            )
            Dossier.objects.filter(pk=dossier.pk).update(rating=value, rating_key_digest="")
            DossierEvent.objects.create(
                dossier=dossier, event="rated", at=at, from_status=dossier.status,
                to_status=dossier.status, note=RATING_LABELS[value],
            )
    except IntegrityError:
        raise DeskError("hồ sơ này đã được đánh giá; mỗi hồ sơ chỉ được đánh giá một lần") from None
    return rating
