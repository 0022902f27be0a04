"""research-desk end to end: two agents and a calculator peer used as a tool, in a real agentdesk."""

import os
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:0] = [HERE, os.path.join(HERE, "..")]  # agentdesk_testing.py: beside this file, or in examples/organisms
from agentdesk_testing import Organism, check  # noqa: E402

CONFIG = os.path.join(HERE, "organism.yaml")


class ResearchDesk(unittest.TestCase):
    def test_the_file_checks_clean(self):
        code, problems = check(CONFIG)
        self.assertEqual(code, 0, problems)
        self.assertEqual(problems, [])

    def test_the_planner_calls_the_calculator_then_briefs_the_writer(self):
        with Organism(CONFIG) as organism:
            thread = organism.inject("planner", {"text": "How many wheels do three cars have?"})
            self.assertEqual(organism.wait(thread), "completed")
            self.assertEqual(organism.hops(thread), [
                "api → planner: Request",
                "planner → calculator: Calc",
                "calculator → planner: Request",
                "planner → writer: Brief",
                "writer → desk: Answer",
            ])
            messages = organism.messages(thread)
            self.assertEqual(messages[1]["payload"], {"expression": "3 * 4"})
            self.assertEqual(messages[2]["payload"], {"text": "3 * 4 = 12"})
            self.assertEqual(messages[3]["payload"], {"topic": "counting", "facts": "3 * 4 = 12"})
            self.assertEqual(messages[4]["payload"], {"text": "About counting: 3 * 4 = 12."})

    def test_a_question_without_arithmetic_goes_straight_to_the_writer(self):
        with Organism(CONFIG) as organism:
            thread = organism.inject("planner", {"text": "What is the capital of France?"})
            self.assertEqual(organism.wait(thread), "completed")
            self.assertEqual(organism.hops(thread), [
                "api → planner: Request",
                "planner → writer: Brief",
                "writer → desk: Answer",
            ])


if __name__ == "__main__":
    unittest.main()
