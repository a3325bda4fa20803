"""The text of a bulletin (SPEC §3.4): the standard summary paragraph and the sentences
published bulletins add to it, each written from the one source of numbers.

`summary_paragraph` is the single base paragraph (the home page and the dashboard open with
it); this module adds, from the same leaves and `metrics` functions:

- by nature and level: 续建 / 新开工 (已开工) / 计划竣工投产 with their completed investment and
  rate; the 未开工 新开工 projects by level; 省、市重点 against 县区重点 relative to the time
  progress ("高于"/"低于" by the sign);
- starts against plan: 提前开工 / 未按计划开工;
- 开复工率: 新开工 projects started plus 续建 projects resumed. A 续建 project counts as
  复工 when an approved monthly report of the year, up to the month, has 本月已复工 ticked
  (`ProgressReport.is_resumed`, read by `metrics.load_leaves`): the reporter's statement,
  checked by the reviewer, is the only record of the winter break ending;
- year on year, once the year before has approved investment for the same months; where
  the two lists differ in size by more than a fifth, the comparable figure over the projects
  on both lists (同口径) follows.

Counting (SPEC §3.1, §3.8): every "N项" counts a package once, filed under its own level and
nature with its sub-projects' money (`metrics.Item`), so 续建 + 新开工 + … and 省 + 市 + 县区
add up to the total and "新开工和续建项目" is 新开工 + 续建; "（打包项目拆分后共M项）" is
added whenever sub-projects make the leaf count differ.
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from assessments import metrics
from core.cache import cached
from registry.choices import Nature

ONE = Decimal("0.1")


@dataclass
class Summary:
    paragraph: str
    sentences: dict = field(default_factory=dict)  # key → sentence, in reading order

    @property
    def text(self) -> str:
        return self.paragraph + "".join(self.sentences.values())


def _one(value: Decimal) -> str:
    return str(value.quantize(ONE, ROUND_HALF_UP))


def _yi(value: Decimal) -> str:
    return str(metrics.yi(value, "0.1"))


def summary_paragraph(f: metrics.Figures, year: int, month: int) -> str:
    """The standard summary paragraph DRCs publish (SPEC §3.4), from the figures."""
    text = (
        f"今年重点建设项目{count_text(f)}，项目总投资{_yi(f.total_investment)}亿元，"
        f"年度投资计划{_yi(f.annual_plan)}亿元。"
    )
    span = _span(month)
    if f.completion_rate is not None:
        gap = f.gap or Decimal(0)
        word = "超过" if gap >= 0 else "低于"
        text += (
            f"{span}累计完成投资{_yi(f.ytd)}亿元，占年度投资计划的{_one(f.completion_rate)}%，"
            f"{word}时间进度{_one(abs(gap))}个百分点。"
        )
    if f.planned_starts:
        text += (
            f"本年度计划开工项目{f.planned_starts}项（其中{span}计划开工{f.planned_starts_to_date}项），"
            f"实际已开工{f.started}项，完成年度计划开工的{_one(f.start_rate)}%。"
        )
    return text


def _span(month: int) -> str:
    return metrics.span_label(month)


def count_text(f: metrics.Figures) -> str:
    """ "N项", or "N项（打包项目拆分后共M项）" when packages make the counts differ."""
    split = f"（打包项目拆分后共{f.split_count}项）" if f.split_count != f.count else ""
    return f"{f.count}项{split}"


def _invested(f: metrics.Figures) -> str:
    text = f"完成投资{_yi(f.ytd)}亿元"
    if f.completion_rate is not None:
        text += f"，完成年度计划投资的{_one(f.completion_rate)}%"
    return text


def _against_time(f: metrics.Figures) -> str:
    if f.gap is None:
        return ""
    gap = f.gap.quantize(ONE, ROUND_HALF_UP)
    if gap == 0:
        return "，与序时进度持平"
    word = "高于" if gap > 0 else "低于"
    return f"，{word}序时进度{abs(gap)}个百分点"


def nature_sentence(natures: list[dict], finishing: metrics.Figures | None = None) -> str:
    """ "其中续建项目N项，完成投资…；新开工项目N项，已开工M项，完成投资…；前期项目…。计划竣工投产
    项目…。" The natures are `metrics.by_nature` rows (they add up to the total); 计划竣工投产
    cuts across them, so it is a sentence of its own."""
    parts = []
    for row in natures:
        f = row["figures"]
        if not f.split_count:
            continue
        started = f"，已开工{f.new_started}项" if row["value"] == Nature.NEW else ""
        parts.append(f"{row['label']}项目{count_text(f)}{started}，{_invested(f)}")
    text = "其中" + "；".join(parts) + "。" if parts else ""
    if finishing is not None and finishing.split_count:
        text += f"计划竣工投产项目{count_text(finishing)}，{_invested(finishing)}。"
    return text


def unstarted_sentence(totals: metrics.Figures, levels: list[dict]) -> str:
    """ "N项未开工项目中，省重点项目a项，市重点项目b项，县区重点项目c项。" (新开工 not started;
    a level without any is left out)."""
    if not totals.new_unstarted:
        return ""
    parts = [
        f"{row['label']}项目{row['figures'].new_unstarted}项"
        for row in levels
        if row["figures"].new_unstarted
    ]
    return f"{totals.new_unstarted}项未开工项目中，" + "，".join(parts) + "。"


def tier_sentence(tiers: list[dict]) -> str:
    """ "列入省、市重点项目N项，完成投资…，高于序时进度x个百分点；县区重点项目…低于…。" """
    parts = []
    for row in tiers:
        f = row["figures"]
        if not f.split_count:
            continue
        parts.append(f"{row['label']}项目{count_text(f)}，{_invested(f)}{_against_time(f)}")
    return "列入" + "；".join(parts) + "。" if parts else ""


def starts_sentence(f: metrics.Figures) -> str:
    """ "目前实际已开工N项（其中，提前开工项目a项，未按计划开工项目b项）。" """
    if not f.planned_starts:
        return ""
    return (
        f"目前实际已开工{f.started}项（其中，提前开工项目{f.started_early}项，"
        f"未按计划开工项目{f.missed}项）。"
    )


def resumption_sentence(f: metrics.Figures) -> str:
    """ "新开工和续建项目N项，开复工M项，开复工率为x%，其中新开工项目开工a项，续建项目复工b项。" """
    if f.resumption_rate is None:
        return ""
    return (
        f"新开工和续建项目{f.new_projects + f.continuing}项，"
        f"开复工{f.new_started + f.continuing_resumed}项，开复工率为{_one(f.resumption_rate)}%，"
        f"其中新开工项目开工{f.new_started}项，续建项目复工{f.continuing_resumed}项。"
    )


def _change(yoy: metrics.YearOnYear) -> str:
    grew = yoy.change >= 0
    text = f"较去年同期{'增长' if grew else '减少'}{metrics.yi(abs(yoy.change))}亿元"
    if yoy.rate is not None:
        text += f"，同比{'增长' if grew else '下降'}{abs(yoy.rate)}%"
    return text


def lists_differ(current: metrics.Figures, previous: metrics.Figures) -> bool:
    """The two lists differ in size by more than a fifth of last year's (SPEC §3.8)."""
    return abs(current.count - previous.count) * 5 > previous.count


