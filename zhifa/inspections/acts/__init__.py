"""The inspection act (行政检查的实施): procedure as data, 涉企检查 approval, notice and annual cap,
扫码入企, joint inspection (综合查一次、一表通查), documents, evidence, the record stream
``inspection:<id>``, result publication, finding → case, 复查, the enterprise's portal view and the
inspection problem models. See ``docs/inspections.md``."""
