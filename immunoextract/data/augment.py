"""Data augmentation for the annotated corpus: name swapping and 1990s EDGAR re-wrapping.

Names do not carry over between companies, so a model that memorises them fails on the
next issuer. `swap_names` replaces every mention by another real name of the same label
and the same shape (codes stay codes, legal suffixes and ALL CAPS are kept), consistently
within a document, so the model has to read context and naming conventions.
`rewrap_legacy` renders a modern release as a 1990s EDGAR plain-text exhibit (hard-wrapped
lines, `<PAGE>` markers, running headers, an upper-case headline). `augment_corpus` makes
the training copies. Every function is pure: randomness comes from the `random.Random`
passed in, and every offset is recomputed exactly, so each result passes
`validate_document`.
"""
import copy
import random
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Dict, FrozenSet, Iterable, List, Mapping, Optional, Sequence, Set, Tuple, Union

from ..errors import SchemaError
from .facts import normalize_name
from .schema import Document, Entity, Event, validate_document

LEXICON_DIR = Path(__file__).resolve().parents[1] / "resources" / "lexicon"

# Common surnames of many origins (English, Irish, Scottish, German, Dutch, Nordic, French, Italian,
# Iberian and Latin American, Slavic, Hungarian, Greek, Turkish, Arabic, Persian, Hebrew, South Asian,
# Chinese, Korean, Japanese, Vietnamese, West, East and Southern African). One word each.
SURNAMES: Tuple[str, ...] = (
    "Smith", "Johnson", "Williams", "Brown", "Jones", "Miller", "Davis", "Wilson", "Anderson", "Taylor",
    "Thomas", "Moore", "Jackson", "Thompson", "White", "Harris", "Clark", "Lewis", "Robinson", "Walker",
    "Young", "Allen", "Wright", "Scott", "Green", "Baker", "Adams", "Nelson", "Hill", "Campbell",
    "Mitchell", "Roberts", "Carter", "Phillips", "Evans", "Turner", "Parker", "Collins", "Edwards", "Stewart",
    "Morris", "Murphy", "Cook", "Rogers", "Morgan", "Cooper", "Peterson", "Reed", "Bailey", "Bell",
    "Kelly", "Howard", "Ward", "Cox", "Richardson", "Wood", "Watson", "Brooks", "Bennett", "Gray",
    "Hughes", "Price", "Sanders", "Myers", "Ross", "Foster", "Powell", "Jenkins", "Perry", "Russell",
    "Sullivan", "Fisher", "Henderson", "Hamilton", "Graham", "Wallace", "Cole", "Jordan", "Owens", "Ellis",
    "Harrison", "Gibson", "Marshall", "Hayes", "Kennedy", "Wells", "Palmer", "Burke", "Fletcher", "Holloway",
    "Pritchard", "Whitaker", "Ashworth", "Caldwell", "Hargreaves", "Lockwood", "Pemberton", "Thornton", "Sinclair", "Donovan",
    "O'Brien", "O'Connor", "Gallagher", "Brennan", "Fitzgerald", "Doyle", "Byrne", "Quinn", "McCarthy", "O'Neill",
    "MacLeod", "Fraser", "Buchanan", "Drummond", "Ferguson", "MacDonald", "Schmidt", "Schneider", "Fischer", "Weber",
    "Meyer", "Wagner", "Becker", "Schulz", "Koch", "Richter", "Klein", "Neumann", "Schwarz", "Zimmermann",
    "Braun", "Hartmann", "Lange", "Krause", "Vogel", "Brandt", "Lehmann", "Kaiser", "Fuchs", "Scholz",
    "Ziegler", "Bakker", "Visser", "Smit", "Mulder", "Dekker", "Vermeulen", "Jansen", "Andersson", "Johansson",
    "Karlsson", "Nilsson", "Eriksson", "Larsson", "Lindqvist", "Hansen", "Nielsen", "Jensen", "Pedersen", "Christensen",
    "Larsen", "Olsen", "Haugen", "Dahl", "Lund", "Holm", "Virtanen", "Korhonen", "Nieminen", "Heikkinen",
    "Bernard", "Dubois", "Durand", "Lefebvre", "Moreau", "Laurent", "Leroy", "Roux", "Bertrand", "Morel",
    "Fournier", "Girard", "Bonnet", "Dupont", "Lambert", "Fontaine", "Rousseau", "Mercier", "Blanc", "Guerin",
    "Chevalier", "Gauthier", "Perrin", "Rossi", "Russo", "Ferrari", "Esposito", "Bianchi", "Romano", "Colombo",
    "Ricci", "Marino", "Greco", "Gallo", "Conti", "Mancini", "Giordano", "Rizzo", "Lombardi", "Moretti",
    "Barbieri", "Santoro", "Mariani", "Rinaldi", "Caruso", "Galli", "Leone", "Gentile", "Martinelli", "Vitale",
    "Coppola", "Benedetti", "Garcia", "Rodriguez", "Martinez", "Hernandez", "Lopez", "Gonzalez", "Perez", "Sanchez",
    "Ramirez", "Torres", "Flores", "Rivera", "Gomez", "Diaz", "Reyes", "Morales", "Ortiz", "Gutierrez",
    "Chavez", "Ramos", "Ruiz", "Alvarez", "Mendoza", "Castillo", "Jimenez", "Vargas", "Romero", "Herrera",
    "Medina", "Aguilar", "Navarro", "Dominguez", "Castro", "Silva", "Santos", "Oliveira", "Souza", "Pereira",
    "Almeida", "Carvalho", "Ferreira", "Ribeiro", "Rocha", "Barbosa", "Cardoso", "Teixeira", "Nowak", "Kowalski",
    "Wisniewski", "Wojcik", "Kaminski", "Lewandowski", "Zielinski", "Szymanski", "Wozniak", "Dabrowski", "Svoboda", "Dvorak",
    "Horvat", "Kovac", "Petrov", "Ivanov", "Smirnov", "Popov", "Volkov", "Sokolov", "Morozov", "Kuznetsov",
    "Pavlov", "Orlov", "Kovalenko", "Shevchenko", "Bondarenko", "Nagy", "Toth", "Szabo", "Horvath", "Varga",
    "Molnar", "Farkas", "Papadopoulos", "Nikolaidis", "Georgiou", "Christodoulou", "Antonopoulos", "Karagiannis", "Dimitriou", "Pappas",
    "Yilmaz", "Kaya", "Demir", "Sahin", "Celik", "Aydin", "Ozturk", "Arslan", "Dogan", "Haddad",
    "Khoury", "Nasser", "Mansour", "Saleh", "Hamdan", "Aziz", "Farouk", "Rahman", "Karimi", "Hosseini",
    "Tehrani", "Ahmadi", "Rezaei", "Jafari", "Sadeghi", "Cohen", "Levi", "Friedman", "Katz", "Shapiro",
    "Goldberg", "Rosen", "Mizrahi", "Peretz", "Patel", "Shah", "Sharma", "Gupta", "Singh", "Kumar",
    "Reddy", "Rao", "Iyer", "Nair", "Menon", "Desai", "Mehta", "Joshi", "Kulkarni", "Chatterjee",
    "Banerjee", "Mukherjee", "Bose", "Ghosh", "Kapoor", "Malhotra", "Chopra", "Agarwal", "Bhatt", "Pillai",
    "Krishnan", "Subramanian", "Venkatesan", "Choudhury", "Siddiqui", "Qureshi", "Hussain", "Chaudhry", "Jayawardena", "Perera",
    "Wang", "Zhang", "Liu", "Chen", "Yang", "Huang", "Zhao", "Zhou", "Sun", "Zhu",
    "Guo", "Lin", "Luo", "Zheng", "Liang", "Xie", "Tang", "Feng", "Deng", "Cao",
    "Peng", "Zeng", "Xiao", "Tian", "Dong", "Pan", "Yuan", "Cai", "Jiang", "Cheng",
    "Wei", "Ding", "Shen", "Chan", "Wong", "Leung", "Lau", "Cheung", "Tsang", "Yip",
    "Chow", "Tan", "Lim", "Goh", "Teo", "Ong", "Kim", "Lee", "Park", "Choi",
    "Jung", "Kang", "Cho", "Yoon", "Jang", "Han", "Seo", "Shin", "Kwon", "Hwang",
    "Ahn", "Song", "Yoo", "Hong", "Jeon", "Moon", "Baek", "Bae", "Sato", "Suzuki",
    "Takahashi", "Tanaka", "Watanabe", "Ito", "Yamamoto", "Nakamura", "Kobayashi", "Kato", "Yoshida", "Yamada",
    "Sasaki", "Yamaguchi", "Matsumoto", "Inoue", "Kimura", "Hayashi", "Shimizu", "Yamazaki", "Ikeda", "Hashimoto",
    "Ishikawa", "Ogawa", "Fujita", "Okada", "Hasegawa", "Murakami", "Kondo", "Sakamoto", "Aoki", "Nishimura",
    "Fukuda", "Miura", "Okamoto", "Matsuda", "Nakagawa", "Nguyen", "Tran", "Pham", "Hoang", "Phan",
    "Dang", "Bui", "Ngo", "Duong", "Okafor", "Okonkwo", "Adeyemi", "Balogun", "Nwosu", "Adebayo",
    "Okeke", "Mensah", "Owusu", "Boateng", "Asante", "Appiah", "Osei", "Kamau", "Mwangi", "Otieno",
    "Njoroge", "Tesfaye", "Bekele", "Haile", "Girma", "Abebe", "Diallo", "Traore", "Keita", "Ndiaye",
    "Diop", "Dlamini", "Nkosi", "Khumalo", "Mokoena",
)

