"""The counties of the demo and the seeds, whose villages ship with the package (data/villages.csv.gz).

The full village list is 620,573 rows (5 MB gzipped); shipping every province, city, county and
township but only these counties' villages keeps the wheel small and `fupin regions load` quick.
Regenerate the subset with `fupin regions extract SRC_DIR DEST_DIR` after changing this list.
"""

DEMO_COUNTIES = (
    # 青海 海南州 兴海县: the main demo county (seed 000)
    "632524",
    # 甘肃: 庄浪、泾川 and the other counties of seed 001
    "621227",
    "620826",
    "621102",
    "620924",
    "620821",
    "620825",
    "620802",
    "620822",
    "620823",
    "620881",
    "620421",
    "623023",
    "623024",
    # seed 002: the nine counties an assisting enterprise is paired with
    "540623",
    "632726",
    "632224",
    "513428",
    "513429",
    "140623",
    "150429",
    "610827",
    "610829",
    "411729",
    "522325",
    # 广东 茂名: 高州 and the two districts
    "440981",
    "440904",
    "440902",
)
