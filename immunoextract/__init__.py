"""immunoextract: structured deal intelligence from biopharma SEC filings and press releases.

    import immunoextract
    nlp = immunoextract.load()                      # the shipped CPU pipeline
    doc = immunoextract.annotate_text(nlp, text)    # schema Document, offsets into `text`
    doc.extra["facts"]                              # entities merged by alias, relation and event facts
"""
from .about import __version__  # noqa: F401
from .data.extensions import install_extensions
from .data.facts import document_facts, entity_clusters, facts_record  # noqa: F401
from .data.schema import Document, Entity, Event, Relation, read_jsonl, write_jsonl  # noqa: F401
from .errors import FilingError, ImmunoextractError, InputError, ModelError, SchemaError  # noqa: F401
from .extract import annotate_documents, annotate_text, load  # noqa: F401

install_extensions()
