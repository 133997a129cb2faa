"""PDFs for meetings (reportlab, no system libraries): a case file, and the termly governors' report (also CSV).

A case file is what a disciplinary or LADO meeting needs on paper: the case, the post and
what the policy says about it with the words as evidence, the attachments (each image with
its fingerprint), the chronology, the decisions, and an excerpt of the audit log. Possible
findings (below the judge's threshold) are left out: they are not findings, and the case
page shows them to reviewers apart. The governors' report has counts only, never a name.
"""

from __future__ import annotations

import csv
import io
import statistics
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import cache
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from django.db.models import Count
from django.utils import timezone

from postcheck.web.cases.choices import EventAction, Outcome
from postcheck.web.cases.models import Case
from postcheck.web.cases.stats import school_zone
from postcheck.web.core.audit import AuditEntry
from postcheck.web.core.models import School

AUDIT_EXCERPT = 60
FONT, BOLD = "PostcheckSans", "PostcheckSans-Bold"


@cache
def _fonts() -> tuple[str, str]:
    """Vera (shipped inside reportlab) for text beyond Latin-1; Helvetica if it is ever missing."""
    import reportlab
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    folder = Path(reportlab.__file__).parent / "fonts"
    try:
        pdfmetrics.registerFont(TTFont(FONT, str(folder / "Vera.ttf")))
        pdfmetrics.registerFont(TTFont(BOLD, str(folder / "VeraBd.ttf")))
    except Exception:
        return "Helvetica", "Helvetica-Bold"
    return FONT, BOLD


def _styles() -> dict[str, Any]:
    from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet

    regular, bold = _fonts()
    base = getSampleStyleSheet()
    return {
        "title": ParagraphStyle("t", parent=base["Title"], fontName=bold, fontSize=18, alignment=0),
        "h2": ParagraphStyle("h2", parent=base["Heading2"], fontName=bold, fontSize=13, spaceBefore=10),
        "body": ParagraphStyle("b", parent=base["BodyText"], fontName=regular, fontSize=10, leading=13),
        "small": ParagraphStyle("s", parent=base["BodyText"], fontName=regular, fontSize=8, leading=10),
        "quote": ParagraphStyle(
            "q",
            parent=base["BodyText"],
            fontName=regular,
            fontSize=10,
            leading=13,
            leftIndent=12,
            borderPadding=4,
            backColor="#f3f2f1",
        ),  # fmt: skip
    }


def _p(text: Any, style: Any) -> Any:
    from reportlab.platypus import Paragraph

    return Paragraph(escape(str(text)).replace("\n", "<br/>"), style)


def _table(rows: list[list[Any]], widths: list[float], st: dict[str, Any]) -> Any:
    from reportlab.lib import colors
    from reportlab.platypus import Table, TableStyle

    cells = [[_p(c, st["small"]) for c in row] for row in rows]
    table = Table(cells, colWidths=widths, repeatRows=1)
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.grey), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8e8e8"))]))  # fmt: skip
    return table


def _build(title: str, story: list[Any]) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.platypus import SimpleDocTemplate

    buf = io.BytesIO()
    regular, _ = _fonts()

    def footer(canvas: Any, doc: Any) -> None:
        canvas.setFont(regular, 8)
        canvas.drawString(18 * mm, 10 * mm, f"{title} · page {doc.page} · confidential")

    doc = SimpleDocTemplate(buf, pagesize=A4, title=title, author="postcheck", leftMargin=18 * mm,
                            rightMargin=18 * mm, topMargin=16 * mm, bottomMargin=18 * mm)  # fmt: skip
    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return buf.getvalue()


def _when(value: datetime | None, zone: Any) -> str:
    return value.astimezone(zone).strftime("%d %b %Y %H:%M") if value else "not known"


