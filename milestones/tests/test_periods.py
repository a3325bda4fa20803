"""The period rule (SPEC §3.8): the default is the last closed month; nothing is judged as of
a future day; one parser for every query string."""

import datetime
from fractions import Fraction

import pytest

from core.periods import (
    Period,
    PeriodError,
    as_of,
    month_ended,
    parse_period,
    time_fraction,
)
from milestones.periods import closed_months, default_month, default_period, resolve
from milestones.tests.factories import ReportingWindowFactory

D = datetime.date


@pytest.mark.parametrize(
    "today, expected",
    [
        (D(2026, 12, 8), Period("month", 2026, 11)),  # November's deadline (5 Dec) passed
        (D(2026, 12, 5), Period("month", 2026, 10)),  # … not yet on the 5th
        (D(2026, 1, 3), Period("month", 2025, 11)),
        (D(2026, 1, 6), Period("month", 2025, 12)),
        (D(2026, 12, 31), Period("month", 2026, 11)),  # December has not ended
    ],
)
def test_without_windows_a_month_closes_after_the_5th_of_the_next(db, today, expected):
    assert default_period(today) == expected


def test_windows_decide_where_they_exist(db):
    today = D(2026, 12, 8)
    # given November's window still open with a deadline extended to the 10th
    ReportingWindowFactory(year=2026, month=11, deadline=D(2026, 12, 10), is_open=True)
    # then the default goes back to October
    assert default_period(today) == Period("month", 2026, 10)
    # when the DRC closes November early
    ReportingWindowFactory._meta.model.objects.filter(year=2026, month=11).update(is_open=False)
    # then November is the default again
    assert default_period(today) == Period("month", 2026, 11)
    # and a window left open past its deadline counts as closed
    ReportingWindowFactory(year=2026, month=10, deadline=D(2026, 11, 5), is_open=True)
    assert 10 in closed_months(2026, today)


def test_a_closed_window_for_the_running_month_is_still_a_month_of_today(db):
    # a window closed early for December (on the 8th) makes December the default, judged
    # as of today, never the 31st
    ReportingWindowFactory(year=2026, month=12, deadline=D(2026, 12, 7), is_open=False)
    today = D(2026, 12, 8)
    assert default_period(today) == Period("month", 2026, 12)
    assert resolve({}, today=today).as_of == today


def test_default_month_of_other_years(db):
    today = D(2026, 12, 8)
    assert default_month(2026, today) == 11
    assert default_month(2025, today) == 12
    assert default_month(2027, today) == 1
    assert resolve({"year": "2027"}, today=today).provisional


def test_as_of_and_time_progress_never_count_a_future_day():
    assert as_of(2026, 12, D(2026, 12, 8)) == D(2026, 12, 8)
    assert as_of(2026, 11, D(2026, 12, 8)) == D(2026, 11, 30)
    assert time_fraction(2026, 11, D(2026, 12, 8)) == Fraction(11, 12)
    # 8 December: 11 months and 8 days of 31, not 100%
    assert time_fraction(2026, 12, D(2026, 12, 8)) == (11 + Fraction(8, 31)) / 12
    assert time_fraction(2026, 12, D(2026, 12, 31)) == 1
    assert not month_ended(2026, 12, D(2026, 12, 31))
    assert month_ended(2026, 12, D(2027, 1, 1))


@pytest.mark.parametrize(
    "params, allow, expected",
    [
        ({}, ("month",), Period("month", 2026, 11)),
        ({"year": "2026", "month": "3"}, ("month",), Period("month", 2026, 3)),
        ({"period": "2026-03"}, ("month",), Period("month", 2026, 3)),
        ({"year": "2025"}, ("month",), Period("month", 2025, 12)),
        ({"period": "2026-01..10"}, ("month", "ytd"), Period("ytd", 2026, 10)),
        ({"kind": "ytd", "year": "2026", "month": "10"}, ("month", "ytd"), Period("ytd", 2026, 10)),
        ({"kind": "quarter", "year": "2026"}, ("month", "quarter"), Period("quarter", 2026, 3)),
        ({"kind": "quarter", "quarter": "4"}, ("month", "quarter"), Period("quarter", 2026, 4)),
        ({"kind": "year"}, ("month", "year"), Period("year", 2026)),
    ],
)
def test_one_parser_for_every_query_string(db, params, allow, expected):
    assert resolve(params, allow=allow, today=D(2026, 12, 8)).period == expected


@pytest.mark.parametrize(
    "params, allow, message",
    [
        ({"month": "13"}, ("month",), "月份应在1到12之间"),
        ({"month": "十一"}, ("month",), "月份格式不正确"),
        ({"year": "20x6"}, ("month",), "年度格式不正确"),
        ({"year": "1999"}, ("month",), "年度超出范围"),
        ({"period": "2026-Q3"}, ("month",), "此处期间应为月份"),
        ({"period": "2026/03"}, ("month",), "期间格式不正确"),
        ({"kind": "decade"}, ("month",), "此处期间应为"),
        ({"kind": "quarter", "quarter": "5"}, ("month", "quarter"), "季度应在1到4之间"),
        ({"period": "2026-01..13"}, ("ytd",), "月份应在1到12之间"),
    ],
)
def test_bad_values_say_what_is_wrong_in_chinese(db, params, allow, message):
    with pytest.raises(PeriodError, match=message):
        resolve(params, allow=allow, today=D(2026, 12, 8))


def test_ytd_period_round_trips():
    p = parse_period("2026-01..11", allow=("ytd",))
    assert (p.kind, p.months[-1], p.label, str(p)) == ("ytd", 11, "2026年1-11月累计", "2026-01..11")


def test_answers_say_which_period_and_whether_it_is_provisional(db):
    today = D(2026, 12, 8)
    assert resolve({}, today=today).as_api() == {
        "period": "2026-11",
        "period_label": "2026年11月",
        "provisional": False,
        "as_of": "2026-11-30",
    }
    assert resolve({"month": "12"}, today=today).as_api() == {
        "period": "2026-12",
        "period_label": "2026年12月",
        "provisional": True,
        "as_of": "2026-12-08",
    }
