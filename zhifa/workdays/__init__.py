"""Working-day calendar (工作日历): holidays and make-up working days, deadline arithmetic."""
