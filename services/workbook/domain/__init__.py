"""The workbook domain (issue #5), plain Python with no framework imports.

- plan.propose_plan(content, tools, request) -> plan; plan.apply_edits(plan, edits, find_tool=,
  clinic_id=) -> plan (edits.py);
- book_html.book_html(plan, tools_by_id, client_name=, practitioner_name=, clinic_name=, edition=,
  date=, progress=None) -> one HTML document for one render_pdf pass (MAX_BOOK_HTML_BYTES);
- chart (inline SVG measure charts), tracking (tracking pages, progress record), checks (limits on
  every text a person wrote), book_css (the book's stylesheet).
"""
