"""Alignment results as CSV rows and a Markdown table (one row per obligation)."""

from __future__ import annotations

import csv
import io

ALIGN_COLUMNS = ("obligation", "level", "category", "status", "score", "reason", "missing_elements",
                 "provision", "source", "number", "heading", "evidence")
# Rows that went through harmonize.service.reviewed also carry who decided the status.
REVIEW_COLUMNS = ("status_source", "machine_status", "machine_score", "reviewed_by", "reviewer_organisation",
                  "reviewed_at", "review_note")


def align_rows(results: list[dict]) -> list[dict]:
    """Flatten `align` JSON: the deciding provision of each obligation beside its status and
    reason (none for a duty the corpus cannot judge: what was found is not on its subject)."""
    rows = []
    for r in results:
        judged = r["status"] in ("covered", "partial", "missing")
        best = r["provisions"][0] if r["provisions"] and judged else {}
        rows.append({
            "obligation": r["obligation"], "level": r["level"], "category": "; ".join(r["category"]),
            "status": r["status"], "score": r["score"] if judged else "", "reason": r.get("reason", ""),
            "missing_elements": "; ".join(r["missing_elements"]),
            "provision": best.get("id", ""), "source": best.get("source", ""), "number": best.get("number", ""),
            "heading": best.get("heading", ""), "evidence": best.get("evidence", ""),
            **review_cells(r),
        })
    return rows


def to_csv(rows: list[dict], columns: tuple[str, ...] | None = None) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(columns or rows[0].keys()) if (columns or rows) else [], extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def escape_html(text: str) -> str:
    """Corpus text in Markdown: `&` and `<` escaped, so stray HTML in a source (<details>, <script>)
    shows as text in a Markdown viewer instead of being rendered; `>` stays (blockquotes)."""
    return text.replace("&", "&amp;").replace("<", "&lt;")


def _cell(value) -> str:
    return escape_html(str(value if value is not None else "")).replace("|", "\\|").replace("\n", " ")


def to_markdown(rows: list[dict], columns: tuple[str, ...]) -> str:
    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    lines += ["| " + " | ".join(_cell(row.get(c)) for c in columns) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def review_cells(r: dict) -> dict:
    """The REVIEW_COLUMNS of one row ("" where it has no reviewer decision or no review data)."""
    if "machine" not in r:
        return {}
    review = r.get("review") or {}
    decided = bool(review.get("author"))
    return {"status_source": r["status_source"], "machine_status": r["machine"]["status"],
            "machine_score": r["machine"]["score"], "reviewed_by": review.get("author", "") if decided else "",
            "reviewer_organisation": review.get("organisation", "") if decided else "",
            "reviewed_at": review.get("created_at", "") if decided else "",
            "review_note": review.get("note", "") if decided else ""}