def year_on_year_sentence(
    current: metrics.Figures,
    previous: metrics.Figures | None,
    month,
    comparable: tuple[metrics.Figures, metrics.Figures] | None = None,
) -> str:
    """ "1-10月累计完成投资较去年同期增长X亿元，同比增长Y%。" once last year has data; when the
    lists differ by more than a fifth, with both sizes and the 同口径 figure over `comparable`
    (this year's and last year's figures of the projects on both lists)."""
    if previous is None or not previous.split_count or previous.ytd <= 0:
        return ""
    text = f"{_span(month)}累计完成投资{_change(metrics.year_on_year(current, previous))}"
    if comparable is None or not lists_differ(current, previous):
        return text + "。"
    now, before = comparable
    text += f"（去年同期重点项目{previous.count}项，今年{current.count}项，规模不同）"
    if not now.count:
        return text + "，两年均在库的项目为0项，无同口径数据。"
    yoy = metrics.year_on_year(now, before)
    return text + f"；按两年均在库的{now.count}项同口径计算，{_change(yoy)}。"


def bulletin_text(projects, year: int, month: int, *, last_year_projects=None) -> Summary:
    """The paragraph and its sentences for `projects` (one year's list, already scoped).

    `last_year_projects`: the same scope's list of the year before, for the year-on-year
    sentence (left out when None or when that year has no approved investment)."""
    totals, sentences = cached("bulletin-sentences", projects, year, month, _this_year)
    previous = comparable = None
    if last_year_projects is not None:
        previous = metrics.totals(last_year_projects, year - 1, month)
        if previous.split_count and lists_differ(totals, previous):
            comparable = metrics.comparable(projects, last_year_projects, year, month)
    yoy = year_on_year_sentence(totals, previous, month, comparable)
    sentences = {**sentences, "year_on_year": yoy}
    return Summary(
        paragraph=summary_paragraph(totals, year, month),
        sentences={k: v for k, v in sentences.items() if v},
    )


def _this_year(projects, year: int, month: int):
    """The scope's figures and the sentences drawn from this year's data alone (kept in the
    figure cache: at city scale the breakdowns take most of a second)."""
    leaves = metrics.load_leaves(projects, year, month)
    totals = metrics.figures(leaves, year, month)
    return totals, {
        "nature": nature_sentence(
            metrics.by_nature(leaves, year, month), metrics.finishing(leaves, year, month)
        ),
        "unstarted": unstarted_sentence(totals, metrics.by_level(leaves, year, month)),
        "tiers": tier_sentence(metrics.by_tier(leaves, year, month)),
        "starts": starts_sentence(totals),
        "resumption": resumption_sentence(totals),
    }


def ranking_sentences(rows, period_label: str, what: str = "县区") -> list[str]:
    """The ranking sentences from `scoring.scores` rows: first and last named, and the
    红榜/黑榜 as scoring marks them (none with fewer than three ranked)."""
    if not rows:
        return []
    first, last = rows[0], rows[-1]
    text = f"{period_label}{what}综合考评，{first.name}以{first.score}分位列第一"
    if len(rows) > 1:
        text += f"，{last.name}以{last.score}分排名最后"
    out = [text + "。"]
    for board in ("红榜", "黑榜"):
        names = "、".join(r.name for r in rows if r.board == board)
        if names:
            out.append(f"{board}：{names}。")
    return out
