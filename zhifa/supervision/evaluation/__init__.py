"""Case-file evaluation (案卷评查, SUP-2)."""
