"""The workbook's own stylesheet, on top of the renderer's base.css and the catalogue's TOOL_CSS.

Page furniture: the renderer puts the clinic's name bottom left and "Page X of Y" bottom right;
this sheet adds the book's title top left and the current part top right, both taken from the
document with ``string-set`` (so no text a user wrote is ever written into CSS). The cover is a
named page with no header or page number. Bookmarks: headings make none by default; each
chapter (and each front or back part) makes one level-1 bookmark, each tool one level 2.
"""
from __future__ import annotations

from services.catalog.contract import TOOL_CSS
from services.workbook.domain import checks

_BOOK_CSS = """
@page {
  margin: 24mm 18mm 22mm 18mm;
  @top-left { content: string(booktitle); font: 8.5pt/1.3 "DejaVu Sans", sans-serif; color: #555;
              vertical-align: bottom; padding-bottom: 4mm; }
  @top-right { content: string(part); font: 8.5pt/1.3 "DejaVu Sans", sans-serif; color: #555;
               vertical-align: bottom; padding-bottom: 4mm; }
}
@page cover {
  @top-left { content: none; } @top-right { content: none; } @bottom-right { content: none; }
}
h1, h2, h3, h4, h5, h6 { bookmark-level: none; }
.bm1 { bookmark-level: 1; bookmark-label: content(text); string-set: part content(text); }
.tool-title, .bm2 { bookmark-level: 2; bookmark-label: content(text); }
.new-page { break-before: page; }
h1, .tool-title, .chapter-title { color: ACCENT; }
/* One font family for the whole book: every extra face embedded is another font to subset. */
h1, h2, h3, h4 { font-family: "DejaVu Sans", "Liberation Sans", Arial, sans-serif; }

.cover { page: cover; text-align: left; padding-top: 20mm; }
.cover-band { height: 14mm; background: ACCENT; margin: 0 0 16mm; }
.cover-logo { max-height: 28mm; max-width: 70mm; margin-bottom: 12mm; }
.cover-kicker { font-size: 14pt; color: #444; margin: 0; }
.cover-name { font-size: 34pt; margin: 2mm 0 8mm; color: ACCENT;
              string-set: booktitle "Workbook for " content(text); }
.cover-problems { font-size: 13pt; margin: 0 0 18mm; }
.cover-details { border-top: 1pt solid ACCENT; padding-top: 5mm; font-size: 11pt; }
.cover-details p { margin: 1.5mm 0; }
.cover-details span { display: inline-block; width: 35mm; color: #555; }

.part-kicker { font-size: 10pt; text-transform: uppercase; letter-spacing: 1pt; color: #555;
               margin: 0 0 2mm; }
.glance th.group { background: #e4ebf2; }
.glance td.why { font-size: 9.5pt; color: #333; }
.glance td { font-size: 10pt; }
/* The plan at a glance and the contents never leave a row or two alone on a page. */
.glance tbody tr:nth-last-child(-n+3), .toc > ul > li:last-child { break-before: avoid; }
.toc > ul > li:last-child { break-inside: avoid; }

.toc ul { list-style: none; padding: 0; margin: 0; }
.toc > ul > li { margin: 3mm 0 1mm; font-weight: bold; }
.toc li li { margin: 1mm 0 0 7mm; font-weight: normal; font-size: 10pt; }
.toc a, .in-chapter a { text-decoration: none; color: inherit; }
/* Page numbers float right: a dotted leader() made the whole book 20 % slower, and a dotted
   border is drawn dot by dot. Only the contents carry page numbers: every page that refers to a
   later page is laid out twice. */
.toc a::after { content: target-counter(attr(href), page); float: right; }
.toc li { border-bottom: 0.5pt solid #dde3ea; }

.chapter { padding-top: 30mm; }
.chapter-title { font-size: 26pt; }
.chapter-number { display: block; font-size: 12pt; color: #555; letter-spacing: 1pt; }
.note { border-left: 3pt solid ACCENT; background: #f4f7fa; padding: 3mm 5mm; margin: 8mm 0; }
.note-from { font-weight: bold; margin: 0 0 2mm; }
.in-chapter li { margin: 2mm 0; }
.in-chapter .why { display: block; font-size: 9.5pt; color: #444; }

/* Fields: the browser stylesheet makes every input a block; boxes sit beside their words here.
   Block layout instead of flex for the 0-10 scales and cards: the same look, and WeasyPrint lays
   out flex boxes several times slower. */
input[type="checkbox"] { display: inline-block; }
label.check { display: block; font-weight: normal; margin: 1mm 0; }
.tool-measure .field { margin: 3pt 0 5pt; }
.tool-measure label.check { display: inline-block; margin: 0.5mm 3mm 0.5mm 0; font-size: 9pt; }
.tool-measure input[type="checkbox"] { margin-right: 1mm; }
.scale { display: block; }
.scale label { display: inline-block; width: 22pt; margin: 0; font-weight: normal; }
/* The box above its number as a block, not a line break: 154 fewer elements and 300 fewer boxes
   to style and lay out in a 62-page book (2.5% of the render's Python calls). */
.scale br { display: none; }
.scale input[type="checkbox"] { display: block; margin: 0 auto 1pt; }
/* The scale's two anchors at either end, as two blocks on one line: a float per scale costs more. */
.anchors { display: block; line-height: 12pt; }
.anchors span { display: block; }
.anchors span:last-child { text-align: right; margin-top: -12pt; }
table { table-layout: fixed; }   /* auto layout measures every cell's content first */
.glance th:first-child { width: 40%; }
.cards { display: block; }
.card { display: inline-block; vertical-align: top; }

.chart { break-inside: avoid; margin: 4mm 0; }
.chart svg { width: 100%; height: auto; }
.progress-summary { font-size: 12pt; }
"""


def book_css(colour: str = checks.DEFAULT_COLOUR) -> str:
    """The stylesheet with the cover colour as its accent (checked #rrggbb, so safe in CSS)."""
    return TOOL_CSS + _BOOK_CSS.replace("ACCENT", checks.colour(colour))
