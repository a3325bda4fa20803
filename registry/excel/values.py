"""Cell value parsing: money as Decimal (never float arithmetic), dates in every real form.

Each parser returns the value or raises CellError with a Chinese reason; the reader adds
sheet, row and column to it.
"""

import datetime
import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

CENT = Decimal("0.01")
EXCEL_EPOCH = datetime.date(1899, 12, 30)
# Serials of 1950-01-01 … 2099-12-31: a bare number in this range in a date column is a date.
SERIAL_MIN, SERIAL_MAX = 18264, 73415


class CellError(ValueError):
    pass


def is_blank(value):
    return value is None or (isinstance(value, str) and not value.strip())


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


_NUM_CLEAN = re.compile(r"[,\s\u3000\u00a0]")


def to_decimal(value, factor=Decimal(1)):
    """Number or numeric text ('1,234.5', '１２３４', ' 12 ') → Decimal rounded to 0.01."""
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
        text = _NUM_CLEAN.sub("", unicodedata.normalize("NFKC", str(value)))
        try:
            d = Decimal(text)
        except InvalidOperation:
            raise CellError(f"不是数字 “{str(value).strip()}”") from None
        if not d.is_finite():
            raise CellError(f"不是数字 “{str(value).strip()}”")
    d = (d * factor).quantize(CENT, ROUND_HALF_UP)
    if d < 0:
        raise CellError(f"不能为负数 “{to_text(value)}”")
    if d >= Decimal("1e12"):
        raise CellError(f"数值过大 “{to_text(value)}”")
    return d


def to_int(value):
    d = to_decimal(value)
    if d != d.to_integral_value():
        raise CellError(f"不是整数 “{to_text(value)}”")
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
        raise CellError(f"不是有效日期 “{raw}”") from None


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
        raise CellError(f"不是有效日期 “{to_text(value)}”")
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
    raise CellError(f"不是有效日期 “{raw}”")


def to_month(value):
    """'2026-03', '2026年3月', '2026.3', a date or serial → 'YYYY-MM' period string."""
    d = to_date(value)
    return f"{d.year:04d}-{d.month:02d}"
