"""Read a runbook written in Markdown, with a real parser (markdown-it-py), the way teams
write them.

The document is parsed as CommonMark (with tables, strike-through and front matter) and
cut into sections by its headings. What each section holds is judged from its heading
(`words.section_kind`): steps, a rollback procedure, a go/no-go, a verification list,
preparation, or text that is not part of the night (overview, contacts, metrics…),
which is reported with its lines.

Inside a section of steps:

* a numbered list, or a list whose items read as actions (or are checkboxes), gives one
  step per item; its sub-items are details ("Owner: …", "Duration: …", "Rollback: …"),
  checks (verify items), alternatives ("Alternatively, …", "If you do not…") or
  sub-actions (kept in the step's instructions), and its code blocks its commands;
* a heading that is an action ("### Block deployments", "## Step 4 — Port") with no
  numbered list under it is itself a step, its bullets its details; so is a bold
  paragraph that reads like a heading ("**Step 2 — Drain the pool**");
* a code block goes to the step above it, one block one command, byte for byte; a
  section with only text and code blocks is one step, its heading the title.

Headings above a step are its phase ("Preparation", "T-60 Minutes"); a T-minus offset is
its timing. Nothing is invented: what the source does not say stays a marked placeholder
(see `build`), and every guess is reported.
"""

from __future__ import annotations

from cockpit.importers.markdown.reader import read_markdown

__all__ = ["read_markdown"]
