"""The daily workflow of an assignment: progress, completion with evidence,
review (accept, return), extensions, withdrawal, plans made in the app.

- `services`: every write, as small atomic keyword-only functions with the
  rules and the history (`submit_completion`, `accept_completion`, …);
- `models`: progress notes, completion submissions, extension requests;
- `forms`, `views`, `urls`: the pages ("Việc cần làm", "Chờ duyệt", the
  assignment page's actions), thin over `services`.

See docs/WORKFLOW.md.
"""
