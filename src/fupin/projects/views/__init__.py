"""The projects pages, one module per area: projects (the library's records, their workflow and
beneficiaries, 公示 settings), funds (sources and the ledger), public (the 公示 pages, no login)."""
