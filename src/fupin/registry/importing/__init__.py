"""Excel/CSV import of households and members (one row per member, household columns repeated).

- `template`: the columns of the national form, and the downloadable .xlsx template with drop-downs.
- `readers`: safety checks (size, zip bomb, formulas, DTDs, headers) and streaming row readers.
- `xlsx`: the streaming reader of an .xlsx sheet (shared strings once, then row by row).
- `rows`: the per-row rules (the same as the forms and services: ID numbers, phones, choices …).
- `writer`: staging tables and the set-based merge (COPY on PostgreSQL, executemany on SQLite).
- `importer`: `run_import(...)`, which ties them together in one transaction.
- `report`: the error report (.xlsx).
- `jobs`: the web import as a job on the queue (fupin.jobs), its files under MEDIA_ROOT/imports/.
"""