# Legal-form suffixes of a company name, kept verbatim by a swap ("Acme Biologics, Inc." -> "Vela Therapeutics, Inc.").
_LEGAL_WORD = (
    r"(?:(?i:and\s+)|&\s+)?(?:(?i:Inc\.?|Incorporated|Corp\.?|Corporation|Co\.|Company|Ltd\.?|Limited|Pty\.?)"
    r"|plc|PLC|AG|GmbH|S\.A\.S\.|S\.A\.|SA|SAS|N\.V\.|NV|B\.V\.|BV|K\.K\.|LLC|L\.L\.C\.|L\.P\.|LP|S\.p\.A\.|SpA"
    r"|A/S|AB|ASA|Oyj|SE|KGaA)"
)
_LEGAL_SUFFIX = re.compile(r"(?:,?\s+" + _LEGAL_WORD + r")+$")
# trailing words that make a company name out of a stem ("Deciphera" + "Pharmaceuticals")
_COMPANY_WORDS: FrozenSet[str] = frozenset(
    w.lower() for w in (
        "Pharmaceuticals", "Pharmaceutical", "Pharma", "Therapeutics", "Biosciences", "Bioscience", "Biotech",
        "Biotechnology", "Biologics", "Biopharma", "Biopharmaceuticals", "Oncology", "Laboratories", "Labs",
        "Genetics", "Genomics", "Medicines", "Sciences", "Bio", "Biotherapeutics", "Immunotherapeutics", "Vaccines",
        "Healthcare", "Health", "Medical", "Diagnostics", "Technologies", "Biosystems", "Biomedical", "Research",
        "Holdings", "Group", "International", "Systems", "Immunotherapies", "Therapies", "BioSolutions",
    )
)
_TITLES: FrozenSet[str] = frozenset(w.lower() for w in ("Dr.", "Dr", "Mr.", "Ms.", "Mrs.", "Prof.", "Professor", "Sir"))
_POST_NOMINALS: FrozenSet[str] = frozenset(
    w.lower() for w in ("Ph.D.", "M.D.", "Ph.D", "MD", "PhD", "MBA", "M.B.A.", "Jr.", "Sr.", "III", "II", "IV", "Pharm.D.", "D.Phil.", "J.D.", "Esq.")
)
_SURNAME_PARTICLES: FrozenSet[str] = frozenset(("van", "von", "de", "der", "den", "del", "della", "di", "da", "du", "la", "le", "st.", "mac", "ter", "ten", "al", "el", "bin", "ben"))
_INITIAL = re.compile(r"^(?:[A-Z]\.)+(?:-[A-Z]\.)?$")
_SALTS: FrozenSet[str] = frozenset(
    w.lower() for w in (
        "sodium", "potassium", "calcium", "magnesium", "hydrochloride", "HCl", "mesylate", "maleate", "citrate", "acetate",
        "phosphate", "sulfate", "tartrate", "besylate", "succinate", "fumarate", "bromide", "dihydrochloride", "tosylate",
    )
)
_INN_ENDINGS: Tuple[str, ...] = (
    "mab", "cept", "tinib", "ciclib", "parib", "lisib", "rafenib", "degib", "vedotin", "mafodotin", "tecan", "tesirine",
    "tansine", "ozogamicin", "tiuxetan", "pegol", "tide", "relix", "stat", "vir", "platin", "rubicin", "taxel",
    "trexate", "citabine", "zomib", "lidomide", "mide", "rsen", "siran", "meran", "gene", "leucel", "temcel", "ucel",
    "cel", "vec", "ase", "kin", "leukin", "mycin", "micin", "cillin", "oxacin", "xaban", "gatran", "gliflozin",
    "gliptin", "setron", "prazole", "tidine", "coxib", "sartan", "pril", "olol", "azole", "cycline", "lukast",
    "parin", "grel", "fiban", "dipine", "terol", "sonide", "nide", "profen", "navir", "afil", "dronate", "tinib",
)
_WS = " \t\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"
# ASCII renderings a 1990s EDGAR text would use
_ASCII_FOLD: Dict[str, str] = {
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u2013": "-",
    "\u2014": "--", "\u2012": "-", "\u2010": "-", "\u2011": "-", "\u2026": "...", "\u00ae": "(R)", "\u2122": "(TM)",
    "\u00a9": "(C)", "\u2022": "*", "\t": " ", "\r": "",
    **{c: " " for c in _WS if c not in (" ", "\t")},
}

