"""Work plans and task ledgers (工作任务台账, SUP-6)."""
