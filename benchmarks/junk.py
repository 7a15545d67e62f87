"""Generated junk documents: what the dataset stages exist to drop, to check that loosening a rule
for real articles does not let junk through.

Every generator is invented here (no text from the evaluation data), seeded, and makes documents
of at least ~80 words, so the short-document rule alone cannot catch them. Kinds:

    menu        navigation / link lists: short capitalised lines, no sentences
    table       tables of numbers: scores, prices, stock quotes
    keywords    keyword spam: the same few phrases over and over
    repeated    one paragraph repeated many times
    code        JavaScript / CSS pasted as text
    lorem       template filler
    hashtags    hashtag and handle spam
    teasers     teaser lists, every line cut off with an ellipsis
    bullets     product-spec bullet lists
    urls        link dumps
    boilerplate cookie, privacy and terms notices only
    gibberish   random letters and base64
    foreign     prose in other languages (German, French, Spanish, Italian, Portuguese, Dutch)
"""

from __future__ import annotations

import base64
import random
import string
from collections.abc import Callable

_NOUNS = [
    "market",
    "city",
    "council",
    "river",
    "school",
    "budget",
    "team",
    "player",
    "season",
    "election",
    "court",
    "hospital",
    "bridge",
    "company",
    "storm",
    "festival",
    "museum",
    "farm",
    "village",
    "airport",
    "union",
    "report",
]
_NAV = [
    "Home",
    "News",
    "Sport",
    "Business",
    "Weather",
    "Opinion",
    "Culture",
    "Travel",
    "Video",
    "Podcasts",
    "Newsletters",
    "Contact",
    "About",
    "Jobs",
    "Archive",
    "Login",
    "Register",
    "Subscribe",
    "Search",
    "Events",
    "Classifieds",
    "Obituaries",
    "Lifestyle",
    "Health",
    "Science",
    "Tech",
]
_FOREIGN = {
    "de": "Die Stadt plant für das kommende Jahr einen neuen Haushalt, und der Rat hat am Dienstag lange "
    "darüber beraten. Viele Bürger haben ihre Sorgen über die Kürzungen bei der Bibliothek geäußert. "
    "Der Bürgermeister verteidigte den Plan und sagte, dass die Schulden zu hoch seien.",
    "fr": "La ville prépare un nouveau budget pour l'année prochaine, et le conseil en a longuement débattu "
    "mardi soir. De nombreux habitants ont exprimé leurs inquiétudes au sujet des coupes dans la "
    "bibliothèque. Le maire a défendu le projet en expliquant que la dette était trop élevée.",
    "es": "La ciudad prepara un nuevo presupuesto para el próximo año, y el consejo lo debatió durante horas "
    "el martes. Muchos vecinos expresaron su preocupación por los recortes en la biblioteca. El alcalde "
    "defendió el plan y dijo que la deuda era demasiado alta.",
    "it": "La città prepara un nuovo bilancio per il prossimo anno e il consiglio ne ha discusso a lungo "
    "martedì sera. Molti cittadini hanno espresso preoccupazione per i tagli alla biblioteca. Il sindaco "
    "ha difeso il piano spiegando che il debito era troppo alto.",
    "pt": "A cidade prepara um novo orçamento para o próximo ano, e o conselho discutiu o assunto durante "
    "horas na terça-feira. Muitos moradores manifestaram preocupação com os cortes na biblioteca. O "
    "prefeito defendeu o plano e disse que a dívida era alta demais.",
    "nl": "De stad bereidt een nieuwe begroting voor het komende jaar voor, en de raad heeft er dinsdag lang "
    "over vergaderd. Veel inwoners uitten hun zorgen over de bezuinigingen op de bibliotheek. De "
    "burgemeester verdedigde het plan en zei dat de schuld te hoog was.",
}


def _menu(rng: random.Random) -> str:
    return "\n\n".join(" ".join(rng.sample(_NAV, rng.randint(1, 3))) for _ in range(rng.randint(50, 80)))


def _table(rng: random.Random) -> str:
    rows = []
    for _ in range(rng.randint(25, 40)):
        name = rng.choice(_NOUNS).capitalize() + " " + rng.choice(string.ascii_uppercase)
        nums = " ".join(str(rng.randint(0, 120)) for _ in range(rng.randint(3, 6)))
        rows.append(
            f"{name} {nums} {rng.randint(1, 99)}.{rng.randint(0, 99):02d} {rng.choice('+-')}{rng.random():.2f}%"
        )
    return "\n\n".join(rows)


def _keywords(rng: random.Random) -> str:
    phrases = [f"best {rng.choice(_NOUNS)} deals", f"cheap {rng.choice(_NOUNS)} online", "buy now free shipping"]
    return " ".join(rng.choice(phrases) for _ in range(rng.randint(40, 60)))


