"""Projects and funds: the project library and its workflow, the append-only fund ledger, beneficiaries, 公示 pages."""