# entity label -> the kinds of name `name_kind` tells apart
NAME_KINDS: Dict[str, Tuple[str, ...]] = {
    "DRUG": ("code", "acronym", "inn", "brand"),
    "ANTIBODY": ("code", "inn"),
    "TARGET": ("symbol", "name"),
    "PARTNER": ("acronym", "name"),
    "OFFICER": ("person",),
}


@dataclass(frozen=True)
class NamePools:
    """Replacement names for `swap_names`, by (label, kind), with the names never to produce.

    names (Mapping[Tuple[str, str], Tuple[str, ...]]): (label, kind) -> names; kinds as in
        NAME_KINDS, plus ("TARGET", "symbol_upper"), ("OFFICER", "first") and ("OFFICER", "surname").
        PARTNER names carry no legal suffix.
    codes (Mapping[str, Tuple[str, ...]]): code signature (see `code_signature`) -> lexicon drug codes.
    exclude (FrozenSet[str]): normalised names (`normalize_name`) a swap never writes.
    """

    names: Mapping[Tuple[str, str], Tuple[str, ...]]
    codes: Mapping[str, Tuple[str, ...]]
    exclude: FrozenSet[str] = frozenset()
    _subsets: Dict[tuple, Tuple[str, ...]] = field(default_factory=dict, init=False, repr=False, compare=False)

    def get(self, label: str, kind: str) -> Tuple[str, ...]:
        return self.names.get((label, kind), ())

    def matching(
        self, label: str, kind: str, *, words: Optional[int] = None, ending: str = "", company_word: Optional[bool] = None
    ) -> Tuple[str, ...]:
        """The names of (label, kind) with `words` words, whose first word ends in `ending`, and whose
        last word is (or is not) a company word such as "Therapeutics"; computed once."""
        key = (label, kind, words, ending, company_word)
        if key not in self._subsets:
            self._subsets[key] = tuple(
                n for n in self.get(label, kind)
                if (words is None or len(n.split(" ")) == words)
                and n.split(" ")[0].lower().endswith(ending)
                and (company_word is None or (n.split(" ")[-1].lower() in _COMPANY_WORDS) == company_word)
            )
        return self._subsets[key]


# ---------------------------------------------------------------------------------------------
# name shapes


def split_legal_suffix(name: str) -> Tuple[str, str]:
    """(core, suffix) of a company name: `"Acme Biologics, Inc."` -> `("Acme Biologics", ", Inc.")`.
    The suffix is "" when the name has none; the core is never empty."""
    match = _LEGAL_SUFFIX.search(name)
    if not match or match.start() == 0:
        return name, ""
    return name[: match.start()], name[match.start() :]


def code_signature(text: str) -> str:
    """The shape of a code with run lengths dropped: `SGN-35` -> `A-9`, `huC242-DM1` -> `aA9-A9`."""
    text = re.sub(r"[0-9]+", "9", text)
    text = re.sub(r"[a-z]+", "a", text)
    return re.sub(r"[A-Z]+", "A", text)


def is_all_caps(text: str) -> bool:
    """Whether every cased letter is upper case, with at least two letters (`SEATTLE GENETICS`, `SGN-35`)."""
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 2 and text.isupper()


def _is_code(text: str) -> bool:
    if re.search(r"[a-z]{4,}", text):
        return False
    return any(c.isdigit() for c in text) or bool(re.fullmatch(r"[A-Z]{2,6}(?:-[A-Za-z]{1,10})+", text))


def _inn_ending(name: str) -> str:
    """The longest INN stem `name` ends with ("" when none): `tafasitamab` -> `mab`."""
    word = name.split(" ")[0].lower()
    return max((e for e in _INN_ENDINGS if word.endswith(e) and len(word) > len(e) + 2), key=len, default="")


def name_kind(label: str, text: str) -> str:
    """The kind of name a mention is, one of NAME_KINDS[label].

    DRUG: "code" (no run of 4+ lower-case letters, and a digit or a capital prefix and a hyphen:
    `SGN-35`, `huC242-DM1`, `ARO-AAT`), "acronym"
    (2-5 capitals: `MMAE`), "inn" (lower-case, or an INN ending: `Brentuximab Vedotin`), else "brand".
    ANTIBODY: "inn" (a run of 4+ lower-case letters: `trastuzumab`) or "code" (`cAC10`, `BR96`).
    TARGET: "symbol" (one token, no run of 4+ lower-case letters: `HER2`, `mTOR`) or "name".
    PARTNER: "acronym" (2-5 capitals, legal suffix aside: `BMS`) or "name". OFFICER: "person".
    """
    text = " ".join(text.split())
    if label == "DRUG":
        core = _strip_salt(text)[0]
        if _is_code(core):
            return "code"
        if re.fullmatch(r"[A-Z]{2,5}", core):
            return "acronym"
        first = next((c for c in core if c.isalpha()), "")
        if first.islower() or (not is_all_caps(core) and core.lower().endswith(_INN_ENDINGS)):
            return "inn"
        return "brand"
    if label == "ANTIBODY":
        return "inn" if re.search(r"[a-z]{4,}", text) and not _is_code(text) else "code"
    if label == "TARGET":
        return "symbol" if " " not in text and not re.search(r"[a-z]{4,}", text) else "name"
    if label == "PARTNER":
        core = split_legal_suffix(text)[0]
        return "acronym" if re.fullmatch(r"[A-Z]{2,5}", core) else "name"
    return "person"


def _strip_salt(text: str) -> Tuple[str, str]:
    """(name, salt words) of a drug mention: `mipomersen sodium` -> (`mipomersen`, ` sodium`)."""
    words = text.split(" ")
    i = len(words)
    while i > 1 and words[i - 1].lower() in _SALTS:
        i -= 1
    return " ".join(words[:i]), "".join(" " + w for w in words[i:])


def _upper(text: str) -> str:
    """Upper case, character by character, leaving a character whose upper case is longer (`ß`)."""
    return "".join(u if len(u := c.upper()) == 1 else c for c in text)


