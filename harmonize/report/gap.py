"""The committee gap report for one country: HTML, Markdown and PDF.

A banner saying what the country's corpus holds and does not hold; a summary table per
convention (the country's party status from parties.tsv with its confidence, covered /
partial / missing / not analysed / no statute, and a level-weighted coverage share of the
obligations the corpus can judge: "not analysed" and "no statute" never count as 0%); then
each gap (partial, missing, or not judged) with its one-sentence reason, the convention text
beside the closest national text, the missing elements and the evidence.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from jinja2 import Environment, PackageLoader, select_autoescape

from harmonize.align.coverage import NO_DATA
from harmonize.report.tables import escape_html, to_markdown

ENV = Environment(loader=PackageLoader("harmonize.report", "templates"), autoescape=select_autoescape(["html"]))


SUMMARY_COLUMNS = ("convention", "party", "covered", "partial", "missing", "not analysed", "no statute", "coverage")


def coverage_label(row: dict) -> str:
    """ "83%", or "not judged" when the corpus can judge none of the convention's obligations."""
    return "not judged" if row.get("coverage") is None else f"{row['coverage']:.0%}"


def report_context(country: str, results: list[dict], summary: dict, convention_text: dict[str, str],
                   national_text: dict[str, str], holdings: dict | None = None, parties: dict | None = None) -> dict:
    """Everything the three renderings show; texts are looked up by obligation / provision id."""
    gaps = []
    for r in results:
        if r["status"] == "covered":
            continue
        # A duty the corpus cannot judge has no closest national text: what was found is not on its subject.
        best = r["provisions"][0] if r["provisions"] and r["status"] not in NO_DATA else None
        gaps.append({
            **r,
            "convention_text": convention_text.get(r["obligation"], ""),
            "closest": best,
            "closest_text": national_text.get(best["id"], "") if best else "",
        })
    parties = parties or {}
    summary = {name: {**row, "party": parties[name]["label"] if name in parties else "unknown",
                      "coverage_label": coverage_label(row)} for name, row in summary.items()}
    return {
        "country": country,
        "generated": dt.date.today().isoformat(),
        "banner": (holdings or {}).get("sentence", ""),
        "summary": summary,
        "results": results,
        "gaps": gaps,
        "reviewed": reviewed_lines(results),
    }


def reviewed_lines(results: list[dict]) -> list[dict]:
    """One line per obligation with a reviewer decision (rows from harmonize.service.reviewed):
    applied (effective status = the reviewer's) or needing re-review (the machine's shown)."""
    lines = []
    for r in results:
        review = r.get("review") or {}
        if not review.get("author"):
            continue
        machine = r.get("machine") or {}
        head = (f"{r['obligation']}: {r['status']}"
                + (" (reviewed)" if review["applied"] else " (machine; the reviewer's decision NEEDS RE-REVIEW)"))
        who = (f"{review['kind']} {review['status']} by {review['author']} ({review['organisation']}) "
               f"on {review['created_at'][:10]}; machine: {machine.get('status')} (score {machine.get('score')})")
        if review["needs_re_review"]:
            who += "; cited text changed or gone: " + ", ".join(review["changed"] + review["gone"])
        lines.append({"obligation": r["obligation"], "head": head, "who": who, "note": review.get("note") or "",
                      "applied": review["applied"], "status": r["status"]})
    return lines


def render_html(ctx: dict) -> str:
    return ENV.get_template("gap_report.html").render(**ctx)


def render_markdown(ctx: dict) -> str:
    lines = [f"# Gap report: {ctx['country']}", "", f"Generated {ctx['generated']} by harmonize.", ""]
    if ctx.get("banner"):
        lines += [f"**Corpus:** {escape_html(ctx['banner'])}", ""]
    lines += ["## Summary", ""]
    rows = [{"convention": k, **v, "coverage": v["coverage_label"]} for k, v in ctx["summary"].items()]
    lines.append(to_markdown(rows, SUMMARY_COLUMNS))
    if ctx.get("reviewed"):
        lines += ["## Reviewer decisions", ""]
        for line in ctx["reviewed"]:
            # reviewers' notes are text: HTML in them is escaped like the corpus text below
            lines += [escape_html(f"- **{line['head']}**: {line['who']}"
                                  + (f". Note: {line['note']}" if line["note"] else "")), ""]
    lines += ["## Gaps", ""]
    start = len(lines)  # from here on the lines quote corpus text: its HTML is escaped
    for gap in ctx["gaps"]:
        lines.append(f"### {gap['obligation']} ({gap['status']}, {gap['level']})")
        lines.append("")
        if gap.get("reason"):
            lines += [escape_html(gap["reason"][:1].upper() + gap["reason"][1:]) + ".", ""]
        if gap["missing_elements"]:
            lines.append("Missing: " + "; ".join(gap["missing_elements"]))
            lines.append("")
        lines.append("**Convention text**")
        lines.append("")
        lines.append("> " + gap["convention_text"].replace("\n", "\n> "))
        lines.append("")
        if gap["closest"]:
            c = gap["closest"]
            lines.append(f"**Closest national text**: {c['source']} s.{c['number']} {c['heading']} (score {c['score']})")
            lines.append("")
            lines.append("> " + gap["closest_text"][:3000].replace("\n", "\n> "))
        else:
            lines.append("**Closest national text**: nothing adequate in the corpus.")
        lines.append("")
    return "\n".join(lines[:start] + [escape_html(line) for line in lines[start:]]) + "\n"


