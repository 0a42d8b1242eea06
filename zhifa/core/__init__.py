"""Shared machinery every domain app uses: validators, organisation scoping, the audit
trail, the generic list/detail/edit views, the REST API base classes and Excel import/export."""
