"""Answers in long form: one CSV, or an XLSX workbook with a summary sheet and one sheet
per activity. Every cell that could run as a formula is neutralised."""

from __future__ import annotations

import asyncio
import csv
import io

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from workshop.exporters.registry import ExportFile, register, slug
from workshop.exporters.safety import spreadsheet_cell
from workshop.exporters.writeup import ExportOptions, ResponseRow, WriteUp, build_writeup
from workshop.services.container import Services

COLUMNS = ("workshop", "activity", "kind", "prompt", "round", "participant", "value", "time")
SHEET_TITLE_MAX = 31


def _row(row: ResponseRow) -> list[object]:
    return [spreadsheet_cell(v) for v in (row.workshop, row.activity, row.kind, row.prompt,
                                          row.round, row.participant, row.value, row.time)]


def render_csv(writeup: WriteUp) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for row in writeup.rows:
        writer.writerow(_row(row))
    return ("\ufeff" + out.getvalue()).encode()  # BOM: Excel opens UTF-8 correctly


def _sheet_title(n: int, prompt: str, used: set[str]) -> str:
    base = f"{n} " + "".join(ch for ch in prompt if ch not in "[]:*?/\\'")
    title = base[:SHEET_TITLE_MAX].strip()
    while title in used:
        title = title[:SHEET_TITLE_MAX - 2] + "~"
    used.add(title)
    return title


def render_xlsx(writeup: WriteUp) -> bytes:
    book = Workbook()
    summary = book.active
    summary.title = "Summary"
    bold = Font(bold=True)
    summary.append([spreadsheet_cell(writeup.workshop.title)])
    summary["A1"].font = Font(bold=True, size=14)
    summary.append(["Date", writeup.date])
    summary.append(["Participants", writeup.participants])
    summary.append([])
    summary.append(["#", "Activity", "Kind", "Round", "Answers", "Result"])
    for cell in summary[5]:
        cell.font = bold
    used = {"Summary"}
    for n, poll in enumerate(writeup.polls, start=1):
        r = poll.results
        headline = ""
        if r.bars:
            top = max(r.bars, key=lambda b: b.count)
            headline = f"{top.label} ({top.count})" if top.count else ""
        if r.mean is not None:
            headline = f"mean {r.mean}"
        if r.ranking:
            headline = f"1. {r.ranking[0].label}"
        summary.append([n, spreadsheet_cell(poll.activity.prompt), poll.activity.kind.label,
                        r.round, r.total, spreadsheet_cell(headline)])
        sheet = book.create_sheet(_sheet_title(n, poll.activity.prompt, used))
        sheet.append(list(COLUMNS))
        for cell in sheet[1]:
            cell.font = bold
        for row in poll.rows:
            sheet.append(_row(row))
        for column, width in zip(range(1, len(COLUMNS) + 1), (24, 12, 14, 40, 7, 18, 40, 20),
                                 strict=True):
            sheet.column_dimensions[get_column_letter(column)].width = width
        sheet.freeze_panes = "A2"
    for letter, size in zip("ABCDEF", (6, 50, 18, 8, 9, 30), strict=True):
        summary.column_dimensions[letter].width = size
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@register("csv", "CSV (all answers)")
async def export_csv(services: Services, workshop_id: str, options: ExportOptions
                     ) -> ExportFile:
    writeup = await build_writeup(services, workshop_id, options)
    return ExportFile(f"{slug(writeup.workshop.title)}-answers.csv", "text/csv; charset=utf-8",
                      await asyncio.to_thread(render_csv, writeup))


@register("xlsx", "Excel workbook")
async def export_xlsx(services: Services, workshop_id: str, options: ExportOptions
                      ) -> ExportFile:
    writeup = await build_writeup(services, workshop_id, options)
    media = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return ExportFile(f"{slug(writeup.workshop.title)}.xlsx", media,
                      await asyncio.to_thread(render_xlsx, writeup))
