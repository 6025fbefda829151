"""Naming conventions as features: INN stems, product codes, company suffixes, titles, lexicons.

Names do not carry over between companies, but the way names are made does.
`PatternFeatures` turns each token into a small binary vector of such cues, and
`PatternHashEmbed` concatenates it with spaCy's MultiHashEmbed, so any tok2vec
(and every component listening to it) sees them.
"""
import re
from functools import lru_cache
from pathlib import Path
from typing import Callable, Dict, FrozenSet, List, Optional, Sequence, Tuple

from spacy.ml.models.tok2vec import MultiHashEmbed
from spacy.tokens import Doc
from spacy.util import registry
from thinc.api import Maxout, Model, chain, concatenate, with_array
from thinc.types import Floats2d

from ...data.lexicon import lexicon_lines

RESOURCES = Path(__file__).resolve().parents[2] / "resources"

INN_STEMS: Tuple[str, ...] = (
    "mab", "cept", "kin", "leukin", "ase", "plase", "tinib", "ciclib", "parib", "rafenib", "lisib", "degib",
    "tide", "glutide", "relix", "vec", "gene", "cel", "leucel", "temcel", "ucel", "mertansine", "emtansine",
    "vedotin", "mafodotin", "tecan", "deruxtecan", "govitecan", "tesirine", "ravtansine", "soravtansine",
    "ozogamicin", "tiuxetan", "pegol", "stat", "vastatin", "vir", "previr", "buvir", "asvir", "pril", "sartan",
    "olol", "afil", "dronate", "azole", "conazole", "cycline", "mycin", "micin", "cillin", "oxacin", "platin",
    "taxel", "rubicin", "trexate", "abine", "citabine", "dine", "zomib", "mide", "lidomide", "nacept", "ertib",
    "sib", "rsen", "siran", "meran", "lutamide", "gliflozin", "gliptin", "setron", "prazole", "tidine", "coxib",
    "oxetine", "apine", "idone", "triptan", "caine", "semide", "thiazide", "zepam", "azepam", "barb", "profen",
    "navir", "lukast", "parin", "xaban", "gatran", "grel", "fiban", "dipine", "terol", "sonide", "nide",
    "lozin", "sertib", "metinib", "ximab", "zumab", "umab", "omab", "tuzumab", "limab", "cimab",
)
ANTIBODY_STEMS: Tuple[str, ...] = ("mab",)
COMPANY_SUFFIXES: FrozenSet[str] = frozenset(
    s.lower() for s in (
        "Inc.", "Inc", "Incorporated", "Corp.", "Corp", "Corporation", "Co.", "Company", "Ltd.", "Ltd", "Limited",
        "plc", "PLC", "AG", "GmbH", "S.A.", "SA", "N.V.", "NV", "B.V.", "K.K.", "LLC", "L.L.C.", "L.P.", "LP",
        "S.p.A.", "SpA", "A/S", "AB", "ASA", "Oyj", "SE", "KGaA", "S.A.S.", "SAS", "Pty", "Holdings",
    )
)
COMPANY_WORDS: FrozenSet[str] = frozenset(
    s.lower() for s in (
        "Pharmaceuticals", "Pharmaceutical", "Pharma", "Therapeutics", "Biosciences", "Bioscience", "Biotech",
        "Biotechnology", "Biologics", "Biopharma", "BioPharma", "Biopharmaceuticals", "Oncology", "Laboratories",
        "Labs", "Genetics", "Genomics", "Medicines", "Sciences", "Bio", "Biotherapeutics", "Immunotherapeutics",
        "Vaccines", "Healthcare", "Health", "Medical", "Diagnostics", "Technologies", "Biosystems", "Biomedical",
        "Research", "Institute", "Biologicals", "Immunotherapies", "Therapies", "Pharmaceutica", "Squibb",
    )
)
TITLES: FrozenSet[str] = frozenset(s.lower() for s in ("Dr.", "Dr", "Mr.", "Ms.", "Mrs.", "Prof.", "Professor", "Sir"))
POST_NOMINALS: FrozenSet[str] = frozenset(s.lower() for s in ("Ph.D.", "M.D.", "Ph.D", "MD", "PhD", "MBA", "M.B.A.", "Jr.", "Sr.", "III", "II", "Pharm.D.", "D.Phil.", "FRCP", "CPA", "J.D.", "Esq."))
ROLE_WORDS: FrozenSet[str] = frozenset(
    s.lower() for s in (
        "CEO", "CFO", "COO", "CSO", "CMO", "President", "Officer", "Chairman", "Chairwoman", "Chair", "Director",
        "Vice", "VP", "Founder", "Head", "Executive", "Secretary", "Treasurer", "Controller", "Scientist",
        "Counsel", "Manager", "Contact", "Relations",
    )
)
_CODE = re.compile(r"^(?=.*\d)(?=.*[A-Za-z])[A-Za-z]{1,6}[-\s]?\d{1,7}[A-Za-z0-9]{0,4}$|^\d{2,4}[A-Za-z]{1,3}\d*$")
_TARGET_LIKE = re.compile(r"^(CD\d{1,3}[a-zA-Z]?\d*|HER\d|ErbB\d|IL-?\d{1,2}[A-Za-z]?|PD-?L?1|CTLA-?4|[A-Z]{2,5}\d{0,2}[A-Za-z]?)$")
_ALLCAPS_WORD = re.compile(r"^[A-Z][A-Z&\-]{2,}$")