def _render_case(original: str, base: str, kind: str) -> str:
    """`base` written in the case pattern of `original` (ALL CAPS, Capitalised, Title Case)."""
    if is_all_caps(original):
        return _upper(base)
    if kind in ("code", "symbol", "acronym", "brand"):
        return base
    first = next((c for c in original if c.isalpha()), "")
    if first.isupper() and base[:1].islower():
        words = original.split()
        if len(words) > 1 and all(w[:1].isupper() for w in words if w[:1].isalpha()):
            return " ".join(w[:1].upper() + w[1:] for w in base.split(" "))
        return base[:1].upper() + base[1:]
    return base


# ---------------------------------------------------------------------------------------------
# pools


def _read_names(path: Path) -> List[str]:
    if not path.exists():
        return []
    names = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = " ".join(line.split())
        if line and not line.startswith("#"):
            names.append(line)
    return names


def _exclusion_keys(names: Iterable[str]) -> Set[str]:
    keys: Set[str] = set()
    for name in names:
        name = " ".join(name.split())
        if not name:
            continue
        keys.add(normalize_name(name))
        keys.add(normalize_name(split_legal_suffix(name)[0]))
    keys.discard("")
    return keys


def name_pools(lexicon_dir: Optional[Union[str, Path]] = None, *, exclude: Optional[Iterable[str]] = None) -> NamePools:
    """Replacement names from the lexicon files (`drugs.txt`, `partners.txt`, `targets.txt`,
    `first_names.txt`) and SURNAMES, grouped by label and kind.

    lexicon_dir (str | Path | None): folder of lexicon files, default the bundled `resources/lexicon`.
    exclude (Iterable[str] | None): names never to use, e.g. every mention of the dev and test splits;
        compared after `normalize_name`, company names also without their legal suffix.
    RETURNS (NamePools): the pools, with `exclude` kept so generated names avoid it too.
    """
    base = Path(lexicon_dir) if lexicon_dir else LEXICON_DIR
    excluded = frozenset(_exclusion_keys(exclude or ()))
    # the last word of a held-out name (a person's surname) is never used as a surname
    excluded_words = {k.split(" ")[-1] for k in excluded}

    lexicons = {key: _read_names(base / f"{key}.txt") for key in ("drugs", "partners", "targets", "first_names")}
    # a name two lexicons hold ("ICOS" the company, ICOS the receptor) would teach a label conflict
    seen_in: Dict[str, Set[str]] = {}
    for key, entries in lexicons.items():
        for name in entries:
            seen_in.setdefault(normalize_name(split_legal_suffix(name)[0] if key == "partners" else name), set()).add(key)
    ambiguous = {name for name, keys in seen_in.items() if len(keys) > 1}

    def allowed(name: str) -> bool:
        key = normalize_name(name)
        return key not in excluded and key not in ambiguous

    names: Dict[Tuple[str, str], List[str]] = {}
    codes: Dict[str, List[str]] = {}

    def add(label: str, kind: str, name: str) -> None:
        bucket = names.setdefault((label, kind), [])
        if name not in bucket:
            bucket.append(name)

    for name in lexicons["drugs"]:
        if not allowed(name):
            continue
        kind = name_kind("DRUG", name)
        if kind == "code":
            if name not in codes.setdefault(code_signature(name), []):
                codes[code_signature(name)].append(name)
        if kind == "inn" and not name[:1].islower():
            kind = "brand"  # a capitalised lexicon entry is a brand, whatever its ending
        if not (kind == "brand" and any(c.isdigit() for c in name)):  # in capitals "R21/Matrix-M" would read as a code
            add("DRUG", kind, name)
        stem = re.match(r"[a-z]+mab\b", name)
        if stem and allowed(stem.group()) and not is_all_caps(name):
            add("ANTIBODY", "inn", stem.group())
    for name in lexicons["partners"]:
        core = split_legal_suffix(name)[0].strip(" ,")
        if len(core) < 3 and not re.fullmatch(r"[A-Z]{2}", core) or not re.search(r"\w$", core) or not allowed(core):
            continue
        add("PARTNER", name_kind("PARTNER", core), core)
    for name in lexicons["targets"]:
        if allowed(name):
            kind = name_kind("TARGET", name)
            add("TARGET", kind, name)
            if kind == "symbol" and is_all_caps(name):
                add("TARGET", "symbol_upper", name)
    for name in lexicons["first_names"]:
        if allowed(name) and " " not in name:
            add("OFFICER", "first", name)
    for name in SURNAMES:
        if allowed(name) and normalize_name(name) not in excluded_words and normalize_name(name) not in seen_in:
            add("OFFICER", "surname", name)
    return NamePools(
        names={k: tuple(v) for k, v in names.items()},
        codes={k: tuple(v) for k, v in codes.items()},
        exclude=excluded,
    )


def document_names(docs: Iterable[Document]) -> Set[str]:
    """Every entity mention (white space collapsed) and `meta["company"]` of `docs`: the names to
    keep out of augmented training data when `docs` are held out."""
    found: Set[str] = set()
    for doc in docs:
        found.update(" ".join(doc.span_text(e).split()) for e in doc.entities)
        if doc.meta.get("company"):
            found.add(" ".join(str(doc.meta["company"]).split()))
    return found


# ---------------------------------------------------------------------------------------------
# swap_names

_SYLLABLES = ("ba", "ca", "da", "fi", "ga", "ka", "la", "lo", "ma", "mi", "na", "no", "ra", "ri", "sa", "ta", "ti", "va", "vo", "xe", "ze", "zo", "qui", "tra", "pre", "cor", "ven", "lu", "ne", "ro")


class _Chooser:
    """Picks fresh names for one document: never excluded, never used twice, never already in the text."""

    def __init__(self, doc: Document, rng: random.Random, pools: NamePools) -> None:
        self.rng = rng
        self.pools = pools
        self.text = doc.text.casefold()
        self.used: Set[str] = {normalize_name(doc.span_text(e)) for e in doc.entities}
        self.used.update(normalize_name(split_legal_suffix(doc.span_text(e))[0]) for e in doc.entities if e.label == "PARTNER")

    def fresh(self, name: str) -> bool:
        key = normalize_name(name)
        if not key or key in self.used or key in self.pools.exclude:
            return False
        folded = name.casefold()
        if folded in self.text and re.search(r"(?<![\w-])" + re.escape(folded) + r"(?![\w-])", self.text):
            return False
        return True

    def take(self, name: str) -> str:
        self.used.add(normalize_name(name))
        return name

    def pick(self, *pools: Sequence[str], tries: int = 60) -> Optional[str]:
        """A fresh name from the first of `pools` that has one (None when none has)."""
        for pool in pools[:-1]:
            found = self.pick(pool, tries=tries)
            if found is not None:
                return found
        pool = pools[-1] if pools else ()
        if not pool:
            return None
        for _ in range(tries):
            name = self.rng.choice(pool)
            if self.fresh(name):
                return self.take(name)
        return None

    def generate(self, make: Callable[[], str], tries: int = 200) -> str:
        name = make()
        for _ in range(tries):
            if self.fresh(name):
                break
            name = make()
        return self.take(name)

    def pseudo_word(self) -> str:
        return "".join(self.rng.choice(_SYLLABLES) for _ in range(self.rng.randint(2, 3)))


