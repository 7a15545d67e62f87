"""Word lists behind the sentence splitter's decisions: general English.

Kept apart from the rules so that the lists can grow (or be reviewed) without touching the
logic. Titles, months, weekdays, units, Latin, corporate suffixes and US state abbreviations
are the usual suspects of every style guide; where a dev-set error pointed at a class (weekday
abbreviations, ``pop.`` for population), the general class was added, not the phrase.
Abbreviations are lower-case and matched case-insensitively (without their final period);
the capitalised lists are matched as written.
"""

from __future__ import annotations


def _words(block: str) -> frozenset[str]:
    return frozenset(block.split())


def _phrases(block: str) -> frozenset[str]:
    return frozenset(" ".join(p.split()) for p in block.split("|"))


# Abbreviations that precede what they introduce (a name, a number, an example) and so never end a
# sentence (``Dr. Smith``, ``e.g. The Times``, ``Lakers vs. Celtics``).
PREPOSITIVE = _words(
    """
    mr mrs ms messrs mme mlle dr prof rev fr sra srta st mt ft pt gen lt col maj capt cpt cmdr
    adm sgt cpl pvt brig gov sen rep rep's pres supt insp det hon amb atty esq dir mgr drs profs sens
    e.g i.e cf viz vs
    """
)

# Abbreviations that are followed by a number (``p. 55``, ``No. 7``, ``Fig. 3``).
NUMBER_ABBREVIATIONS = _words(
    """
    no nos nr vol vols p pp fig figs art arts sec secs ch chap para paras eq eqs ex tab pl ed eds
    op cit app appx rev ver v vs n° nº # pop
    """
)

# Abbreviations that may end a sentence: a boundary only when a typical sentence opener follows.
ABBREVIATIONS = _words(
    """
    etc al e.g i.e cf viz ca approx est incl excl misc resp vs
    co corp inc ltd llc plc pty gmbh ag sa nv bv bros assn assoc dept depts div univ intl natl govt
    jr sr phd md ba bsc msc mba dds rn cpa esq
    a.m p.m pm a.d b.c b.c.e c.e
    jan feb mar apr jun jul aug sep sept oct nov dec mon tue tues thu thur thurs fri
    ave blvd rd st ln hwy pkwy sq ste apt bldg fl
    ala ariz calif colo conn fla kan kans ky md mich minn mont neb nebr nev okla penn tenn tex va vt
    wis wisc wyo
    tel fax ext attn ref mfg mktg admin ed eds trans repr orig abbr gr lat
    """
)

# Units of measure: abbreviations after a number (``5 mm. The``), ordinary words anywhere else
# (``Mm. Hot out.``, ``min.``), so the splitter checks for the number first.
UNITS = _words(
    """
    min mins sec secs hr hrs yr yrs wk wks mos oz lb lbs kg km cm mm ft gal qt pt tsp tbsp doz pkg
    pcs qty
    """
)

# Abbreviations that are also common words (``sat``, ``ill``, ``miss``): only when capitalised.
CAPITALISED_ABBREVIATIONS = _words(
    """
    Sat Sun Wed Mar Ark Del Ga Ill Ind La Mass Miss Mo Ore Pa Wash
    """
)

# Brand names written with an exclamation mark (``Yahoo! in``): not a sentence end by themselves.
EXCLAMATION_NAMES = frozenset({"yahoo", "jeopardy", "yum", "wham", "joomla"})

# Words that commonly open an English sentence. Used only where the punctuation before them
# is ambiguous (after an abbreviation, an initial, a header colon): ``U.S. How`` splits,
# ``U.S. Government`` does not.
STARTERS = _words(
    """
    A An The This That These Those It Its It's I I'm I've I'd I'll He She We They You He's She's
    We're They're You're There Here His Her Our Their My Your What When Where Why Who Whom Whose
    Which How Whether But And So Or Nor Yet If Although Though Because Since While Whereas
    Unless Until After Before However Moreover Furthermore Meanwhile Nevertheless Therefore Thus
    Hence Instead Still Also Then Now Today Yesterday Tomorrow Later Finally First Second Third
    Next Last In On At For From With Without By As Of To Under Over During Despite Among Some
    Many Most All Each Every Both Either Neither Other Another Such No Not None Nobody Nothing
    Everyone Everything Someone Something Anyone Anything One Two Three Is Are Was Were Do Does
    Did Can Could Will Would Should Shall May Might Must Have Has Had Let Please Thanks Thank
    Yes Yeah Well Oh Ok Okay Sure
    """
)

# Letter closings that stand on their own before a signature (``Best, Darrell``).
CLOSINGS = _phrases(
    """
    thanks | thank you | thanks again | many thanks | best | best regards | kind regards | warm regards
    | regards | cheers | sincerely | yours | yours truly | sincerely yours | respectfully | love
    | cordially | take care | all the best | with thanks | thx
    """
)

# Greetings that open a letter (``Hi Jane, Please find``).
GREETINGS = frozenset({"hi", "hello", "dear", "hey", "greetings", "good"})
# Greetings that stand alone before a sentence (``Hi, Yes we can``): not ``good`` or ``hey``, which
# also open sentences of their own (``Good, I will``).
BARE_GREETINGS = frozenset({"hi", "hello", "greetings"})

# Capitalised words that open a sentence with a comma but are not names (``Overall, I think``),
# so ``Word, There is`` at the start of a message is not taken for a greeting.
DISCOURSE_WORDS = _words(
    """
    Overall Anyway Anyways Anyhow Sometimes Plus Again Besides Otherwise Indeed Rather Nowadays
    Afterwards Afterward Earlier Soon Often Perhaps Maybe Granted Remember Look Listen See Note
    Sorry Hmm Um Uh Ah Wow Hey Alas Lastly Firstly Secondly Thirdly Ok Okay Yes No Well Oh So
    Regardless Nonetheless Likewise Consequently Accordingly Alternatively Initially Eventually
    Ultimately Currently Recently Basically Actually Apparently Unfortunately Fortunately
    Hopefully Honestly Personally Obviously Clearly Sadly Luckily Interestingly Ironically
    Additionally Similarly Technically Seriously Importantly Specifically Generally Usually
    Normally Typically Ideally Naturally Surely Certainly Definitely Probably Possibly Frankly
    Admittedly Incidentally Meanwhile Today Tonight Yesterday Tomorrow Now Here There Also Still
    Yet Thus Hence Instead Later Next Then Finally First Second Third Last Lol Haha Please
    Thanks Hi Hello Dear Monday Tuesday Wednesday Thursday Friday Saturday Sunday January
    February March April June July August September October November December Spring Summer
    Autumn Fall Winter
    """
)
