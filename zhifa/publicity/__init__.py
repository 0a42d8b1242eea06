"""Publicity of enforcement decisions (事后公开, PUB-3): publication records with statutory
deadlines, automatic masking checked by a reviewer before release, withdrawal or annotation
after a decision is revoked or changed, and the history of every published version."""