def generate_code(template: str, rng: random.Random) -> str:
    """A random code of the shape of `template`: capitals stay capitals (2-4 when the template has 2-4),
    digits stay digits (about as many), punctuation and short lower-case prefixes (`h`, `hu`, `c`) are kept."""
    parts = []
    for run in re.findall(r"[A-Z]+|[a-z]+|[0-9]+|[^A-Za-z0-9]", template):
        n = len(run)
        if run.isdigit():
            n = n if n == 1 else rng.randint(max(2, n - 1), n + 1)
            parts.append(str(rng.randint(1, 9)) + "".join(str(rng.randint(0, 9)) for _ in range(n - 1)))
        elif run.isascii() and run.isupper():
            n = n if n == 1 or n > 4 else rng.randint(max(2, n - 1), min(4, n + 1))
            parts.append("".join(rng.choice("ABCDEFGHJKLMNPRSTVWXYZ") for _ in range(n)))
        elif run.isascii() and run.islower() and n > 2:
            parts.append("".join(rng.choice("abcdefghiklmnoprstuvz") for _ in range(n)))
        else:
            parts.append(run)
    return "".join(parts)


def _plan_partners(mentions: List[Tuple[Entity, str]], company: Optional[str], chooser: _Chooser, rate: float) -> Dict[str, Optional[str]]:
    """Core key -> replacement core (None: keep), longest cores first so short forms can follow them."""
    cores: Dict[str, str] = {}
    for _, text in mentions:
        core = split_legal_suffix(text)[0]
        key = normalize_name(core)
        if key not in cores or (is_all_caps(cores[key]) and not is_all_caps(core)):
            cores[key] = core
    if company:
        core = split_legal_suffix(" ".join(company.split()))[0]
        cores.setdefault(normalize_name(core), core)
    plan: Dict[str, Optional[str]] = {}
    stems: Dict[str, str] = {}  # original stem key -> replacement stem
    rng, pools = chooser.rng, chooser.pools
    for key in sorted(cores, key=lambda k: (-len(k.split(" ")), list(cores).index(k))):
        if rng.random() >= rate:
            plan[key] = None
            continue
        core = cores[key]
        kind = name_kind("PARTNER", core)
        new: Optional[str] = None
        if kind == "name" and key in stems and chooser.fresh(stems[key]):
            new = chooser.take(stems[key])
        if new is None:  # "Deciphera Pharmaceuticals" -> a name with a company word, "Deciphera" -> one without
            has_word = key.split(" ")[-1] in _COMPANY_WORDS
            new = chooser.pick(pools.matching("PARTNER", kind, company_word=has_word), pools.get("PARTNER", kind))
        if new is None:
            if kind == "acronym":
                new = chooser.generate(lambda: generate_code(core, rng))
            else:
                new = chooser.generate(lambda: chooser.pseudo_word().capitalize() + " " + rng.choice(("Therapeutics", "Pharmaceuticals", "Biosciences", "Biologics")))
        plan[key] = new
        words, new_words = key.split(" "), new.split(" ")
        if len(words) > 1 and words[-1] in _COMPANY_WORDS and len(new_words) > 1 and new_words[-1].lower() in _COMPANY_WORDS:
            i, j = len(words), len(new_words)
            while i > 1 and words[i - 1] in _COMPANY_WORDS:
                i -= 1
            while j > 1 and new_words[j - 1].lower() in _COMPANY_WORDS:
                j -= 1
            stems.setdefault(" ".join(words[:i]), " ".join(new_words[:j]))
    return plan


def _render_partner(text: str, plan: Mapping[str, Optional[str]]) -> Optional[str]:
    flat = " ".join(text.split())
    core, suffix = split_legal_suffix(flat)
    new = plan.get(normalize_name(core))
    if new is None:
        return None
    return _render_case(core, new, "acronym") + suffix  # lexicon casing ("uniQure"), or ALL CAPS


def _person_parts(text: str) -> Tuple[List[str], List[str], List[str], List[str]]:
    """(titles, given names and initials, surname words, post-nominals) of an OFFICER mention."""
    tokens = text.split()
    titles, post = [], []
    while len(tokens) > 1 and tokens[0].lower() in _TITLES:
        titles.append(tokens.pop(0))
    while len(tokens) > 1 and tokens[-1].lower().rstrip(",") in _POST_NOMINALS:
        post.insert(0, tokens.pop())
    i = len(tokens) - 1
    while i > 0 and tokens[i - 1].lower() in _SURNAME_PARTICLES:
        i -= 1
    return titles, tokens[:i], tokens[i:], post


def _plan_officers(mentions: List[Tuple[Entity, str]], chooser: _Chooser, rate: float) -> Dict[str, str]:
    """Entity id -> new mention text for every OFFICER mention that is swapped."""
    rng, pools = chooser.rng, chooser.pools
    surnames: Dict[str, Optional[str]] = {}  # original surname key -> new surname (None: keep)
    given: Dict[str, str] = {}  # original given-name key -> new first name
    parsed = [(ent, text, _person_parts(text)) for ent, text in mentions]

    def surname_for(words: List[str]) -> Optional[str]:
        key = normalize_name(" ".join(words))
        if key not in surnames:
            if rng.random() >= rate:
                surnames[key] = None
            else:
                surnames[key] = chooser.pick(pools.get("OFFICER", "surname")) or chooser.generate(lambda: chooser.pseudo_word().capitalize())
            if len(words) > 1:  # "Nostrand" alone follows "Robert L. Van Nostrand"
                surnames.setdefault(normalize_name(words[-1]), surnames[key])
        return surnames[key]

    def first_for(word: str) -> str:
        key = normalize_name(word)
        if key not in given:
            given[key] = chooser.pick(pools.get("OFFICER", "first")) or chooser.generate(lambda: chooser.pseudo_word().capitalize())
        return given[key]

    plan: Dict[str, str] = {}
    # full names first, so a later surname-only mention finds its person
    for ent, text, (titles, first, last, post) in sorted(parsed, key=lambda p: not p[2][1]):
        if first:
            new_last = surname_for(last)
            if new_last is None:
                continue
            new_first = [w if _INITIAL.match(w) else first_for(w) for w in first]
            words = titles + new_first + [new_last] + post
        else:
            key = normalize_name(" ".join(last))
            if key not in surnames and key in given:
                # a given name standing alone ("Clay") follows its person
                words = titles + [given[key]] + post
            else:
                new_last = surname_for(last)
                if new_last is None:
                    continue
                words = titles + [new_last] + post
        new = " ".join(words)
        plan[ent.id] = _upper(new) if is_all_caps(" ".join(first + last)) else new
    return plan


