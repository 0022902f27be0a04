#pragma once

#include "listeners/listener.h"

#include <QByteArray>
#include <QList>
#include <QString>

#include <optional>

namespace agentdesk {

// The XML messages of the exec-handler protocol (docs/exec-protocol.md), without their framing
// (FramedChannel adds and strips that). Building is total; parsing never throws and describes
// everything it rejects.
namespace ExecProtocol {

inline constexpr int Version = 1;

QByteArray hello(const QString &listenerName);
// Empty, with *error set, when the message's XML is not one well-formed element.
QByteArray deliver(quint64 callId, const MessageRecord &message, QString *error);
QByteArray cancel(quint64 callId);
QByteArray shutdown();

// One frame the child sent.
struct ChildMessage
{
    // Started: the handler began working on a delivery (optional; it tells a crash's victim from the
    // deliveries that merely waited in the child's stdin).
    enum class Kind { Reply, Error, Log, Ready, Started, Invalid };

    Kind kind = Kind::Invalid;
    std::optional<quint64> id;    // Reply, Error and Started; also Invalid when the frame named a call before breaking
    QList<OutgoingMessage> sends; // Reply: payload XML re-serialised from the child's text, in order
    QString text;                 // Error and Log: the text; Invalid: what is wrong with the frame
    QString level;                // Log: debug | info | warn | error (anything else reads as info)
};

ChildMessage parse(const QByteArray &body);

} // namespace ExecProtocol

} // namespace agentdesk
