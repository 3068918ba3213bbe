"""The writers of a `cockpit.report.document.Document`: Markdown, HTML and plain text.

Every report the cockpit makes — the debrief, the paper copy — is built once as a
format-neutral document and written by these three modules, so a block looks the same
in every report and text from a file or the night is escaped by one policy
(`cockpit.report.escape`, after `cockpit.text.visible`) wherever it is written.

* `markdown` — GitHub-flavoured Markdown with task-list boxes; readable as plain text.
* `html` — one self-contained page: the caller's stylesheet inline, a
  Content-Security-Policy that forbids scripts and remote loads, nothing fetched.
* `text` — plain text wrapped to a width (80 columns for paper), numbers never broken.

Each is imported on its own: a Markdown debrief loads no HTML code and vice versa.
"""
