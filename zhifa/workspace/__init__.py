"""The desk (工作台): one 待办/已办 list per person, reminders, messages, search and role dashboards."""
