"""Grid dispatch (网格化巡查与指挥调度, COL-3): "一个网格管巡查、一个平台管指挥".

Grids (网格) below a township, dispatch tasks (调度任务) sent by the command centre (指挥中心) to a
team, patrol reports (巡查上报) from a phone, and the dispatch board (指挥调度台). Rules in
``services.py``; every step is appended to the grid's hash-chained record (stream ``grid:<id>``).
See docs/grid.md.
"""
