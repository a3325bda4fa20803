"""Column schemas and header synonyms.

A header cell is normalised (NFKC: full-width → half-width, no spaces or line breaks, no
required-field stars), its unit in brackets is split off (万元/亿元/元/亩), a leading
"2026年" is dropped, and the rest is looked up in the synonym table of the schema.
"""

import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal

TEXT, MONEY, AREA, DATE, CHOICE, INT, MONTH, SPAN = (
    "text",
    "money",
    "area",
    "date",
    "choice",
    "int",
    "month",
    "span",  # 建设起止年限: "2024-2026" → (2024, 2026)
)


@dataclass(frozen=True)
class Column:
    key: str
    label: str  # the template header, also used in error messages
    kind: str = TEXT
    synonyms: tuple = ()
    required: bool = False  # the column must be present for the sheet to be read
    width: int = 14


@dataclass
class Schema:
    name: str
    columns: list
    # A row is the header when it names at least these columns.
    key_columns: tuple
    by_key: dict = field(init=False)
    lookup: dict = field(init=False)

    def __post_init__(self):
        self.by_key = {c.key: c for c in self.columns}
        self.lookup = {}
        for c in self.columns:
            for name in (c.label, *c.synonyms):
                base, _unit = split_header(name)
                self.lookup.setdefault(base, c.key)

    def match(self, text):
        """(column key, unit) for a header cell, or (None, None)."""
        base, unit = split_header(text)
        if not base:
            return None, None
        key = self.lookup.get(base)
        return (key, unit) if key else (None, None)


_SPACES = re.compile(r"[\s\u3000\u00a0]+")
_UNIT = re.compile(r"[(\[]([^)\]]*)[)\]]")
_YEAR_PREFIX = re.compile(r"^(19|20)\d{2}年(度)?")
# "至2025年底累计完成投资" names the same column as "至上年底累计完成投资".
_YEAR_END = re.compile(r"(19|20)\d{2}年(底|末)")
# Offices head the year-to-date column with its month: "1-10月累计完成投资", "1—10月累计完成",
# "1至10月累计", "截至10月底累计", "10月累计完成投资" — for any month. All name 本年累计.
_MONTH_SPAN = re.compile(
    r"^(?:(?:截至|截止|至)?1(?:-|—|–|~|至|到)\d{1,2}月份?(?:累计)?"
    r"|(?:截至|截止)\d{1,2}月份?(?:底|末)?(?:累计)?"
    r"|\d{1,2}月份?(?:底|末)?累计)"
)
# "10月完成投资" is the month's own figure (本月完成投资).
_ONE_MONTH = re.compile(r"^\d{1,2}月份?(?=完成)")
UNIT_FACTORS = {"万元": Decimal(1), "亿元": Decimal(10000), "元": Decimal("0.0001")}


def normalise(text):
    """Full-width → half-width, no whitespace, no '*' markers, lower case."""
    if text is None:
        return ""
    s = unicodedata.normalize("NFKC", str(text))
    s = _SPACES.sub("", s).replace("*", "").replace("【", "[").replace("】", "]")
    return s.lower()


def split_header(text):
    """'总投资（亿元）' → ('总投资', '亿元'); '用地面积(亩)' → ('用地面积', '亩')."""
    s = normalise(text)
    unit = None
    m = _UNIT.search(s)
    if m:
        inner = m.group(1)
        for u in ("亿元", "万元", "元", "亩"):
            if u in inner:
                unit = u
                break
        s = _UNIT.sub("", s)
    else:
        for u in ("亿元", "万元"):
            if s.endswith(u) and len(s) > len(u):
                unit, s = u, s[: -len(u)]
                break
    s = _YEAR_PREFIX.sub("", s)
    s = _YEAR_END.sub("上年底", s)
    s = _MONTH_SPAN.sub("本年累计", s)
    s = _ONE_MONTH.sub("本月", s)
    return s, unit


class ChoiceMap(dict):
    """Normalised label, code or synonym → stored choice value."""

    def __init__(self, text_choices, synonyms=None):
        super().__init__()
        self.values_labels = [label for _value, label in text_choices.choices]
        self.label_of = dict(text_choices.choices)
        for value, label in text_choices.choices:
            self[normalise(label)] = value
            self[normalise(value)] = value
        for word, value in (synonyms or {}).items():
            self[normalise(word)] = value