def case_pdf(case: Case) -> bytes:
    """The case file: summary, the post, findings with their evidence, chronology, decisions, audit excerpt."""
    from reportlab.lib.units import mm

    st = _styles()
    zone = school_zone(case.school)
    story: list[Any] = [_p(f"Case {case.reference}", st["title"]), _p(case.school.name, st["body"])]
    summary = [
        ["Status", case.get_status_display()], ["Category", case.get_category_display()],
        ["Urgency", case.get_urgency_display()], ["Outcome", case.get_outcome_display() or "Not decided yet"],
        ["Reported", f"{_when(case.created_at, zone)} by "
                     f"{case.reported_by.get_username() if case.reported_by else 'an anonymous visitor'}"],
        ["Assigned to", case.assigned_to.get_username() if case.assigned_to else "Nobody"],
        ["Author of the post", f"{case.author_name or 'Not known'} ({case.get_author_role_display().lower()})"],
        ["Posted", f"{_when(case.posted_at, zone)} on {case.get_platform_display()}"],
    ]  # fmt: skip
    if case.scan_id:
        summary.append(["Found by", f"export scan {case.scan_id}"])
    story += [_table([["Case", case.reference], *summary], [45 * mm, 129 * mm], st)]
    story += [_p("The post", st["h2"]), _p(case.text or "(no text)", st["quote"])]
    if case.link:
        story.append(_p(f"Link: {case.link}", st["small"]))

    story.append(_p(f"What the policy says ({case.breaches} breaches, {case.advisories} pieces of advice)", st["h2"]))
    book = case.school.checker().rulebook
    for f in case.findings_json or []:
        kind = "Breach" if f.get("severity") == "breach" else "Advice"
        story.append(_p(f"{kind}: {f.get('message', '')}", st["body"]))
        for ref in f.get("clauses") or []:
            clause = book.clauses.get(ref)
            if clause is not None:
                story.append(_p(f"Clause {ref}: {clause.text(case.school.name)}", st["small"]))
        words = [s.get("text") for s in f.get("spans") or [] if s.get("text")]
        if words:
            story.append(_p("Evidence: " + "; ".join(f"“{w}”" for w in words), st["small"]))
        if f.get("record_id") and f.get("record_id") != (case.record_json or {}).get("id"):
            story.append(_p(f"In another post of the export: {f['record_id']}", st["small"]))
    if not case.findings_json:
        story.append(_p("No findings.", st["body"]))

    story += _attachments(case, zone, st)

    events = list(case.events.all())
    story += [_p("Chronology", st["h2"]),
              _table([["When", "Who", "What", "Details"]] + [
                  [_when(e.at, zone), e.actor_label or "system", e.get_action_display(),
                   " → ".join(x for x in (e.old_value, e.new_value) if x) + (f"\n{e.note}" if e.note else "")]
                  for e in events], [30 * mm, 28 * mm, 38 * mm, 78 * mm], st)]  # fmt: skip
    decisions = [e for e in events if e.action == EventAction.DECIDED]
    story.append(_p("Decisions", st["h2"]))
    story += [_p(f"{_when(e.at, zone)}, {e.actor_label or 'system'}: {e.new_value}. {e.note}", st["body"])
              for e in decisions] or [_p("None yet.", st["body"])]  # fmt: skip
    audit = list(AuditEntry.objects.filter(object_type="cases.case", object_id=str(case.pk))
                 .order_by("-id")[:AUDIT_EXCERPT])[::-1]  # fmt: skip
    story += [_p(f"Audit log excerpt (last {len(audit)} entries; the full log is tamper-evident)", st["h2"]),
              _table([["#", "When", "Who", "Action"]] + [[str(a.pk), _when(a.timestamp, zone), a.actor_label or "-",
                                                          a.action] for a in audit],
                     [16 * mm, 34 * mm, 40 * mm, 84 * mm], st)]  # fmt: skip
    return _build(f"Case {case.reference}", story)


PDF_IMAGE_SIDE = 1600  # pixels: enough for print; a 20,000-pixel-long screenshot is not embedded whole


def _image_flowable(path: Path, max_w: float, max_h: float) -> Any:
    """The stored image, scaled down in memory for print, as a reportlab Image fitting max_w x max_h points."""
    from PIL import Image as PILImage
    from reportlab.platypus import Image

    with PILImage.open(path) as img:
        img.thumbnail((PDF_IMAGE_SIDE, PDF_IMAGE_SIDE))
        small = img.convert("RGBA" if img.mode in ("RGBA", "LA", "P") else "RGB")
        buf = io.BytesIO()
        small.save(buf, "PNG" if small.mode == "RGBA" else "JPEG", quality=85)
        width, height = small.size
    buf.seek(0)
    scale = min(max_w / width, max_h / height, 1.0)  # a pixel a point at most: small images stay small
    return Image(buf, width=width * scale, height=height * scale)


def _attachments(case: Case, zone: Any, st: dict[str, Any]) -> list[Any]:
    from reportlab.lib.units import mm
    from reportlab.platypus import KeepTogether

    from postcheck.web.cases import screenshots

    items = list(case.attachments.select_related("uploaded_by"))
    out: list[Any] = [_p(f"Attachments ({len(items)})", st["h2"])]
    if not items:
        return [*out, _p("None.", st["body"])]
    for n, a in enumerate(items, 1):
        who = a.uploaded_by.get_username() if a.uploaded_by else ("the reporter" if a.source == "report" else "-")
        head = [_p(f"{n}. {a.caption or a.get_source_display()}", st["body"]),
                _p(f"{a.get_source_display()}, {who}, {_when(a.uploaded_at, zone)}; {a.width} × {a.height} pixels; "
                   f"SHA-256 {a.sha256 or 'not recorded'}", st["small"])]  # fmt: skip
        path = screenshots.path_of(a.file_name)
        if path is None:
            out.append(KeepTogether([*head, _p("The file is missing from the cases folder.", st["small"])]))
            continue
        try:
            out.append(KeepTogether([*head, _image_flowable(path, 174 * mm, 150 * mm)]))
        except Exception:  # a damaged file: said, and the case file is still made
            out.append(KeepTogether([*head, _p("The file could not be read.", st["small"])]))
    return out


