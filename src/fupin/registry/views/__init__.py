"""The registry pages, one module per area: households (the list, the household page, its forms
and workflow), imports (upload, job status, report, template), export (the list's two exports)."""
