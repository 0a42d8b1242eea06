"""Inspections (行政检查): 双随机、一公开 lists and draws, enterprise-related inspections, devices."""
