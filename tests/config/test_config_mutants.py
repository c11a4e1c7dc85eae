"""Hundreds of seeded mutants of rich configurations: each is refused with a ConfigurationError naming a key, or
plans (a sample synthesizes through the app); never another exception.

The mutants come from tests/support/mutants.py (seeded: a failure names its base and seed, and
``mutants(base, 1, seed)`` rebuilds it alone). Every bug this found has a regression test of its own in
tests/config/test_mutant_regressions.py.
"""

from __future__ import annotations

import traceback
from typing import Any

import pytest
import yaml

from cdk_sagemaker_monitoring.config.app_config import AppConfig
from cdk_sagemaker_monitoring.config.loader import ConfigFileError, parse_config
from cdk_sagemaker_monitoring.errors import ConfigurationError
from support.mutants import Mutant, mutants
from support.synth import new_app

#: Mutants per base, how many of them build at least (most mutants are refused), and every how many planned
#: ones also synthesizes through the app (the first always does).
COUNTS = {"single_stack": 220, "environments": 100}
BUILT_AT_LEAST = {"single_stack": 15, "environments": 3}
SYNTH_EVERY = 15
SEED = 20_261_207


def plan_only(config: AppConfig) -> None:
    """What the app decides before jsii: each stack's configuration, monitoring plan, stream plan and cost."""
    from cdk_sagemaker_monitoring.config.stream import StreamConfig
    from cdk_sagemaker_monitoring.cost import count_plan
    from cdk_sagemaker_monitoring.plan import plan_monitoring
    from cdk_sagemaker_monitoring.plan.stream import event_pattern, plan_alarms

    stacks = [config.for_environment(env.name) for env in config.environments] or [config]
    for stack in stacks:
        plan = plan_monitoring(stack, dashboard_base=stack.dashboard_name or stack.stack_name)
        count_plan(stack, plan)
        if stack.stream.enabled:
            stream = StreamConfig.model_validate(stack.stream.model_dump(exclude={"enabled"}))
            event_pattern(stream)
            plan_alarms(stream)


def synthesize(config: AppConfig) -> None:
    from cdk_sagemaker_monitoring.stacks.app_stacks import build_stacks

    app = new_app()
    build_stacks(app, config)
    app.synth()


def names_a_key(error: ConfigurationError, mutant: Mutant, *, read: bool) -> bool:
    """Every error names a key; errors of reading the file (``read``) also its line."""
    errors = error.errors if isinstance(error, ConfigFileError) else [error]
    top = any(s.startswith("(top)") for s in mutant.steps)  # the whole document replaced: no key to name
    return all(e.field and (e.field != "(top level)" or top)
               and (not read or (e.source or "").startswith("mutant.yaml:") or top) for e in errors)


def outcome(mutant: Mutant, synth: bool) -> tuple[str, str]:
    """``("refused" | "planned" | "synthesized", detail)``, or ``("broken", traceback)``."""
    text = yaml.safe_dump(mutant.data, sort_keys=False, allow_unicode=True)
    read = True
    try:
        config = parse_config(text, source="mutant.yaml")
        read = False
        plan_only(config)
        if synth:
            synthesize(config)
    except ConfigurationError as err:
        if not names_a_key(err, mutant, read=read):
            return "broken", f"refused without naming a key{' and line' if read else ''}: {err}"
        return "refused", str(err)
    except Exception:  # noqa: BLE001 - the point: anything else is a bug
        return "broken", traceback.format_exc(limit=6)
    return ("synthesized" if synth else "planned"), ""


@pytest.mark.parametrize("base", sorted(COUNTS))
def test_every_mutant_is_refused_naming_a_key_or_builds(base: str) -> None:
    results: dict[str, int] = {"refused": 0, "planned": 0, "synthesized": 0}
    broken: list[str] = []
    planned = 0
    for mutant in mutants(base, COUNTS[base], SEED):
        kind, detail = outcome(mutant, synth=False)
        if kind == "planned":
            planned += 1
            if planned % SYNTH_EVERY == 1:
                kind, detail = outcome(mutant, synth=True)
        if kind == "broken":
            broken.append(f"{mutant}\n{detail}")
        else:
            results[kind] += 1
    assert not broken, f"{len(broken)} of {COUNTS[base]} mutants broke:\n\n" + "\n\n".join(broken[:8])
    # the mutants exercise both outcomes: most are refused, some still build
    assert results["refused"] > COUNTS[base] // 3, results
    assert results["planned"] + results["synthesized"] >= BUILT_AT_LEAST[base], results
    assert results["synthesized"] >= 1, results


def test_the_mutants_are_reproducible() -> None:
    first = [(m.steps, m.data) for m in mutants("single_stack", 5, SEED)]
    assert first == [(m.steps, m.data) for m in mutants("single_stack", 5, SEED)]
    one: Any = mutants("single_stack", 1, SEED + 3)[0]
    assert (one.steps, one.data) == first[3]
