"""Case handling (案件办理): procedures, stages, deadlines, discretion, parties' rights, fines (CASE-1 … CASE-6)."""
