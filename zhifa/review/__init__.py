"""Legal review of major decisions (重大执法决定法制审核) and collective discussion (集体讨论), REV-1 … REV-3."""
