"""Reading platform exports (units, filings, orders; XLSX or CSV) into validated records.

Shared by both sides: the hub imports batches into its store, the client writes them to its cache
with `specialist_tui.client.import_apply.apply_batch`.
"""

from specialist_tui.importer.batch import ImportBatch, Source, read_files
from specialist_tui.importer.headers import Kind
from specialist_tui.importer.read import ReadError
from specialist_tui.importer.validate import Problem, Progress

__all__ = [
    "ImportBatch",
    "Kind",
    "Problem",
    "Progress",
    "ReadError",
    "Source",
    "read_files",
]
