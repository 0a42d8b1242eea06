"""Full-process record (执法全过程记录): hash-chained events, content-addressed files, uploads, access log (REC-1, REC-2, REC-4)."""
