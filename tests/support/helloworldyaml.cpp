#include "helloworldyaml.h"

#include <QStringBuilder>

namespace agentdesk::test {

QByteArray HelloWorldYaml::text() const
{
    return "organism: {name: " + m_name + "}\n" + m_settings + R"(payloads:
  Greeting: {name: string}
  GreetingResponse: {message: string, original_sender: string}
  ShoutedResponse: {message: string}
)" + m_payloads
        + R"(listeners:
  - name: greeter
    description: Greeting agent
    payload_class: handlers.hello.Greeting
    handler: builtin:format
    peers: [shouter]
    options: {message: "Hello, {name}!", original_sender: "{from}"}
  - name: shouter
    description: Shouting handler
    payload_class: GreetingResponse
    handler: builtin:shout
    peers: [)"
        + m_sink + R"(]
  - name: )"
        + m_sink + R"(
    description: Ends the chain
    payload_class: ShoutedResponse
    handler: builtin:sink
)" + m_listeners;
}

} // namespace agentdesk::test