FEATURE_NAMES: Tuple[str, ...] = (
    "inn_stem", "antibody_stem", "drug_code", "company_suffix", "company_word", "before_company_suffix",
    "before_company_word", "after_title", "title", "before_post_nominal", "near_role", "target_like",
    "after_anti", "in_parentheses", "lex_drug", "lex_partner", "lex_target", "lex_first_name", "all_caps",
    "capitalized", "has_digit", "bias", "lex_non_entity",
)
N_FEATURES = len(FEATURE_NAMES)
# v1 of the architecture reads the first 22 features; v2 adds `lex_non_entity` (words that are
# never a mention alone: diseases, places, agencies, media, headings; `non_entities.txt`)
N_FEATURES_V1 = FEATURE_NAMES.index("lex_non_entity")
_INDEX = {name: i for i, name in enumerate(FEATURE_NAMES)}


@lru_cache(maxsize=8)
def load_lexicons(directory: Optional[str] = None) -> Dict[str, FrozenSet[str]]:
    """Lower-cased word sets from `drugs.txt`, `partners.txt`, `targets.txt`, `first_names.txt` (one name a line),
    and the one-word lines of `non_entities.txt` (its multi-word lines would mark words such as `New`)."""
    base = Path(directory) if directory else RESOURCES / "lexicon"
    lexicons: Dict[str, FrozenSet[str]] = {}
    for key in ("drugs", "partners", "targets", "first_names"):
        words: set = set()
        for line in lexicon_lines(base / f"{key}.txt"):
            # every word of a multi-word name marks a token as a likely part of such a name
            words.update(w.lower() for w in re.split(r"[\s/]+", line) if len(w) > 1 and not w.isdigit())
        lexicons[key] = frozenset(words)
    lexicons["non_entities"] = frozenset(line.lower() for line in lexicon_lines(base / "non_entities.txt") if " " not in line)
    return lexicons


def _word_features(text: str, lexicons: Dict[str, FrozenSet[str]]) -> List[int]:
    lower = text.lower()
    on = []
    if len(lower) > 5 and any(lower.endswith(stem) for stem in INN_STEMS):
        on.append("inn_stem")
    if len(lower) > 5 and lower.endswith(ANTIBODY_STEMS):
        on.append("antibody_stem")
    if _CODE.match(text):
        on.append("drug_code")
    if lower in COMPANY_SUFFIXES:
        on.append("company_suffix")
    if lower in COMPANY_WORDS:
        on.append("company_word")
    if lower in TITLES:
        on.append("title")
    if _TARGET_LIKE.match(text):
        on.append("target_like")
    for key, name in (("drugs", "lex_drug"), ("partners", "lex_partner"), ("targets", "lex_target"),
                      ("first_names", "lex_first_name"), ("non_entities", "lex_non_entity")):
        if lower in lexicons.get(key, ()):
            on.append(name)
    if _ALLCAPS_WORD.match(text):
        on.append("all_caps")
    if text[:1].isupper():
        on.append("capitalized")
    if any(c.isdigit() for c in text):
        on.append("has_digit")
    return [_INDEX[n] for n in on]


def doc_features(doc: Doc, lexicons: Dict[str, FrozenSet[str]], cache: Dict[str, List[int]]) -> List[List[int]]:
    """For each token, the indices of the features that fire (word cues plus cues from the neighbours)."""
    words = [t.text for t in doc]
    own = []
    for w in words:
        feats = cache.get(w)
        if feats is None:
            feats = _word_features(w, lexicons)
            if len(cache) < 200_000:
                cache[w] = feats
        own.append(feats)
    suffix_i, word_i, title_i = _INDEX["company_suffix"], _INDEX["company_word"], _INDEX["title"]
    result: List[List[int]] = []
    depth = 0
    n = len(words)
    for i, feats in enumerate(own):
        row = list(feats) + [_INDEX["bias"]]
        nxt = own[i + 1] if i + 1 < n else ()
        nxt2 = own[i + 2] if i + 2 < n else ()
        if suffix_i in nxt or (words[i + 1] == "," if i + 1 < n else False) and suffix_i in nxt2:
            row.append(_INDEX["before_company_suffix"])
        if word_i in nxt:
            row.append(_INDEX["before_company_word"])
        if i > 0 and title_i in own[i - 1]:
            row.append(_INDEX["after_title"])
        if (i + 1 < n and words[i + 1].lower() in POST_NOMINALS) or (i + 2 < n and words[i + 1] == "," and words[i + 2].lower() in POST_NOMINALS):
            row.append(_INDEX["before_post_nominal"])
        window = words[i + 1 : i + 5]
        if any(w.lower().strip(",") in ROLE_WORDS for w in window):
            row.append(_INDEX["near_role"])
        if i >= 2 and words[i - 1] == "-" and words[i - 2].lower() == "anti" or (i >= 1 and words[i - 1].lower() in ("anti", "anti-")):
            row.append(_INDEX["after_anti"])
        if words[i] == "(":
            depth += 1
        elif words[i] == ")":
            depth = max(depth - 1, 0)
        elif depth:
            row.append(_INDEX["in_parentheses"])
        result.append(row)
    return result


