"""A plan's indicators: the PAR INDEX and SIPAS targets it sets, next to its tasks.

A reform plan is judged by its scores as much as by its tasks. This package
reads the appendix tables of targets from the plan's text (`reading`), keeps
them as a tree per indicator set with the agency that leads each criterion
(`models`), records published and measured results (`services`), and shows
them: the plan's "Chỉ tiêu" page (`views`) and the report files (`report`).
"""
