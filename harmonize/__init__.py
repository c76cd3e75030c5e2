"""harmonize: legislative harmonization comparison engine."""

__version__ = "0.1.0"
