#pragma once

#include <QByteArray>

namespace agentdesk::test {

// The hello-world organism.yaml most tests run, written once: the chain of the spec's conformance
// organism (§12), greeter (builtin:format, "Hello, {name}!") → shouter (builtin:shout) → a sink
// (builtin:sink), on the payloads Greeting → GreetingResponse → ShoutedResponse. A test names the
// organism and adds what it is about:
//   HelloWorldYaml("gui-test").settings("max_tokens_per_thread: 1000\n")
//       .payloads("  Done: {text: string}\n").listeners(kWriterAndDone).text()
class HelloWorldYaml
{
public:
    explicit HelloWorldYaml(const QByteArray &organismName = "hello-world")
        : m_name(organismName)
    { }

    // Top-level lines after `organism:` (limits, budgets, resume_on_start …), each ending in '\n'.
    HelloWorldYaml &settings(const QByteArray &lines)
    {
        m_settings = lines;
        return *this;
    }
    // More payload types after the greeting's three, each line indented two spaces.
    HelloWorldYaml &payloads(const QByteArray &lines)
    {
        m_payloads = lines;
        return *this;
    }
    // More listeners after the chain's three, each a list item ("  - name: …").
    HelloWorldYaml &listeners(const QByteArray &items)
    {
        m_listeners = items;
        return *this;
    }
    // The name of the listener that ends the chain (response-handler unless a test says otherwise).
    HelloWorldYaml &sink(const QByteArray &name)
    {
        m_sink = name;
        return *this;
    }

    QByteArray text() const;

private:
    QByteArray m_name;
    QByteArray m_settings;
    QByteArray m_payloads;
    QByteArray m_listeners;
    QByteArray m_sink = "response-handler";
};

} // namespace agentdesk::test
