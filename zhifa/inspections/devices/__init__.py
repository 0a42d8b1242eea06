"""The equipment register (执法装备登记) and non-site supervision (非现场监管, 行政处罚法第四十一条).

Models in ``zhifa/inspections/models/devices.py``; rules in ``services``; ORG-6 device staffing in
``staffing``; problem models in ``problems``; pages in ``views`` / ``public_views``; API in ``api``.
"""
