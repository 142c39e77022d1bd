"""The fault registry itself: every fault is exercised by some test, and documented."""

from __future__ import annotations

from pathlib import Path

import pytest

from kulti_sandbox.faults import SPECS, Faults, UnknownFault, parse_fault_arg

TESTS = Path(__file__).resolve().parent.parent
README = TESTS.parent / "kulti_sandbox" / "README.md"


def test_every_fault_is_exercised_by_a_test_that_sets_it():
    sources = "\n".join(p.read_text() for p in TESTS.rglob("test_*.py") if p.name != Path(__file__).name)
    unexercised = [s.name for s in SPECS if f'"{s.name}"' not in sources]
    assert unexercised == []


def test_every_fault_is_listed_in_the_package_readme():
    text = README.read_text()
    assert [s.name for s in SPECS if f"`{s.name}`" not in text] == []


def test_unknown_fault_names_are_refused_with_the_known_ones_listed():
    with pytest.raises(UnknownFault, match="known: .*slow_page"):
        Faults().set("slow_pgae")


def test_a_fault_with_choices_refuses_any_other_value():
    with pytest.raises(UnknownFault, match="session_field_dropped=title: its value is one of description, tags"):
        Faults().set("session_field_dropped", "title")


def test_fault_values_default_and_parse():
    faults = Faults()
    faults.set(*parse_fault_arg("sms_delay"))
    faults.set(*parse_fault_arg("chat_delay=250"))
    assert faults.number("sms_delay") == 35 and faults.value("chat_delay") == "250"
    assert faults.number("slow_page") == 0