# --- the governors' report -----------------------------------------------------------------------------------------


def term_of(day: date) -> tuple[date, date]:
    """The school term ``day`` falls in: autumn Sep–Dec, spring Jan–Mar, summer Apr–Aug."""
    if day.month >= 9:
        return date(day.year, 9, 1), date(day.year, 12, 31)
    if day.month <= 3:
        return date(day.year, 1, 1), date(day.year, 3, 31)
    return date(day.year, 4, 1), date(day.year, 8, 31)


@dataclass
class GovernorsReport:
    school: School
    start: date
    end: date
    total: int
    by_clause: list[tuple[str, int]]
    by_outcome: list[tuple[str, int]]
    decided: int
    median_days: float | None
    mean_days: float | None

    @property
    def title(self) -> str:
        return f"Social media concerns at {self.school.name}, {self.start:%d %b %Y} to {self.end:%d %b %Y}"


def governors_report(school: School, start: date, end: date) -> GovernorsReport:
    zone = school_zone(school)
    lo = datetime.combine(start, time.min, tzinfo=zone)
    hi = datetime.combine(end + timedelta(days=1), time.min, tzinfo=zone)
    cases = Case.objects.filter(school=school, created_at__gte=lo, created_at__lt=hi)
    clauses: dict[str, int] = {}
    for index in cases.values_list("clause_index", flat=True):
        for ref in filter(None, index.split("|")):
            clauses[ref] = clauses.get(ref, 0) + 1
    counted = dict(cases.exclude(outcome="").values_list("outcome").annotate(n=Count("id")).values_list("outcome", "n"))
    outcomes = [(o.label, counted.get(o.value, 0)) for o in Outcome]
    outcomes.append(("Not decided yet", cases.filter(outcome="").count()))
    pairs = cases.exclude(decided_at=None).values_list("created_at", "decided_at")
    days = [(decided - created).total_seconds() / 86400 for created, decided in pairs]
    return GovernorsReport(school, start, end, cases.count(), sorted(clauses.items(), key=lambda x: (-x[1], x[0])),
                           outcomes, len(days), round(statistics.median(days), 1) if days else None,
                           round(statistics.fmean(days), 1) if days else None)  # fmt: skip


def governors_csv(report: GovernorsReport) -> str:
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(["section", "item", "count"])
    w.writerow(["cases", "reported", report.total])
    for ref, n in report.by_clause:
        w.writerow(["clause", ref, n])
    for label, n in report.by_outcome:
        w.writerow(["outcome", label, n])
    w.writerow(["time to decision", "cases decided", report.decided])
    w.writerow(["time to decision", "median days", "" if report.median_days is None else report.median_days])
    w.writerow(["time to decision", "mean days", "" if report.mean_days is None else report.mean_days])
    return out.getvalue()


def governors_pdf(report: GovernorsReport) -> bytes:
    from reportlab.lib.units import mm

    st = _styles()
    book = report.school.checker().rulebook
    story: list[Any] = [_p(report.title, st["title"]),
                        _p(f"Made {timezone.localdate():%d %B %Y}. Counts only: no names.", st["small"]),
                        _p(f"{report.total} concerns were reported.", st["body"])]  # fmt: skip
    story += [_p("By clause of the policy", st["h2"]),
              _table([["Clause", "What it covers", "Cases"]] + [[ref, getattr(book.clauses.get(ref), "covers", ""),
                                                                str(n)] for ref, n in report.by_clause],
                     [24 * mm, 120 * mm, 30 * mm], st) if report.by_clause else _p("None.", st["body"])]  # fmt: skip
    story += [_p("By outcome", st["h2"]),
              _table([["Outcome", "Cases"]] + [[label, str(n)] for label, n in report.by_outcome],
                     [144 * mm, 30 * mm], st)]  # fmt: skip
    median = "-" if report.median_days is None else f"{report.median_days} days"
    mean = "-" if report.mean_days is None else f"{report.mean_days} days"
    story += [_p("Time to a decision", st["h2"]),
              _p(f"{report.decided} cases decided; median {median}, mean {mean}.", st["body"])]  # fmt: skip
    return _build(report.title, story)
