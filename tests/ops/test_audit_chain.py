"""The audit chain: any single edit, deletion, insertion or reordering is detected."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from cchc.audit import GENESIS, Entry, canonical_json, entry_hash, first_bad_seq, seal, verify

T0 = datetime(2023, 3, 16, 8, 0, tzinfo=UTC)

texts = st.text(max_size=20)
entries_content = st.builds(
    Entry,
    seq=st.just(0),
    at=st.integers(0, 10**9).map(lambda s: T0 + timedelta(seconds=s)),
    actor=texts,
    action=st.sampled_from(["score.set", "score.appraise", "dossier.receive", "dossier.return"]),
    object_type=st.sampled_from(["criterion_score", "dossier"]),
    object_id=texts,
    field=texts,
    old=st.none() | texts,
    new=st.none() | texts,
    reason=texts,
)


def build(contents: list[Entry]) -> list[Entry]:
    chain: list[Entry] = []
    for content in contents:
        chain.append(seal(content, chain[-1] if chain else None))
    return chain


chains = st.lists(entries_content, min_size=1, max_size=15).map(build)


def example_chain() -> list[Entry]:
    return build(
        [
            Entry(
                0,
                T0,
                "thamdinh",
                "score.appraise",
                "criterion_score",
                "42",
                "score",
                "2,00",
                "1,50",
                "thiếu minh chứng",
            ),
            Entry(
                0,
                T0 + timedelta(minutes=5),
                "canbo_hn",
                "score.set",
                "criterion_score",
                "43",
                "score",
                None,
                "3,00",
            ),
            Entry(
                0,
                T0 + timedelta(minutes=9),
                "motcua",
                "dossier.receive",
                "dossier",
                "000.00.12.H08-230316-0001",
            ),
        ]
    )


def test_an_untouched_chain_is_intact():
    chain = example_chain()
    assert verify(chain) == []
    assert verify(chain, expect_head=chain[-1].hash) == []
    assert [e.seq for e in chain] == [1, 2, 3]
    assert chain[0].prev_hash == GENESIS
    assert chain[1].prev_hash == chain[0].hash


def test_canonical_json_is_stable_and_keeps_vietnamese():
    entry = example_chain()[0]
    text = canonical_json(entry)
    assert "thiếu minh chứng" in text
    assert '"at":"2023-03-16T08:00:00.000Z"' in text
    # Same instant in another time zone hashes the same.
    shifted = replace(
        entry, at=entry.at.astimezone(tz=__import__("zoneinfo").ZoneInfo("Asia/Ho_Chi_Minh"))
    )
    assert entry_hash(shifted) == entry_hash(entry)


def test_naive_times_are_refused():
    with pytest.raises(ValueError):
        canonical_json(replace(example_chain()[0], at=datetime(2023, 1, 1)))


def test_an_edited_reason_is_named():
    chain = example_chain()
    chain[0] = replace(chain[0], reason="đủ minh chứng")
    problems = verify(chain)
    assert first_bad_seq(problems) == 1
    assert problems[0].kind == "hash"
    assert "1" in problems[0].message


def test_an_edit_with_a_recomputed_hash_breaks_the_next_link():
    chain = example_chain()
    forged = replace(chain[1], new="4,00", hash="")
    chain[1] = replace(forged, hash=entry_hash(forged))
    problems = verify(chain)
    assert [(p.seq, p.kind) for p in problems] == [(3, "link")]


def test_deleting_the_last_entries_needs_the_kept_head():
    chain = example_chain()
    head = chain[-1].hash
    assert verify(chain[:-1]) == []  # a chain alone cannot know it was longer
    assert [p.kind for p in verify(chain[:-1], expect_head=head)] == ["head"]


def test_a_head_recorded_elsewhere_must_still_be_passed_through():
    chain = example_chain()
    # Recorded after the second entry: the chain has grown from it since.
    assert verify(chain, known_head=chain[1].hash) == []
    assert verify(chain, known_head=chain[-1].hash) == []
    # The log emptied (and its head row reset), or cut before the recorded head.
    assert [p.kind for p in verify([], known_head=chain[1].hash)] == ["head"]
    assert [p.kind for p in verify(chain[:1], known_head=chain[1].hash)] == ["head"]
    # The whole chain rewritten with recomputed hashes from the first entry on.
    forged = replace(chain[0], reason="đủ minh chứng")
    rewritten = [seal(forged, None)]
    for entry in chain[1:]:
        rewritten.append(seal(entry, rewritten[-1]))
    assert verify(rewritten) == []
    assert [p.kind for p in verify(rewritten, known_head=chain[-1].hash)] == ["head"]


@given(chains, st.data())
def test_any_single_field_edit_is_detected(chain, data):
    index = data.draw(st.integers(0, len(chain) - 1))
    name = data.draw(
        st.sampled_from(
            [
                "actor",
                "action",
                "object_type",
                "object_id",
                "field",
                "old",
                "new",
                "reason",
                "at",
                "seq",
            ]
        )
    )
    original = getattr(chain[index], name)
    if name == "at":
        value = data.draw(st.integers(1, 10**6).map(lambda s: original + timedelta(seconds=s)))
    elif name == "seq":
        value = data.draw(st.integers(-5, 100))
    else:
        value = data.draw(st.none() | texts) if name in ("old", "new") else data.draw(texts)
    assume(value != original)
    tampered = list(chain)
    tampered[index] = replace(chain[index], **{name: value})
    problems = verify(tampered)
    assert problems
    assert problems[0].seq in (chain[index].seq, value)


@given(chains, st.data())
def test_any_single_deletion_is_detected(chain, data):
    index = data.draw(st.integers(0, len(chain) - 1))
    tampered = chain[:index] + chain[index + 1 :]
    assert verify(tampered, expect_head=chain[-1].hash)
    if index < len(chain) - 1:
        # Inside the chain no outside head is needed; the entry after the gap is named.
        assert first_bad_seq(verify(tampered)) == chain[index + 1].seq


@given(chains, st.data())
def test_any_reordering_is_detected(chain, data):
    assume(len(chain) >= 2)
    i = data.draw(st.integers(0, len(chain) - 2))
    tampered = list(chain)
    tampered[i], tampered[i + 1] = tampered[i + 1], tampered[i]
    assert verify(tampered)


@given(chains, entries_content, st.data())
def test_any_insertion_is_detected(chain, forged, data):
    index = data.draw(st.integers(0, len(chain)))
    previous = chain[index - 1] if index else None
    inserted = seal(forged, previous)  # even a correctly sealed forgery
    tampered = [*chain[:index], inserted, *chain[index:]]
    assert verify(tampered, expect_head=chain[-1].hash)
