"""Masking a reason (webapp.searches.redaction): every example of docs/searches-method.md's table is masked
with its mark and every counter-example is kept as it is."""

import pytest

from tests.searches.test_searches_classification import quoted, table
from webapp.searches.redaction import MASKS, mask

MASK_ROWS = table("masks")


def test_the_method_lists_every_mask():
    assert [quoted(row[0])[0] for row in MASK_ROWS] == list(MASKS)


@pytest.mark.parametrize(
    ("mark", "example"), [(quoted(row[0])[0], example) for row in MASK_ROWS for example in quoted(row[2])]
)
def test_each_example_is_masked_with_its_mark(mark, example):
    masked = mask(example)
    assert mark in masked
    # The examples hold nothing else with a digit: none is left.
    assert not any(character.isdigit() for character in masked)


@pytest.mark.parametrize("kept", [example for row in MASK_ROWS for example in quoted(row[3])])
def test_each_counter_example_is_kept(kept):
    assert mask(kept) == kept


def test_a_reason_with_everything_keeps_only_its_words():
    reason = "ICE detainer John DOB 04/02/1988 plate 7ABC123 case #25-004411 call 555-123-4567 jd@example.org"
    masked = mask(reason)
    for personal in ("04/02/1988", "7ABC123", "25-004411", "555-123-4567", "jd@example.org"):
        assert personal not in masked
    assert masked.startswith("ICE detainer")
