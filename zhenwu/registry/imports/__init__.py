"""The household workbook import, in steps: ``cells`` (one cell → one value), ``sheets``
(a sheet → validated rows), ``plan`` (rows + database → what to create and update, and the
cross-row problems), ``write`` (one transaction), ``report`` (the .xlsx error report).
The entry point is ``zhenwu.registry.importer.import_households``."""