LEXICON_COLUMNS = [_INDEX[n] for n in ("lex_drug", "lex_partner", "lex_target", "lex_first_name", "lex_non_entity")]


def pattern_features_forward(model: Model, docs: List[Doc], is_train: bool) -> Tuple[List[Floats2d], Callable]:
    lexicons = load_lexicons(model.attrs["lexicon_dir"])
    cache = model.attrs["cache"]
    drop = model.attrs["lexicon_dropout"] if is_train else 0.0
    n_features = model.get_dim("nO")
    outputs = []
    for doc in docs:
        array = model.ops.alloc2f(len(doc), N_FEATURES)
        for i, feats in enumerate(doc_features(doc, lexicons, cache)):
            array[i, feats] = 1.0
        if drop and len(doc):
            # Training names are mostly in the lexicons; real filings name many that are not.
            # Hiding lexicon hits at random keeps the model reading context and word shape too.
            mask = model.ops.xp.random.uniform(size=(len(doc), 1)) < drop
            array[:, LEXICON_COLUMNS] *= 1.0 - mask
        # a v1 pipeline reads only the first 22 columns
        outputs.append(array if n_features == N_FEATURES else model.ops.xp.ascontiguousarray(array[:, :n_features]))
    return outputs, lambda d_outputs: []


@registry.layers("immunoextract.PatternFeatures.v1")
def PatternFeatures(lexicon_dir: Optional[str] = None, lexicon_dropout: float = 0.5,
                    n_features: int = N_FEATURES_V1) -> Model[List[Doc], List[Floats2d]]:
    """Binary naming-convention features per token (no weights; see FEATURE_NAMES).

    lexicon_dir (Optional[str]): folder of lexicon files, default the bundled `resources/lexicon`.
    lexicon_dropout (float): in training, the share of tokens whose lexicon features are hidden.
    n_features (int): how many of FEATURE_NAMES, in order (22 for v1 pipelines, all for v2).
    """
    return Model(
        "pattern_features",
        pattern_features_forward,
        dims={"nO": n_features},
        attrs={"lexicon_dir": lexicon_dir, "cache": {}, "lexicon_dropout": lexicon_dropout},
    )


@registry.architectures("immunoextract.PatternHashEmbed.v1")
def PatternHashEmbed(
    width: int,
    attrs: List[str],
    rows: List[int],
    include_static_vectors: bool = False,
    lexicon_dir: Optional[str] = None,
    lexicon_dropout: float = 0.5,
) -> Model[List[Doc], List[Floats2d]]:
    """spaCy's MultiHashEmbed with the first 22 pattern features concatenated and mixed back to `width`."""
    return _pattern_hash_embed(width, attrs, rows, include_static_vectors, lexicon_dir, lexicon_dropout, N_FEATURES_V1)


@registry.architectures("immunoextract.PatternHashEmbed.v2")
def PatternHashEmbedV2(
    width: int,
    attrs: List[str],
    rows: List[int],
    include_static_vectors: bool = False,
    lexicon_dir: Optional[str] = None,
    lexicon_dropout: float = 0.5,
) -> Model[List[Doc], List[Floats2d]]:
    """As v1, plus the `lex_non_entity` feature (one-word lines of `non_entities.txt`)."""
    return _pattern_hash_embed(width, attrs, rows, include_static_vectors, lexicon_dir, lexicon_dropout, N_FEATURES)


def _pattern_hash_embed(width: int, attrs: List[str], rows: List[int], include_static_vectors: bool,
                        lexicon_dir: Optional[str], lexicon_dropout: float, n_features: int) -> Model[List[Doc], List[Floats2d]]:
    hashed = MultiHashEmbed(width=width, attrs=attrs, rows=rows, include_static_vectors=include_static_vectors)
    model: Model[List[Doc], List[Floats2d]] = chain(
        concatenate(hashed, PatternFeatures(lexicon_dir=lexicon_dir, lexicon_dropout=lexicon_dropout, n_features=n_features)),
        with_array(Maxout(width, width + n_features, nP=3, normalize=True)),
    )
    model.set_ref("hashed", hashed)
    model.attrs["lexicon_dir"] = lexicon_dir
    return model
