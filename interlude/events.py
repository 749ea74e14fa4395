"""Event names and the services that dispatch them, in one place so producers and consumers agree."""

CATALOG = "catalog"
WORKBOOK = "workbook"
PROGRESS = "progress"
SEARCH = "search"

TOOL_PUBLISHED = "tool_published"
TOOL_UPDATED = "tool_updated"
TOOL_RETIRED = "tool_retired"
SEARCH_INDEX_CHANGED = "search_index_changed"   # payload clinic_id: whose tools; None: everything
CATALOGUE_CHANGED = "catalogue_changed"   # a build was published (by any process)
WORKBOOK_RENDERED = "workbook_rendered"
HOMEWORK_COMPLETED = "homework_completed"
MEASURE_SCORED = "measure_scored"
RISK_FLAGGED = "risk_flagged"
