"""What a correction changed (SPEC §3.8: 更正版 lists what changed): the frozen JSON of two
versions (reports.snapshot) compared, each difference one readable Chinese line."""

import re

from reports.snapshot import FIGURES

LABELS = dict(FIGURES)
MAX_ROW_LINES = 20


def _sentences(text: str) -> list[str]:
    return [s + "。" for s in re.split(r"。", text or "") if s.strip()]


def _text_changes(old: dict, new: dict) -> list[str]:
    before = _sentences(old.get("paragraph", "")) + _sentences(
        "".join(old.get("sentences", {}).values())
    )
    after = _sentences(new.get("paragraph", "")) + _sentences(
        "".join(new.get("sentences", {}).values())
    )
    gone = [s for s in before if s not in after]
    came = [s for s in after if s not in before]
    lines = []
    for i in range(max(len(gone), len(came))):
        if i < len(gone) and i < len(came):
            lines.append(f"正文：“{gone[i]}”改为“{came[i]}”")
        elif i < len(came):
            lines.append(f"正文：新增“{came[i]}”")
        else:
            lines.append(f"正文：删去“{gone[i]}”")
    return lines


def _fmt(value) -> str:
    return "—" if value is None else str(value)


def _figure_changes(where: str, old: dict, new: dict) -> list[str]:
    lines = []
    for key, label in FIGURES:
        if old.get(key) != new.get(key):
            lines.append(f"{where}{label}：{_fmt(old.get(key))} → {_fmt(new.get(key))}")
    for label in dict.fromkeys([*old.get("statuses", {}), *new.get("statuses", {})]):
        a, b = old.get("statuses", {}).get(label, 0), new.get("statuses", {}).get(label, 0)
        if a != b:
            lines.append(f"{where}{label}(项)：{a} → {b}")
    return lines


def _region_changes(old: list, new: list) -> list[str]:
    before, after = {r["name"]: r for r in old}, {r["name"]: r for r in new}
    lines = []
    for name in dict.fromkeys([*before, *after]):
        if name not in after:
            lines.append(f"分地区：删去{name}")
        elif name not in before:
            lines.append(f"分地区：新增{name}")
        else:
            lines += _figure_changes(f"分地区 {name} ", before[name], after[name])
    return lines


def _row_key(row: dict) -> tuple:
    return (row.get("name"), row.get("region"))


def _list_changes(old: list, new: list) -> list[str]:
    before, after = {x["key"]: x for x in old}, {x["key"]: x for x in new}
    lines = []
    for key, x in after.items():
        y = before.get(key, {"total": 0, "rows": []})
        title = x["title"]
        if y["total"] != x["total"]:
            lines.append(f"{title}：{y['total']}项 → {x['total']}项")
        was = {_row_key(r): r for r in y["rows"]}
        now = {_row_key(r): r for r in x["rows"]}
        for k, r in now.items():
            if k not in was:
                lines.append(f"{title}：新增 {r['name']}（{r['region']}）")
            elif was[k].get("detail") != r.get("detail"):
                lines.append(
                    f"{title}：{r['name']}（{r['region']}）原因由“{was[k].get('detail')}”"
                    f"改为“{r.get('detail')}”"
                )
        lines += [
            f"{title}：删去 {r['name']}（{r['region']}）" for k, r in was.items() if k not in now
        ]
    return lines


def _ranking_changes(old: dict, new: dict) -> list[str]:
    lines = []
    before = {r["name"]: r for r in old.get("region_scores", [])}
    for r in new.get("region_scores", []):
        b = before.get(r["name"])
        if b and (b["rank"], b["score"]) != (r["rank"], r["score"]):
            lines.append(
                f"考评排名 {r['name']}：第{b['rank']}名（{b['score']}分）→ "
                f"第{r['rank']}名（{r['score']}分）"
            )
    if not lines and old.get("ranking") != new.get("ranking"):
        lines.append("考评排名：排名表述有变化")
    return lines


def compare(old: dict, new: dict) -> list[str]:
    """Every difference from version `old` to `new`, in the document's order."""
    lines = _text_changes(old, new)
    lines += _figure_changes("合计 ", old.get("totals", {}), new.get("totals", {}))
    lines += _region_changes(old.get("regions", []), new.get("regions", []))
    rows = _list_changes(old.get("lists", []), new.get("lists", []))
    if len(rows) > MAX_ROW_LINES:
        rows = rows[:MAX_ROW_LINES] + [f"名单另有{len(rows) - MAX_ROW_LINES}处变化，见正文"]
    return lines + rows + _ranking_changes(old, new)
