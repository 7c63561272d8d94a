"""The W3C Entity Reconciliation Service API (``/reconcile``, what OpenRefine speaks): matching names to the
dataset's entities, data extension, and the transliteration folding that makes spellings meet.

Kept free of imports at package level: ``oirld add`` and ``oirld draft`` import :mod:`.transliterate` alone."""
