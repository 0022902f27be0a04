#pragma once

#include "listener.h"

#include <memory>

namespace agentdesk {

// The in-process handlers (`handler: builtin:<name>`). Each one reads the incoming payload's fields,
// transforms them, and addresses every peer (or, with no peers, the sender when it is a listener) with
// that target's own payload type: same-named fields are copied, and `options:` may give a template per
// target field ("Hello, {name}!"; placeholders are incoming fields plus {from}, {to}, {thread}).
//
//   shout      upper-cases every string field
//   echo       passes the fields on unchanged
//   format     fills the target's fields from the templates in options
//   calculate  evaluates the `expression` field (option `field` names another) with muparser — arithmetic
//              and math functions only, nothing that can run code — and adds `result`
//   sink       ends the chain: sends nothing
class BuiltinListener : public Listener
{
    Q_OBJECT
public:
    static QStringList names();
    // nullptr and *error when `kind` is not a built-in.
    static std::unique_ptr<BuiltinListener> create(const ListenerConfig &config, const ListenerEnvironment &environment,
                                                   QString *error);

    BuiltinListener(ListenerConfig config, ListenerEnvironment environment);
    void handle(const HandlerCallPtr &call) override;

protected:
    // The fields to pass on, or an error (returned non-empty) that fails the call.
    virtual QString transform(const MessageRecord &incoming, QVariantMap *fields) const = 0;
    virtual bool sendsReplies() const { return true; }

private:
    QList<OutgoingMessage> address(const MessageRecord &incoming, const QVariantMap &fields, QString *error) const;
    QStringList targetsFor(const MessageRecord &incoming) const;
};

} // namespace agentdesk
