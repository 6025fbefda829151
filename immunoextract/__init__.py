"""immunoextract: structured deal intelligence from biopharma SEC filings and press releases.

    import immunoextract
    nlp = immunoextract.load()                      # the shipped CPU pipeline
    doc = immunoextract.annotate_text(nlp, text)    # schema Document, offsets into `text`
    doc.extra["facts"]                              # entities merged by alias, relation and event facts

Names are imported on first use, so `import immunoextract` and the command line
start fast and light tools (schema checks) never load spaCy.
"""
from importlib import import_module
from typing import Any

from .about import __version__  # noqa: F401

_EXPORTS = {
    "Document": ".data.schema", "Entity": ".data.schema", "Event": ".data.schema", "Relation": ".data.schema",
    "read_jsonl": ".data.schema", "write_jsonl": ".data.schema",
    "document_facts": ".data.facts", "entity_clusters": ".data.facts", "facts_record": ".data.facts",
    "ImmunoextractError": ".errors", "InputError": ".errors", "SchemaError": ".errors", "FilingError": ".errors", "ModelError": ".errors",
    "load": ".extract", "annotate_text": ".extract", "annotate_documents": ".extract",
    "read_filing": ".filings", "iter_filings": ".filings", "read_text": ".filings",
    "install_extensions": ".data.extensions",
}
__all__ = sorted(_EXPORTS) + ["__version__"]


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        value = getattr(import_module(_EXPORTS[name], __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'immunoextract' has no attribute {name!r}")
