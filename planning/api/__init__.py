"""The JSON API for other government systems, under /api/v1/ (docs/API.md).

Reporting systems, the e-office system and the national task-tracking
connection read plans, tasks, assignments, their history and roll-ups, and an
agency's own system reports progress and completion. Nothing here decides
anything of its own:

- who may see what is `agencies.access` and `planning.access`, applied to the
  token's service account (an agency token acts as an officer of that agency,
  a token without an agency as a leader who reads everything published);
- the figures are `planning.reports.statistics` and `planning.querysets`, so
  the API, the dashboard and the CSV never disagree;
- writes go through `planning.workflow`, with its rules and its history.
"""