def render_pdf(ctx: dict, path: Path) -> Path:
    """A plain, printable PDF (fpdf2) with a Unicode font shipped by matplotlib."""
    import matplotlib
    from fpdf import FPDF

    fonts = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    pdf = FPDF(format="A4")
    pdf.add_font("DejaVu", "", str(fonts / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(fonts / "DejaVuSans-Bold.ttf"))
    pdf.set_auto_page_break(True, margin=15)
    pdf.add_page()
    pdf.set_font("DejaVu", "B", 16)
    pdf.multi_cell(0, 9, new_x="LMARGIN", new_y="NEXT", text=f"Gap report: {ctx['country']}")
    pdf.set_font("DejaVu", "", 9)
    pdf.multi_cell(0, 5, new_x="LMARGIN", new_y="NEXT", text=f"Generated {ctx['generated']} by harmonize.")
    if ctx.get("banner"):
        pdf.multi_cell(0, 5, new_x="LMARGIN", new_y="NEXT", text=f"Corpus: {ctx['banner']}")
    pdf.ln(3)
    pdf.set_font("DejaVu", "B", 12)
    pdf.multi_cell(0, 7, new_x="LMARGIN", new_y="NEXT", text="Summary")
    with pdf.table(col_widths=(22, 40, 16, 16, 16, 18, 18, 20), text_align="LEFT") as table:
        pdf.set_font("DejaVu", "", 8)
        table.row(list(SUMMARY_COLUMNS))
        for name, row in ctx["summary"].items():
            table.row([name, row["party"], *(str(row.get(s, 0)) for s in SUMMARY_COLUMNS[2:-1]), row["coverage_label"]])
    if ctx.get("reviewed"):
        pdf.ln(3)
        pdf.set_font("DejaVu", "B", 12)
        pdf.multi_cell(0, 7, new_x="LMARGIN", new_y="NEXT", text="Reviewer decisions")
        for line in ctx["reviewed"]:
            pdf.set_font("DejaVu", "B", 9)
            pdf.multi_cell(0, 5, new_x="LMARGIN", new_y="NEXT", text=line["head"])
            pdf.set_font("DejaVu", "", 8)
            pdf.multi_cell(0, 4, new_x="LMARGIN", new_y="NEXT", text=line["who"])
            if line["note"]:
                pdf.multi_cell(0, 4, new_x="LMARGIN", new_y="NEXT", text="Note: " + line["note"])
    for gap in ctx["gaps"]:
        pdf.ln(4)
        pdf.set_font("DejaVu", "B", 11)
        pdf.multi_cell(0, 6, new_x="LMARGIN", new_y="NEXT", text=f"{gap['obligation']}: {gap['status']} ({gap['level']})")
        pdf.set_font("DejaVu", "", 8)
        if gap.get("reason"):
            pdf.multi_cell(0, 4, new_x="LMARGIN", new_y="NEXT", text=gap["reason"])
        if gap["missing_elements"]:
            pdf.multi_cell(0, 4, new_x="LMARGIN", new_y="NEXT", text="Missing: " + "; ".join(gap["missing_elements"]))
        pdf.multi_cell(0, 4, new_x="LMARGIN", new_y="NEXT", text="Convention: " + gap["convention_text"][:1500])
        if gap["closest"]:
            c = gap["closest"]
            pdf.multi_cell(0, 4, new_x="LMARGIN", new_y="NEXT", text=f"Closest: {c['source']} s.{c['number']} {c['heading']}: " + gap["closest_text"][:1500])
    path.parent.mkdir(parents=True, exist_ok=True)
    pdf.output(str(path))
    return path


def write_report(ctx: dict, out_dir: Path, pdf: bool = True) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    stem = f"gap-report-{ctx['country']}"
    paths = [out_dir / f"{stem}.html", out_dir / f"{stem}.md"]
    paths[0].write_text(render_html(ctx), encoding="utf-8")
    paths[1].write_text(render_markdown(ctx), encoding="utf-8")
    if pdf:
        paths.append(render_pdf(ctx, out_dir / f"{stem}.pdf"))
    return paths
