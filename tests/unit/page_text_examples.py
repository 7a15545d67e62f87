"""Invented page pieces and articles for the select_main_text tests (no line is taken from any dev or eval data).

The code tutorials and the memo are made of short, digit-free, unended lines that are not menus, as an
extractor hands them on after normalize_whitespace: one line per line, indentation gone.
"""

NAV = ["Home", "World", "Politics", "Business", "Sport", "Subscribe", "Sign in", "Search"]
FOOTER = ["About us", "Contact", "Privacy Policy", "Terms of Use", "© 2019 Example Media. All rights reserved."]
TEASERS = ["Most read", "Ten things you missed this week", "Why the market fell on Friday", "Weather warning issued"]
EN_BODY = [
    "The city council voted on Tuesday to close the old bridge for repairs, ending a debate that lasted two years.",
    "Engineers had warned that the steel supports were corroding faster than expected after last winter's floods.",
    "Residents on both sides of the river said the closure would add half an hour to their daily commute.",
    "The mayor promised that a temporary ferry service would run every fifteen minutes while the work goes on.",
    "Repairs are expected to cost about 12 million euros and to be finished before the end of next summer.",
]
EXTRA_BODY = [
    "Officials said the ferry would carry bicycles free of charge, and that buses would be added at peak hours.",
    "Shop owners near the bridge asked the council for help, saying they expect fewer customers for two years.",
    "A public meeting about the plans will be held at the town hall next Thursday evening, the council said.",
]
SHARE_ROW = ["Share this:", "Facebook", "Twitter", "Email", "WhatsApp", "Print", "Like this", "Related"]
ROLES = ["PHOTOS", "EDITING", "MAPS", "DATA", "DESIGN", "AUDIO", "PRODUCER", "RESEARCH", "VIDEO", "COPY EDITING"]
CREDITS = [line for i, role in enumerate(ROLES) for line in (role, ["ANNA BERG", "TOM HALE", "LI WEI"][i % 3])]


def page(body: list[str], headline: str = "Old bridge to close for two years of repairs") -> str:
    """A whole page as text: a menu, the headline and byline, the body, teasers and a footer."""
    return "\n".join([*NAV, headline, "By Jane Doe", "19 November 2019", *body, *TEASERS, *FOOTER])


SQL_TUTORIAL = [
    "Finding slow days in a sales table with window functions",
    "We start with a table of orders and sum them per day in a common table expression:",
    "WITH daily AS (",
    "SELECT",
    "order_date,",
    "sum(amount) AS revenue",
    "FROM",
    "orders",
    "GROUP BY",
    "order_date",
    "),",
    "averages AS (",
    "SELECT",
    "avg(revenue) AS mean_revenue,",
    "stddev(revenue) AS spread",
    "FROM",
    "daily",
    ")",
    "SELECT",
    "*",
    "FROM",
    "daily,",
    "averages;",
    "Most reporting questions about a shop's sales come down to the same thing: which days were unusual.",
    "Before reaching for a separate analytics tool, it is worth seeing how far plain SQL can take you.",
    "The second expression runs once, so the final query can compare every day with the same mean.",
    "A day whose revenue sits far from that mean is worth a closer look by the team that owns it.",
    "Next we turn the distance into a score and keep only the days that stand out from the rest.",
    "SELECT",
    "order_date,",
    "(revenue - mean_revenue) / spread AS score",
    "FROM",
    "daily",
    "CROSS JOIN",
    "averages",
    "WHERE",
    "abs((revenue - mean_revenue) / spread) > 2",
    "ORDER BY",
    "score DESC;",
    "order_date │ score",
    "────────────┼──────",
    "In the next part we will look at weekly patterns.",
]

PYTHON_TUTORIAL = [
    "Reading a settings file without crashing on bad input",
    "The function below returns the defaults whenever the file is missing or broken:",
    "import json",
    "from pathlib import Path",
    "DEFAULTS = {",
    '"colour": "blue",',
    '"verbose": False,',
    "}",
    "def load_settings(path):",
    "try:",
    "text = Path(path).read_text()",
    "except FileNotFoundError:",
    "return dict(DEFAULTS)",
    "else:",
    "pass",
    "try:",
    "loaded = json.loads(text)",
    "except ValueError:",
    "return dict(DEFAULTS)",
    "return {**DEFAULTS, **loaded}",
    "Small scripts often read their settings from a file, and just as often fall over when it is broken.",
    "Notice that the defaults are copied before they are returned, so no caller can change them by accident.",
    "A caller that wants to know why its settings were ignored can log the exception before returning.",
    "Here is how the function behaves when the file holds a stray comma after its last entry:",
    ">>> load_settings('broken.json')",
    "{'colour': 'blue', 'verbose': False}",
    "for name in sorted(settings):",
    "print(name)",
    "colour",
    "verbose",
    "if __name__ == '__main__':",
    "main()",
    "$ python settings.py",
    "colour",
    "verbose",
    "Try it on your own scripts.",
]

MEMO = [
    "Shared Storage Working Group",
    "Category: Informational",
    "Version checks for shared storage",
    "Status of this Memo",
    "This memo describes how a client and a storage server agree on the",
    "version of an item before either of them changes it, so that two",
    "writers editing the same item from different places do not silently",
    "overwrite each other. Distribution of this memo is unlimited.",
    "Introduction",
    "A storage server keeps a small set of properties for each item and",
    "reports them on every read, together with the item's name and its",
    "contents",
    "A client that wants to change an item checks them first, and the",
    "server refuses a write made against properties that are no longer",
    "current",
    "Item properties",
    "For every item it stores, the server reports the following properties",
    "under these names",
    "version tag",
    "media type",
    "content length",
    "The version tag changes whenever the content of the item changes, and",
    "only then. A client may therefore compare two tags to learn whether",
    "an item was changed in between, without reading the item again. The",
    "media type is the one the client gave when it first stored the item",
    "and is never guessed by the server from the item's",
    "content",
    "Conditional requests",
    "A write that carries a version tag is conditional: the server compares",
    "the tag with the current one and answers with a conflict when they",
    "differ, leaving the stored item",
    "untouched",
    "The client then fetches the new version, merges its own changes and",
    "tries again with the new tag.",
    "Security Considerations",
    "Version tags reveal nothing about the content of an item, but they",
    "do reveal when it changed, so a server should report them only to",
    "clients that may read the item itself.",
    "Acknowledgements",
    "Author's Address",
]
