"""The suite's hypothesis profile: property tests check behaviour, never wall time (a loaded CI
machine once failed a correct property test on hypothesis's 200 ms default deadline)."""

from hypothesis import settings


def test_property_tests_have_no_deadline_and_fixed_inputs() -> None:
    assert settings().deadline is None
    assert settings().derandomize is True
