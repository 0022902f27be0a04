"""hello-world end to end: a real agentdesk process, a greeting injected over HTTP, every hop checked."""

import os
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:0] = [HERE, os.path.join(HERE, "..")]  # agentdesk_testing.py: beside this file, or in examples/organisms
from agentdesk_testing import Organism, check  # noqa: E402

CONFIG = os.path.join(HERE, "organism.yaml")


class HelloWorld(unittest.TestCase):
    def test_the_file_checks_clean(self):
        code, problems = check(CONFIG)
        self.assertEqual(code, 0, problems)
        self.assertEqual(problems, [])

    def test_a_greeting_is_shouted(self):
        with Organism(CONFIG) as organism:
            thread = organism.inject("greeter", {"name": "Dan"})
            self.assertEqual(organism.wait(thread), "completed")
            self.assertEqual(organism.hops(thread), [
                "api → greeter: Greeting",
                "greeter → shouter: GreetingResponse",
                "shouter → response-handler: ShoutedResponse",
            ])
            messages = organism.messages(thread)
            self.assertEqual(messages[1]["payload"],
                             {"message": "Hello, Dan! Welcome aboard.", "original_sender": "api"})
            self.assertEqual(messages[2]["payload"], {"message": "HELLO, DAN! WELCOME ABOARD."})


if __name__ == "__main__":
    unittest.main()
