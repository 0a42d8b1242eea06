"""Signatures on case documents (文书签名): a signature drawn on a screen — on the officer's phone
(掌上执法) or on the case page — printed in the signature block of the document it signs.
Model in ``models.py``, the one write path in ``services.py``."""