def _repeated(rng: random.Random) -> str:
    nouns = rng.sample(_NOUNS, 4)
    para = (
        f"The {nouns[0]} and the {nouns[1]} of the {nouns[2]} with the {nouns[3]} have to be the best choice for you."
    )
    return "\n\n".join([para] * rng.randint(8, 15))


def _code(rng: random.Random) -> str:
    lines = []
    for i in range(rng.randint(30, 50)):
        var = rng.choice(_NOUNS) + str(i)
        lines.append(
            rng.choice(
                (
                    f"var {var} = document.getElementById('{var}');",
                    f"if ({var}.length > {i}) {{ {var}.push({i}); }}",
                    f".{var} {{ margin: {i}px; padding: 0 {i}px; color: #{rng.randint(0, 0xFFFFFF):06x}; }}",
                    f"function {var}(a, b) {{ return a * {i} + b; }}",
                )
            )
        )
    return "\n".join(lines)


def _lorem(rng: random.Random) -> str:
    words = [
        "lorem",
        "ipsum",
        "dolor",
        "sit",
        "amet",
        "consectetur",
        "adipiscing",
        "elit",
        "sed",
        "do",
        "eiusmod",
        "tempor",
        "incididunt",
        "ut",
        "labore",
    ]
    paras = [" ".join(rng.choice(words) for _ in range(40)).capitalize() + "." for _ in range(3)]
    return "Lorem ipsum dolor sit amet.\n\n" + "\n\n".join(paras)


def _hashtags(rng: random.Random) -> str:
    tags = [f"#{rng.choice(_NOUNS)}{rng.choice(_NOUNS)}" for _ in range(30)]
    return "\n\n".join(
        " ".join(rng.sample(tags, 8)) + f" @{rng.choice(_NOUNS)}_{rng.randint(1, 99)}" for _ in range(12)
    )


def _teasers(rng: random.Random) -> str:
    lines = []
    for _ in range(rng.randint(12, 20)):
        words = " ".join(rng.choice(_NOUNS) for _ in range(rng.randint(8, 14)))
        lines.append(f"The {words} …" if rng.random() < 0.5 else f"Why the {words}...")
    return "\n\n".join(lines)


def _bullets(rng: random.Random) -> str:
    specs = ("Weight", "Size", "Colour", "Material", "Battery", "Warranty", "Screen", "Memory", "Model")
    return "\n".join(
        f"- {rng.choice(specs)}: {rng.randint(1, 999)} {rng.choice(('g', 'cm', 'mAh', 'GB', 'months'))}"
        for _ in range(40)
    )


def _urls(rng: random.Random) -> str:
    return "\n\n".join(
        f"https://www.{rng.choice(_NOUNS)}{rng.randint(1, 99)}.example/{rng.choice(_NOUNS)}/{rng.randint(1000, 9999)}"
        f"?ref={rng.choice(_NOUNS)}"
        for _ in range(rng.randint(30, 45))
    )


def _boilerplate(rng: random.Random) -> str:
    notices = [
        "This website uses cookies to improve your experience. By continuing you agree to our cookie policy.",
        "Read our privacy policy and terms of use before creating an account.",
        "All rights reserved. No part of this site may be reproduced without permission.",
        "We use cookies and similar technologies to personalise content and ads.",
        "Accept all cookies. Manage preferences. Reject non-essential cookies.",
    ]
    return "\n\n".join(rng.choice(notices) for _ in range(rng.randint(8, 12)))


def _gibberish(rng: random.Random) -> str:
    if rng.random() < 0.5:
        blob = base64.b64encode(rng.randbytes(900)).decode()
        return "\n".join(blob[i : i + 76] for i in range(0, len(blob), 76))
    return " ".join("".join(rng.choice(string.ascii_lowercase) for _ in range(rng.randint(2, 9))) for _ in range(150))


def _foreign(rng: random.Random) -> str:
    lang = rng.choice(sorted(_FOREIGN))
    sentences = _FOREIGN[lang].split(". ")
    return "\n\n".join(". ".join(rng.sample(sentences, len(sentences))) + "." for _ in range(3))


KINDS: dict[str, Callable[[random.Random], str]] = {
    "menu": _menu,
    "table": _table,
    "keywords": _keywords,
    "repeated": _repeated,
    "code": _code,
    "lorem": _lorem,
    "hashtags": _hashtags,
    "teasers": _teasers,
    "bullets": _bullets,
    "urls": _urls,
    "boilerplate": _boilerplate,
    "gibberish": _gibberish,
    "foreign": _foreign,
}


def documents(per_kind: int = 10, seed: int = 0) -> list[tuple[str, str, str]]:
    """(kind, id, text) for ``per_kind`` documents of every kind."""
    out = []
    for kind, make in KINDS.items():
        for i in range(per_kind):
            out.append((kind, f"junk-{kind}-{i}", make(random.Random(f"{seed}/{kind}/{i}"))))
    return out
