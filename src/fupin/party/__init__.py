"""Party building: organisations, members, organisational life (三会一课), standardisation, weak branches, reserve pools, monthly cadre scoring, branch pairings (支部结对共建)."""
