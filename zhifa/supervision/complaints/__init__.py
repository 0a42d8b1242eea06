"""Complaints and tips (投诉举报, SUP-3): intake from the portal, staff and the 12345/12348 hotlines,
handling as a procedure defined as data, protection of the complainant, problem models and the
figures the KPIs read. See docs/complaints.md."""
