"""Language processing over clean articles: who said what (statements), the names they hold
(mentions), and which names across articles are one entity (resolve.py)."""

from presswatch.nlp.pipeline import load_nlp
from presswatch.nlp.statements import extract_statements, extract_statements_batch

__all__ = ["extract_statements", "extract_statements_batch", "load_nlp"]
