"""The party pages, one module per area: orgs (home, organisations, members), life (组织生活),
work (standardisation, weak branches, reserve pools, cadre scores), pairing (支部结对共建)."""
