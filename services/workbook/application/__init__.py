"""The workbook service's use cases over its own collections: workbooks, render jobs (each job
record is also the outbox entry of its queue message) and editions."""
