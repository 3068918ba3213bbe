"""Reports made from a journal and from a plan. Pure functions: no I/O, no Textual.

Every report is a format-neutral `document.Document`, written by the shared writers:

* `debrief/` — the debrief of a night (`cockpit debrief`): one module per job (see its
  docstring), from the walk over the events to the document;
* `paper` — the paper backup of a plan (`cockpit print`);
* `document` — the blocks both are made of;
* `writers/` — Markdown, HTML and plain text, one of each for every report;
* `escape` — the one escaping policy (Markdown, HTML) of whatever came from a file or
  the night; control characters through `cockpit.text.visible` first;
* `gantt` — the planned-versus-actual chart: one model (bars laid out once) drawn as text
  and SVG here and as Rich text by the replay screen's widget.
"""
