"""Cell value parsing: money as Decimal (never float arithmetic), dates in every real form.

Each parser returns the value or raises CellError with a Chinese reason; the reader adds
sheet, row and column to it.
"""

import calendar
import datetime
import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal, DecimalException

from django.core.validators import MaxValueValidator, MinValueValidator

CENT = Decimal("0.01")
EXCEL_EPOCH = datetime.date(1899, 12, 30)
# Serials of 1950-01-01 … 2099-12-31: a bare number in this range in a date column is a date.
SERIAL_MIN, SERIAL_MAX = 18264, 73415
# Messages quote the cell; a hostile 2,000-character cell is shown shortened.
SHOWN_CHARS = 40


class CellError(ValueError):
    pass


# What printed tables put in a cell that has nothing to say ("—" for an empty amount).
_NOTHING = {"", "—", "——", "-", "－", "–", "/", "／", "\\"}


def is_blank(value):
    return value is None or (isinstance(value, str) and value.strip() in _NOTHING)


def to_text(value):
    """Cell → str. Integral floats lose the '.0' (phone numbers, codes typed as numbers)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return str(Decimal(str(value)).normalize())
    if isinstance(value, datetime.datetime):
        return value.strftime("%Y-%m-%d") if value.time() == datetime.time() else str(value)
    if isinstance(value, datetime.date):
        return value.strftime("%Y-%m-%d")
    return str(value).strip()


def shown(value):
    """The cell as quoted in a message: its text, shortened when long."""
    text = to_text(value)
    return text if len(text) <= SHOWN_CHARS else text[:SHOWN_CHARS] + "…"


# Thousands separators (comma or space) must group exactly three digits: '1,234.5' is a
# number, '12,3' and '1,23,456' are typing mistakes, not 123 and 123456.
_GROUPED = re.compile(r"^[+-]?\d{1,3}(?:[,\s]\d{3})+(?:\.\d+)?$")
_SEPARATOR = re.compile(r"[,\s]")


def _number_text(value):
    text = unicodedata.normalize("NFKC", str(value)).strip()  # NFKC: '，' → ',', '　' → ' '
    if _SEPARATOR.search(text):
        if not _GROUPED.match(text):
            raise CellError(f"不是数字 “{shown(value)}”")
        text = _SEPARATOR.sub("", text)
    return text


def to_decimal(value, factor=Decimal(1)):
    """Number or numeric text ('1,234.5', '１２３４', ' 12 ') → Decimal rounded to 0.01.

    Range and sign are the target field's business (check_limits); here only what is not a
    finite number at all, or too big to round to cents, is refused.
    """
    if isinstance(value, bool):
        raise CellError(f"不是数字 “{to_text(value)}”")
    if isinstance(value, int):
        d = Decimal(value)
    elif isinstance(value, float):
        # str() gives the shortest repr, so 0.1+0.2-style artefacts of Excel cells are
        # rounded away below rather than carried into the database.
        d = Decimal(repr(value))
    elif isinstance(value, Decimal):
        d = value
    else:
        try:
            d = Decimal(_number_text(value))
        except DecimalException:
            raise CellError(f"不是数字 “{shown(value)}”") from None
    if not d.is_finite():
        raise CellError(f"不是数字 “{shown(value)}”")
    try:
        # 1e30 cannot be rounded to cents within the context's 28 digits: InvalidOperation.
        return (d * factor).quantize(CENT, ROUND_HALF_UP)
    except DecimalException:
        raise CellError(f"数值超出范围 “{shown(value)}”") from None


def check_limits(value, field, raw):
    """Refuse a parsed value the model field could not store (limits from its metadata).

    CharField: max_length; DecimalField: max_digits/decimal_places; any field: its
    Min/MaxValueValidators (non-negative money and area). Written before any database
    write, so PostgreSQL never raises DataError and SQLite never stores what PG refuses.
    """
    if value is None or field is None:
        return value
    if isinstance(value, str):
        limit = getattr(field, "max_length", None)
        if limit and len(value) > limit:
            raise CellError(f"超过{limit}个字（填了{len(value)}个字）")
        return value
    if not isinstance(value, (int, Decimal)) or isinstance(value, bool):
        return value
    places = getattr(field, "decimal_places", None)
    digits = getattr(field, "max_digits", None)
    if places is not None and digits is not None:
        bound = Decimal(10) ** (digits - places)
        if abs(value) >= bound:
            raise CellError(f"数值超出范围 “{shown(raw)}”（应小于{bound:,}）")
    for validator in field.validators:
        if isinstance(validator, MinValueValidator) and value < validator.limit_value:
            if validator.limit_value == 0:
                raise CellError(f"不能为负数 “{shown(raw)}”")
            raise CellError(f"不能小于{validator.limit_value} “{shown(raw)}”")
        if isinstance(validator, MaxValueValidator) and value > validator.limit_value:
            raise CellError(f"数值超出范围 “{shown(raw)}”（最大{validator.limit_value}）")
    return value


def to_int(value):
    d = to_decimal(value)
    if d != d.to_integral_value():
        raise CellError(f"不是整数 “{shown(value)}”")
    return int(d)


_DATE_FORMS = [
    # 2026-03-15, 2026/3/15, 2026.3.15, 2026年3月15日
    re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$"),
    # 2026.3, 2026-03, 2026/3, 2026年3月
    re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?(?:份)?$"),
    # 20260315
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
    # 2026年 (year only → 1 January)
    re.compile(r"^(\d{4})\s*年(?:度)?$"),
]


def _make_date(y, m=1, d=1, raw=""):
    try:
        return datetime.date(int(y), int(m), int(d))
    except ValueError:
        raise CellError(f"不是有效日期 “{shown(raw)}”") from None


def from_serial(serial):
    return EXCEL_EPOCH + datetime.timedelta(days=int(serial))


def to_date(value):
    """Date cell, Excel serial, or text in the forms of SPEC §4.3 → datetime.date.

    A month without a day means its first day. A number like 2026.3 (typed as text by
    people, stored by Excel as a number) is year.month; 2026.1 is January, since Excel
    has already dropped the zero of 2026.10 — type October as text or a full date.
    """
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if SERIAL_MIN <= value <= SERIAL_MAX:
            return from_serial(value)
        if 1900 <= value < 2200:
            text = repr(float(value))
            y, _, frac = text.partition(".")
            if frac in ("", "0"):
                return _make_date(y, 1, 1, raw=to_text(value))
            return _make_date(y, frac, 1, raw=to_text(value))
        raise CellError(f"不是有效日期 “{shown(value)}”")
    raw = str(value).strip()
    text = unicodedata.normalize("NFKC", raw)
    text = re.sub(r"[T\s]+\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?$", "", text).replace(" ", "")
    for i, form in enumerate(_DATE_FORMS):
        m = form.match(text)
        if m:
            if i == 3:
                return _make_date(m.group(1), raw=raw)
            parts = m.groups()
            return _make_date(*parts, raw=raw)
    if re.fullmatch(r"\d+(\.0+)?", text):
        return to_date(float(text))
    raise CellError(f"不是有效日期 “{shown(raw)}”")


def to_month(value):
    """'2026-03', '2026年3月', '2026.3', a date or serial → 'YYYY-MM' period string."""
    d = to_date(value)
    return f"{d.year:04d}-{d.month:02d}"


_SPAN_TEXT = re.compile(r"^[\d\s年月度.\-－—–~～至到/、]+$")
# A year and, optionally, its month: "2025.03", "2026年3月", "2025-3"; "2024-2026" is two years.
_YEAR_MONTH = re.compile(r"((?:19|20)\d{2})(?:\s*(?:年|\.|/|-|－)\s*(\d{1,2})(?!\d)\s*月?)?")


def span_months(raw) -> tuple[tuple[int, int | None], tuple[int, int | None]]:
    """'2025.03-2027.12' → ((2025, 3), (2027, 12)); '2024-2026' → ((2024, None), (2026, None)).
    CellError in Chinese when the text is not a span of years (and months)."""
    if isinstance(raw, (int, float)) and 1900 <= int(raw) <= 2100 and float(raw).is_integer():
        return (int(raw), None), (int(raw), None)
    text = to_text(raw)
    found = [(int(y), int(m) if m else None) for y, m in _YEAR_MONTH.findall(text)]
    if not found or len(found) > 2 or not _SPAN_TEXT.match(text):
        raise CellError(
            f"无法识别 “{shown(text)}”（应为起止年份，如 2024-2026、2025.03-2027.12 或"
            " 2026年3月至2028年6月）"
        )
    if any(m is not None and not 1 <= m <= 12 for _y, m in found):
        raise CellError(f"“{shown(text)}”中的月份应在1到12之间")
    start, finish = found[0], found[-1]
    if finish[0] < start[0] or (finish[0] == start[0] and (finish[1] or 12) < (start[1] or 1)):
        raise CellError(f"竣工年月早于开工年月：“{shown(text)}”")
    return start, finish


def year_span(raw) -> tuple[int, int]:
    """'2024-2026' → (2024, 2026); '2026年' → (2026, 2026). CellError in Chinese otherwise."""
    start, finish = span_months(raw)
    return start[0], finish[0]


def span_dates(start, finish) -> tuple[datetime.date, datetime.date]:
    """The first day of the start month and the last day of the finish month; a year without
    a month stands for all of it."""
    (y1, m1), (y2, m2) = start, finish
    m2 = m2 or 12
    return datetime.date(y1, m1 or 1, 1), datetime.date(y2, m2, calendar.monthrange(y2, m2)[1])
