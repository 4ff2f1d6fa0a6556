"""'Today' is the date in Amsterdam, whatever the machine's zone or the UTC date says."""

from __future__ import annotations

from datetime import UTC, date, datetime

from service.clock import Clock


def test_just_after_midnight_in_amsterdam_it_is_already_the_next_day() -> None:
    # 23:30 UTC on New Year's Eve is 00:30 on 1 January in Amsterdam (CET, UTC+1).
    assert Clock.fixed(datetime(2026, 12, 31, 23, 30, tzinfo=UTC)).today() == date(2027, 1, 1)
    # In summer (CEST, UTC+2) the day turns at 22:00 UTC.
    assert Clock.fixed(datetime(2026, 6, 30, 22, 30, tzinfo=UTC)).today() == date(2026, 7, 1)
    assert Clock.fixed(datetime(2026, 6, 30, 21, 30, tzinfo=UTC)).today() == date(2026, 6, 30)


def test_now_is_aware_utc_even_from_a_naive_source() -> None:
    now = Clock.fixed(datetime(2026, 3, 1, 12, 0)).now()
    assert now.tzinfo is not None and now.utcoffset() is not None and now.utcoffset().total_seconds() == 0
    assert now == datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
