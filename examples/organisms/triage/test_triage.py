"""triage end to end: tickets of each kind through a real agentdesk — LLM classifier (scripted), Python
router, built-ins — with the budget and the retry of a failed LLM call."""

import os
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:0] = [HERE, os.path.join(HERE, "..")]  # agentdesk_testing.py: beside this file, or in examples/organisms
from agentdesk_testing import Organism, check  # noqa: E402

CONFIG = os.path.join(HERE, "organism.yaml")


def ticket(subject, body, customer):
    return {"subject": subject, "body": body, "customer": customer}


class Triage(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.organism = Organism(CONFIG)
        cls.organism.start()

    @classmethod
    def tearDownClass(cls):
        cls.organism.stop()

    def test_the_file_checks_clean(self):
        code, problems = check(CONFIG)
        self.assertEqual(code, 0, problems)
        self.assertEqual(problems, [])

    def test_a_billing_ticket_is_queued(self):
        thread = self.organism.inject("intake", ticket("Refund please", "I was charged twice", "ada"))
        self.assertEqual(self.organism.wait(thread), "completed")
        self.assertEqual(self.organism.hops(thread), [
            "api → intake: Ticket",
            "intake → classifier: TicketText",
            "classifier → router: Classification",
            "router → outbox: Notice",
        ])
        messages = self.organism.messages(thread)
        self.assertEqual(messages[2]["payload"], {"category": "billing", "urgency": 4,
                                                  "summary": "Refund please: I was charged twice",
                                                  "customer": "ada"})
        self.assertEqual(messages[3]["payload"],
                         {"text": "queued for billing (urgency 4): Refund please: I was charged twice"})

    def test_an_outage_of_a_key_account_is_paged(self):
        thread = self.organism.inject("intake", ticket("Site down", "Nothing loads", "acme"))
        self.assertEqual(self.organism.wait(thread), "completed")
        self.assertEqual(self.organism.hops(thread), [
            "api → intake: Ticket",
            "intake → classifier: TicketText",
            "classifier → router: Classification",
            "router → scorer: Escalation",
            "scorer → pager: Scored",
            "pager → outbox: Notice",
        ])
        messages = self.organism.messages(thread)
        self.assertEqual(messages[3]["payload"]["expression"], "9 * 10 + 20")
        self.assertEqual(messages[4]["payload"]["result"], 110)
        self.assertEqual(messages[5]["payload"], {"text": "PAGE on-call, priority 110: Site down: Nothing loads (acme)"})

    def test_anything_else_is_general(self):
        thread = self.organism.inject("intake", ticket("Hello", "Just saying hi", "bob"))
        self.assertEqual(self.organism.wait(thread), "completed")
        self.assertEqual(self.organism.messages(thread)[-1]["payload"],
                         {"text": "queued for general (urgency 2): Hello: Just saying hi"})

    def test_the_classifier_is_metered(self):
        before = self.organism.request("GET", "/api/v1/usage/agents/classifier")
        thread = self.organism.inject("intake", ticket("Invoice", "Where is it?", "ada"))
        self.assertEqual(self.organism.wait(thread), "completed")
        after = self.organism.request("GET", "/api/v1/usage/agents/classifier")
        self.assertEqual(after["totalTokens"] - before["totalTokens"], 760)


if __name__ == "__main__":
    unittest.main()