def _plan_simple(
    label: str,
    mentions: List[Tuple[Entity, str]],
    chooser: _Chooser,
    rate: float,
    hints: Optional[Dict[str, str]] = None,
) -> Dict[str, Optional[Tuple[str, str]]]:
    """Key -> (replacement base, kind) for DRUG, ANTIBODY and TARGET mentions (None: keep)."""
    rng, pools = chooser.rng, chooser.pools
    examples: Dict[str, str] = {}
    for _, text in mentions:
        flat = " ".join(text.split())  # a name broken across a line (`pexiganan\nacetate`) is one name
        name = _strip_salt(flat)[0] if label == "DRUG" else flat
        key = normalize_name(name)
        # the kind is read from the least upper-cased mention ("Adcetris" rather than "ADCETRIS")
        if key not in examples or (is_all_caps(examples[key]) and not is_all_caps(name)):
            examples[key] = name
    plan: Dict[str, Optional[Tuple[str, str]]] = {}
    for key, name in examples.items():
        if rng.random() >= rate:
            plan[key] = None
            continue
        kind = name_kind(label, name)
        n_words = len(name.split(" "))
        ending = _inn_ending(name) if kind == "inn" else ""
        # the same INN stem (-siran for -siran) and word count, else an antibody for an antibody
        preferred = (
            pools.matching(label, kind, words=n_words, ending=ending),
            pools.matching(label, kind, words=n_words, ending="mab" if ending.endswith("mab") else ""),
        )
        new: Optional[str] = None
        if hints and key.split(" ")[0] in hints and kind == "inn" and n_words == 1 and chooser.fresh(hints[key.split(" ")[0]]):
            new = chooser.take(hints[key.split(" ")[0]])
        elif kind == "code":
            lexicon = pools.codes.get(code_signature(name), ()) if label == "DRUG" else ()
            if lexicon and rng.random() < 0.5:
                new = chooser.pick(lexicon)
            if new is None:
                new = chooser.generate(lambda: generate_code(name, rng))
        elif label == "TARGET" and kind == "symbol" and is_all_caps(name):
            new = chooser.pick(pools.get("TARGET", "symbol_upper")) or chooser.pick(pools.get("TARGET", "symbol"))
        elif label == "DRUG" and kind == "acronym":
            new = chooser.pick(pools.get("DRUG", "acronym"))
            if new is None:
                new = chooser.generate(lambda: generate_code(name, rng))
        else:
            new = chooser.pick(*preferred, pools.get(label, kind))
        if new is None:  # an exhausted pool: make a name of the right look
            if label == "ANTIBODY" or (label == "DRUG" and kind == "inn"):
                endings = ("tuzumab", "ximab", "lumab") + (("tinib", "parib") if label == "DRUG" else ())
                new = chooser.generate(lambda: chooser.pseudo_word() + rng.choice(endings))
            elif label == "TARGET" and kind == "symbol":
                new = chooser.generate(lambda: generate_code("ABC1", rng))
            else:
                new = chooser.generate(lambda: chooser.pseudo_word().capitalize() + ("" if kind == "brand" else " kinase"))
        plan[key] = (new, kind)
    return plan


def _render_simple(label: str, text: str, plan: Mapping[str, Optional[Tuple[str, str]]]) -> Optional[str]:
    flat = " ".join(text.split())
    name, salt = _strip_salt(flat) if label == "DRUG" else (flat, "")
    entry = plan.get(normalize_name(name))
    if entry is None:
        return None
    new, kind = entry
    return _render_case(name, new, kind) + salt


class _Edits:
    """Non-overlapping replacements of a text, and the map from old boundaries to new ones."""

    def __init__(self, text: str, edits: List[Tuple[int, int, str]]) -> None:
        self.edits = sorted(edits, key=lambda e: (e[0], e[1]))
        pieces, last = [], 0
        for start, end, new in self.edits:
            pieces.append(text[last:start])
            pieces.append(new)
            last = end
        pieces.append(text[last:])
        self.text = "".join(pieces)

    def map(self, pos: int, *, side: str) -> Optional[int]:
        """New offset of boundary `pos` (side "start" or "end"); None when `pos` falls inside a replaced span."""
        delta = 0
        for start, end, new in self.edits:
            if start < pos < end:
                return None
            if end < pos or (end == pos and (start < end or side == "start")):
                delta += len(new) - (end - start)
            elif start >= pos:
                break
        return pos + delta


def _check(doc: Document, what: str) -> Document:
    problems = validate_document(doc)
    if problems:
        raise SchemaError(f"{what} produced an invalid document: {problems[0]}", doc_id=doc.id)
    return doc


