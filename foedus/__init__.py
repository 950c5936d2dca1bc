"""Foedus: an open linked-data knowledge graph of military alliances and military diplomacy."""

__version__ = "0.1.0"
