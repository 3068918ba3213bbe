"""The Markdown importer on the shapes real runbooks take (issue 14's list of what went wrong).

Each test feeds a small document written the way a public runbook was, and checks what a
faithful import holds: the steps in order and nothing invented, commands byte for byte,
alternatives kept apart, traps left out and reported, phases, timings, owners,
placeholders marked, the rollback section in order, the point of no return proposed as a
guess. The real runbooks themselves are in `test_import_corpus.py`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from cockpit.importers import ImportResult, import_text, to_toml


def imported(text: str) -> ImportResult:
    return import_text(text, Path("runbook.md"), "md")


def steps(result: ImportResult) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = result.data["steps"]
    return found


def titles(result: ImportResult) -> list[str]:
    return [step["title"] for step in steps(result)]


def notes(result: ImportResult) -> list[str]:
    return [note.render("runbook.md") for note in result.notes]


def test_an_unclosed_code_fence_does_not_swallow_the_rest() -> None:
    result = imported(
        "# Move\n\n## Steps\n\n1. Dump the database\n\n```\npg_dump -Fc prod > prod.dump\n\n"
        "## Switch\n\n1. Point DNS at the new host\n2. Smoke test the login page\n"
    )
    assert titles(result) == [
        "Dump the database",
        "Point DNS at the new host",
        "Smoke test the login page",
    ]
    assert steps(result)[0]["commands"] == ["pg_dump -Fc prod > prod.dump"]
    assert any("code block never closed: closed it before line 10" in n for n in notes(result))


def test_front_matter_and_template_tags_are_not_text() -> None:
    yaml = imported(
        "---\ntitle: Planned failover\nweight: 4\n---\n\n{% include warning.html %}\n\n"
        "1. Stop the writers\n2. Promote the replica\n"
    )
    assert yaml.data["runbook"]["title"] == "Planned failover"
    assert titles(yaml) == ["Stop the writers", "Promote the replica"]
    hugo = imported('+++\ntitle = "Upgrade"\ndraft = false\n+++\n\n1. Back up\n2. Upgrade\n')
    assert hugo.data["runbook"]["title"] == "Upgrade" and titles(hugo) == ["Back up", "Upgrade"]
    assert any("template tags left out (lines 6)" in n for n in notes(yaml))


def test_headings_are_steps_when_they_are_actions_and_their_bullets_are_details() -> None:
    result = imported(
        "# Freeze\n\n### Block deployments\n\n- set approvers to 6\n- Pipeline shows 'blocked'\n\n"
        "### Announce the freeze\n\nPost in #releases.\n"
    )
    block, announce = steps(result)
    assert (block["title"], announce["title"]) == ("Block deployments", "Announce the freeze")
    assert block["instructions"] == "- set approvers to 6"  # an action, not a check
    assert block["verify"] == ["Pipeline shows 'blocked'"]  # a state, a check
    assert announce["instructions"] == "Post in #releases."


def test_plain_bullets_that_are_actions_are_steps() -> None:
    result = imported("# Night\n\n## Preparation\n\n- Stop the cron jobs\n- Drain the queue\n")
    assert titles(result) == ["Stop the cron jobs", "Drain the queue"]
    assert [step["phase"] for step in steps(result)] == ["Preparation", "Preparation"]


def test_lists_that_are_not_steps_are_left_out_and_reported() -> None:
    result = imported(
        "# Failover\n\nThis guide results in the following:\n\n1. An offline primary.\n"
        "2. A promoted secondary.\n\n## Monitoring\n\n- Grafana\n- Prometheus\n\n"
        "## Steps\n\n1. [x] Order the new circuit\n2. ~~Call the old ISP~~\n"
        "3. Promote the replica\n"
        "4. Enjoy your new server!\n\n## Success metrics\n\n- Error rate under 1%\n"
    )
    assert titles(result) == ["Promote the replica"]
    said = "\n".join(notes(result))
    assert "a list of facts, not steps (after 'This guide results in the following:')" in said
    assert "already done ([x]), not a step" in said
    assert "struck through, not a step" in said
    assert "a closing remark, not a step" in said
    assert "'Success metrics': text that describes rather than instructs" in said


def test_a_code_block_after_a_step_is_its_command_byte_for_byte() -> None:
    patch = 'kubectl patch svc web -p \'{\n  "spec": {"selector": {"app": "green"}}\n}\''
    result = imported(
        "# Cutover\n\n## DNS\n\n1. Flip the DNS record\n\n"
        "```sh\nVAR=value ./bin/flip --zone prod\n```"
        f"\n\n2. Switch the service\n\n```\n{patch}\n```\n"
    )
    flip, switch = steps(result)
    assert flip["commands"] == ["VAR=value ./bin/flip --zone prod"]
    assert switch["commands"] == [patch]  # one block, one command, as written


def test_alternatives_are_kept_apart_never_both_run() -> None:
    result = imported(
        "# Promote\n\n1. SSH in to the secondary and run one of the following commands:\n\n"
        "   - To promote:\n\n     ```\n     gitlab-ctl geo promote\n     ```\n\n"
        "   - To promote without confirmation:\n\n     ```\n     gitlab-ctl geo promote --force\n"
        "     ```\n\n2. Disable the primary:\n\n   - If you have SSH access, stop it:\n\n"
        "     ```\n     gitlab-ctl stop\n     ```\n\n"
        "   - If you do not have SSH access, power it off.\n"
    )
    promote, disable = steps(result)
    assert promote["commands"] == ["gitlab-ctl geo promote"]
    assert "gitlab-ctl geo promote --force" in promote["instructions"]
    assert "Alternatives (one or the other, not both):" in promote["instructions"]
    assert disable["commands"] == ["gitlab-ctl stop"]
    assert "If you do not have SSH access, power it off." in disable["instructions"]


def test_bold_step_lines_are_steps_not_part_of_the_previous_one() -> None:
    result = imported(
        "# Move\n\n**Step 1 — Drain the pool**\n\nWait for zero sessions.\n\n"
        "**Step 2 — Move the volume**\n\n```\nmv /srv/a /srv/b\n```\n"
    )
    assert titles(result) == ["Drain the pool", "Move the volume"]
    assert steps(result)[1]["commands"] == ["mv /srv/a /srv/b"]


def test_a_check_in_the_middle_stays_in_order() -> None:
    """A data-sync check that gates the DNS flip is a step before it, not post-cutover."""
    result = imported(
        "# Move\n\n## Copy\n\n1. Start the sync\n\n## Validation\n\n1. Verify the sync lag is 0\n\n"
        "## DNS\n\n1. Flip DNS\n\n## Post-cutover checks\n\n- Site loads\n- Orders arrive\n"
    )
    assert titles(result) == ["Start the sync", "Verify the sync lag is 0", "Flip DNS"]
    assert result.data["verification"] == ["Site loads", "Orders arrive"]


def test_owners_are_recovered_and_placeholders_are_marked_not_owners() -> None:
    result = imported(
        "# Release\n\n1. Tag [RELEASE TAG] and push @release-lead\n2. Announce the release\n"
        "   - Owner: Comms team\n3. Publish the docs - This is normally done by the docs team\n"
        "4. [QA] run the smoke tests\n"
    )
    tag, announce, publish, smoke = steps(result)
    assert tag["owner"] == "release-lead" and "[RELEASE TAG]" in tag["title"]
    assert (announce["owner"], publish["owner"], smoke["owner"]) == (
        "Comms team",
        "docs team",
        "QA",
    )
    text = to_toml(result)
    assert "# TODO: fill in the placeholders: [RELEASE TAG]" in text
    assert "placeholders in 1 step(s)" in result.placeholders


def test_a_rollback_section_no_step_claims_is_kept_in_order() -> None:
    result = imported(
        "# Move\n\n1. Freeze writes\n2. Switch the connection strings\n\n## Rollback\n\n"
        "1. Point the app back at the old database (10 min)\n2. Restart the workers (5 min)\n"
        "3. Unfreeze writes (5 min)\n"
    )
    freeze, switch = steps(result)
    # Certain: 'Unfreeze writes' undoes 'Freeze writes' (two words, no other step has them).
    assert freeze["rollback"] == {"action": "Unfreeze writes", "minutes": 5}
    # The rest names no step for certain: one procedure, in the order written.
    undo = switch["rollback"]
    assert undo["action"] == (
        "Rollback procedure, in order: 1) Point the app back at the old database. "
        "2) Restart the workers."
    )
    assert undo["minutes"] == 15
    assert "TODO: confirm: the rollback section" in to_toml(result)


def test_t_minus_headings_are_phases_and_timings_durations_are_not_invented() -> None:
    result = imported(
        "# Go-live\n\n## T-60 Minutes\n\n- [ ] Open the bridge call\n\n## T-30 Minutes\n\n"
        "- [ ] Check every 5 minutes that the queue drains\n\n"
        "## T+24h\n\n- [ ] Cleanup (After 24h)\n"
    )
    bridge, check, cleanup = steps(result)
    assert [s["phase"] for s in steps(result)] == ["T-60 Minutes", "T-30 Minutes", "T+24h"]
    assert bridge["instructions"].startswith("When: T-60 Minutes")
    assert bridge["minutes"] == 30  # from its time to the next one the source gives
    assert "minutes of 'Open the bridge call' from its time to the next" in "\n".join(notes(result))
    text = to_toml(result)
    for step in (check, cleanup):  # "every 5 minutes", "after 24h": not how long it takes
        assert step["minutes"] == 5
        block = text.split(f'title = "{step["title"]}"', 1)[1].split("[[", 1)[0]
        assert "minutes = 5  # TODO: estimate the minutes" in block


def test_the_point_of_no_return_is_proposed_and_marked_as_a_guess() -> None:
    result = imported(
        "# Failover\n\n1. Stop the writers\n2. Promote the replica\n3. Permanently disable the old "
        "primary\n"
    )
    ponr = result.data["point_of_no_return"]["step"]
    assert ponr == steps(result)[2]["id"]  # says it cannot come back, before "promote"
    assert "TODO: confirm: proposed from the step's words" in to_toml(result)
    assert any("proposed as the point of no return" in n for n in notes(result))


def test_a_prose_procedure_gives_a_step_per_action_and_keeps_output_out() -> None:
    result = imported(
        "# Upgrade\n\n## Upgrading from v5.0.2\n\nThe controller may log this error:\n\n```\n"
        "StatefulSet is invalid\n```\n\nIf this is the case, delete the repo host:\n\n```\n"
        "kubectl delete sts repo-host\n```\n\nAdditionally, please be sure to update all "
        "custom resources.\n"
    )
    delete, update = steps(result)
    assert delete["commands"] == ["kubectl delete sts repo-host"]
    assert "StatefulSet is invalid" in delete["instructions"]  # shown, never run
    assert update["title"].startswith("Additionally, please be sure to update")
    assert "commands" not in update