def swap_names(doc: Document, rng: random.Random, *, pools: NamePools, rate: float = 1.0) -> Document:
    """A copy of `doc` whose entity mentions are replaced by other names of the same label and shape.

    The same normalised name gets the same replacement throughout the document (a company with
    or without its legal suffix or in capitals counts as one name; a surname-only OFFICER mention
    follows the full name it ends); aliases are replaced independently. Shapes kept: legal
    suffixes and ALL CAPS of company names; DRUG codes stay codes of the same signature,
    INNs stay INNs, brands stay brands; ANTIBODY INN stems and codes; TARGET symbols and names;
    OFFICER initials, titles and post-nominals. Text outside mentions is kept, except that
    a possessive apostrophe after a name that no longer ends in "s" gets its "s". Entity,
    event and relation offsets are recomputed; an event whose boundary falls inside a replaced
    mention is dropped with its relations. `meta["company"]` follows the swap, `meta["issuer"]`
    keeps the original issuer (it decides the split).

    doc (Document): the original, not modified.
    rng (random.Random): the source of every choice.
    pools (NamePools): replacement names, from `name_pools`.
    rate (float): the share of distinct names replaced, default 1.0 (all).
    RETURNS (Document): the new document, valid under `validate_document`.
    """
    chooser = _Chooser(doc, rng, pools)
    by_label: Dict[str, List[Tuple[Entity, str]]] = {}
    for ent in doc.entities:
        by_label.setdefault(ent.label, []).append((ent, doc.span_text(ent)))
    company = doc.meta.get("company") if isinstance(doc.meta.get("company"), str) else None
    partner_plan = _plan_partners(by_label.get("PARTNER", []), company, chooser, rate)
    drug_plan = _plan_simple("DRUG", by_label.get("DRUG", []), chooser, rate)
    # an antibody named by the INN stem of a drug ("brentuximab" of "brentuximab vedotin") follows that drug
    hints = {}
    for key, entry in drug_plan.items():
        if entry and key.split(" ")[0].endswith("mab") and entry[0].split(" ")[0].endswith("mab"):
            hints.setdefault(key.split(" ")[0], entry[0].split(" ")[0].lower())
    plans: Dict[str, Callable[[str], Optional[str]]] = {
        "PARTNER": lambda t: _render_partner(t, partner_plan),
        "DRUG": lambda t: _render_simple("DRUG", t, drug_plan),
    }
    antibody_plan = _plan_simple("ANTIBODY", by_label.get("ANTIBODY", []), chooser, rate, hints)
    target_plan = _plan_simple("TARGET", by_label.get("TARGET", []), chooser, rate)
    plans["ANTIBODY"] = lambda t: _render_simple("ANTIBODY", t, antibody_plan)
    plans["TARGET"] = lambda t: _render_simple("TARGET", t, target_plan)
    officer_plan = _plan_officers(by_label.get("OFFICER", []), chooser, rate)

    text = doc.text
    replaced: Dict[str, str] = {}
    edits: List[Tuple[int, int, str]] = []
    for ent in doc.entities:
        old = text[ent.start : ent.end]
        new = officer_plan.get(ent.id) if ent.label == "OFFICER" else plans[ent.label](old) if ent.label in plans else None
        if new is None or new == old:
            continue
        replaced[ent.id] = new
        edits.append((ent.start, ent.end, new))
        # "Seattle Genetics' pipeline" -> "Vela Bio's pipeline"
        after = ent.end
        if (
            after < len(text) and text[after] in "'\u2019" and old[-1:] in ("s", "S") and new[-1:] not in ("s", "S")
            and (after + 1 == len(text) or not text[after + 1].isalnum())
            and (ent.start == 0 or text[ent.start - 1] not in "'\u2018")
        ):
            edits.append((after + 1, after + 1, "S" if is_all_caps(new) else "s"))
    edited = _Edits(text, edits)

    entities = []
    for ent in doc.entities:
        start = edited.map(ent.start, side="start")
        assert start is not None  # entities never overlap, so a start never falls inside another's edit
        end = start + len(replaced[ent.id]) if ent.id in replaced else edited.map(ent.end, side="end")
        entities.append(Entity(ent.id, start, end, ent.label, ent.score, copy.deepcopy(ent.extra)))
    events, dropped = [], set()
    for ev in doc.events:
        start, end = edited.map(ev.start, side="start"), edited.map(ev.end, side="end")
        if start is None or end is None:
            dropped.add(ev.id)
            continue
        events.append(Event(ev.id, start, end, ev.type, ev.score, copy.deepcopy(ev.extra)))
    relations = [copy.deepcopy(r) for r in doc.relations if r.head not in dropped and r.tail not in dropped]

    meta = copy.deepcopy(doc.meta)
    meta.setdefault("issuer", str(doc.meta.get("company") or doc.id))
    if company:
        new_company = _render_partner(company, partner_plan)
        if new_company:
            meta["company"] = new_company
    new_doc = Document(doc.id, edited.text, meta, entities, events, relations, copy.deepcopy(doc.extra))
    return _check(new_doc, "swap_names")


# ---------------------------------------------------------------------------------------------
# rewrap_legacy

_HEADER = -2  # piece origin of the company name in a running header
_INSERTED = -1  # piece origin of any other inserted text


@dataclass
class _Line:
    pieces: List[Tuple[int, str]] = field(default_factory=list)  # (old index or _INSERTED/_HEADER, new text)
    sep: Optional[Tuple[int, str]] = None  # the piece that ends the line ("\n"), None for the last line
    safe: bool = True  # whether the line break lies outside every entity and event span
    blank: bool = False


