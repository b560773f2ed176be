"""Reading platform exports (units, filings, orders; XLSX or CSV) and writing them to the cache.

`read_files` needs no cache (the hub reuses it); `apply_batch` writes a batch to the client cache.
"""

from specialist_tui.importer.apply import Applied, apply_batch
from specialist_tui.importer.batch import ImportBatch, Source, read_files
from specialist_tui.importer.headers import Kind
from specialist_tui.importer.read import ReadError
from specialist_tui.importer.validate import Problem, Progress

__all__ = [
    "Applied",
    "ImportBatch",
    "Kind",
    "Problem",
    "Progress",
    "ReadError",
    "Source",
    "apply_batch",
    "read_files",
]