def _wrap_line(
    text: str, a: int, b: int, fold: List[str], inside: bytearray, width: int, *, headline: bool
) -> List[_Line]:
    """Hard-wrap text[a:b] (one original line) at `width`, breaking at spaces, never inside a span
    unless one span alone is too long for a line."""
    widths = [len(fold[i]) for i in range(a, b)]
    prefix = [0]
    for w in widths:
        prefix.append(prefix[-1] + w)

    def span_width(i: int, j: int) -> int:
        return prefix[j - a] - prefix[i - a]

    end = b
    while end > a and text[end - 1] in _WS:
        end -= 1
    lines: List[_Line] = []
    if end == a:  # blank line; trailing white space goes
        return [_Line(pieces=[(i, "") for i in range(a, b)], blank=True)]
    runs: List[Tuple[int, int]] = []
    i = a
    while i < end and text[i] in _WS:  # indentation stays with the first line
        i += 1
    while i < end:
        if text[i] in _WS:
            j = i
            while j < end and text[j] in _WS:
                j += 1
            runs.append((i, j))
            i = j
        else:
            i += 1
    cur, carry = a, []
    while True:
        if span_width(cur, end) <= width:
            break
        fitting = [r for r in runs if r[0] > cur and span_width(cur, r[0]) <= width]
        outside = [r for r in fitting if not inside[r[0]]]
        if outside:
            run = outside[-1]
        elif fitting:
            run = fitting[-1]  # a span longer than a line: break it, at a space
        else:
            later = [r for r in runs if r[0] > cur]
            if not later:
                break  # one token longer than a line
            run = later[0]
        pieces = carry + [(k, fold[k]) for k in range(cur, run[0])]
        lines.append(_Line(pieces=pieces, sep=(run[0], "\n"), safe=not inside[run[0]]))
        carry = [(k, "") for k in range(run[0] + 1, run[1])]
        cur = run[1]
    lines.append(_Line(pieces=carry + [(k, fold[k]) for k in range(cur, end)] + [(k, "") for k in range(end, b)]))
    if headline:
        for line in lines:
            shown = sum(len(s) for _, s in line.pieces)
            pad = max(0, (width - shown) // 2)
            line.pieces = [(_INSERTED, " " * pad)] + [(k, _upper(s) if k >= 0 else s) for k, s in line.pieces]
    return lines


def _page_header(meta: Mapping[str, object], page: int, width: int) -> List[Tuple[int, str]]:
    tail = f" -- Page {page}"
    company = " ".join(str(meta.get("company") or "").split())
    for name in (company, split_legal_suffix(company)[0]):
        if name and len(name) + len(tail) <= width:
            return [(_HEADER, name), (_INSERTED, tail)]
    return [(_INSERTED, f"Page {page}")]


def rewrap_legacy(doc: Document, rng: random.Random, *, width: int = 70, page_lines: int = 50) -> Document:
    """`doc` rendered as a 1990s EDGAR plain-text exhibit.

    The text opens with `<PAGE>`; the headline (the first non-blank line) is upper-cased and
    centred; every line is hard-wrapped at `width` characters, breaking at white space and never
    inside an entity or event span unless the span alone is longer than a line (then at a
    space). Typographic characters become ASCII (`’` -> `'`, `—` -> `--`, `®` -> `(R)`). About every
    `page_lines` lines, at a paragraph break where possible, come a centred `-more-`, `<PAGE>`
    and a running header `<Company> -- Page N` whose company name (`meta["company"]`) is annotated
    as a PARTNER. Offsets are recomputed exactly; `meta["genre"]` becomes "edgar-legacy".

    doc (Document): the original, not modified.
    rng (random.Random): the source of every choice (page lengths vary by a few lines).
    width (int): the longest line, default 70; only a single longer token exceeds it.
    page_lines (int): lines a page holds, about, default 50.
    RETURNS (Document): the new document, valid under `validate_document`.
    """
    text = doc.text
    n = len(text)
    fold = [_ASCII_FOLD.get(c, c) for c in text]
    inside = bytearray(n + 1)
    for item in (*doc.entities, *doc.events):
        for k in range(item.start + 1, item.end):
            inside[k] = 1
    raw_lines: List[Tuple[int, int]] = []
    start = 0
    for k, c in enumerate(text):
        if c == "\n":
            raw_lines.append((start, k))
            start = k + 1
    raw_lines.append((start, n))
    headline = next((i for i, (a, b) in enumerate(raw_lines) if text[a:b].strip()), -1)
    lines: List[_Line] = []
    for number, (a, b) in enumerate(raw_lines):
        wrapped = _wrap_line(text, a, b, fold, inside, width, headline=number == headline)
        if b < n:
            wrapped[-1].sep = (b, "\n")
            wrapped[-1].safe = not inside[b]
        lines.extend(wrapped)

    def inserted(*texts: str) -> List[_Line]:
        return [_Line(pieces=[(_INSERTED, t)] if t else [], sep=(_INSERTED, "\n"), blank=not t) for t in texts]

    more = " " * max(0, (width - len("-more-")) // 2) + "-more-"
    out: List[_Line] = inserted("<PAGE>")
    page, on_page = 1, 1
    target = page_lines + rng.randint(-3, 3)
    for k, line in enumerate(lines):
        out.append(line)
        on_page += 1
        rest = lines[k + 1 :]
        if line.sep is None or not line.safe or not any(not r.blank for r in rest):
            continue
        at_paragraph = line.blank and k > 0 and lines[k - 1].safe
        if (at_paragraph and on_page >= target - 6) or on_page >= target + 6:
            page += 1
            header = _Line(pieces=_page_header(doc.meta, page, width), sep=(_INSERTED, "\n"))
            out.extend(([] if at_paragraph else inserted("")) + inserted(more, "<PAGE>") + [header] + inserted(""))
            on_page = 3
            target = page_lines + rng.randint(-3, 3)

    new_start, new_end = [0] * (n + 1), [0] * (n + 1)
    buf: List[str] = []
    headers: List[Tuple[int, int]] = []
    pos = 0
    for line in out:
        for origin, piece in line.pieces + ([line.sep] if line.sep else []):
            if origin >= 0:
                new_start[origin], new_end[origin] = pos, pos + len(piece)
            elif origin == _HEADER:
                headers.append((pos, pos + len(piece)))
            buf.append(piece)
            pos += len(piece)
    new_text = "".join(buf)

    entities = [Entity(e.id, new_start[e.start], new_end[e.end - 1], e.label, e.score, copy.deepcopy(e.extra)) for e in doc.entities]
    taken = {e.id for e in doc.entities} | {e.id for e in doc.events}
    number = len(doc.entities)
    for a, b in headers:
        number += 1
        while f"T{number}" in taken:
            number += 1
        taken.add(f"T{number}")
        entities.append(Entity(f"T{number}", a, b, "PARTNER"))
    entities.sort(key=lambda e: (e.start, e.end))
    events = [Event(e.id, new_start[e.start], new_end[e.end - 1], e.type, e.score, copy.deepcopy(e.extra)) for e in doc.events]
    meta = copy.deepcopy(doc.meta)
    meta["genre"] = "edgar-legacy"
    new_doc = Document(doc.id, new_text, meta, entities, events, copy.deepcopy(doc.relations), copy.deepcopy(doc.extra))
    return _check(new_doc, "rewrap_legacy")


# ---------------------------------------------------------------------------------------------
# corpus


def augment_corpus(
    docs: Iterable[Document],
    *,
    copies: int = 2,
    seed: int = 0,
    exclude_names: Optional[Iterable[str]] = None,
    rate: float = 1.0,
    lexicon_dir: Optional[Union[str, Path]] = None,
) -> List[Document]:
    """Name-swapped copies of training documents; half of the newswire copies also re-wrapped as
    1990s EDGAR text.

    Documents already augmented, and documents whose `meta["split"]` is "dev" or "test", are
    never copied. Copy k (1-based) of document `id` has id `<id>-aug<k>`, `meta["augmented"]`
    "swap" or "swap+legacy" and `meta["augmented_from"]` = `id`; it keeps the issuer, so
    `build_corpus` puts it in its original's split. Each copy draws from its own
    `random.Random` seeded by (seed, id, k), so a copy does not change when others are added.

    docs (Iterable[Document]): the training documents.
    copies (int): copies per document, default 2.
    seed (int): the seed of every choice, default 0.
    exclude_names (Iterable[str] | None): names never written, e.g. `document_names(dev + test)`.
    rate (float): the share of distinct names each copy replaces, default 1.0.
    lexicon_dir (str | Path | None): folder of lexicon files, default the bundled one.
    RETURNS (List[Document]): the copies, in input order.
    """
    pools = name_pools(lexicon_dir, exclude=exclude_names)
    augmented: List[Document] = []
    newswire = 0
    for doc in docs:
        if doc.meta.get("augmented") or doc.meta.get("split") in ("dev", "test"):
            continue
        is_newswire = doc.meta.get("genre") == "newswire"
        for k in range(1, copies + 1):
            rng = random.Random(f"{seed}/{doc.id}/{k}")
            new = swap_names(doc, rng, pools=pools, rate=rate)
            kind = "swap"
            if is_newswire and (k + newswire) % 2 == 0:
                new = rewrap_legacy(new, rng)
                kind = "swap+legacy"
            new.id = f"{doc.id}-aug{k}"
            new.meta["augmented"] = kind
            new.meta["augmented_from"] = doc.id
            augmented.append(new)
        newswire += int(is_newswire)
    return augmented
