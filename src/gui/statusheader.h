#pragma once

#include "domain/records.h"

#include <QElapsedTimer>
#include <QFrame>
#include <QPointer>
#include <QTimer>

#include <deque>
#include <memory>

namespace Ui {
class StatusHeader;
}

namespace agentdesk {

class ProviderDirectory;
class Session;

// The strip at the top of the window: organism name and status, uptime, API address, messages per
// second (over the last five seconds), and the tokens and cost so far.
class StatusHeader final : public QFrame
{
    Q_OBJECT
public:
    explicit StatusHeader(QWidget *parent = nullptr);
    ~StatusHeader() override;

    void setSession(Session *session, ProviderDirectory *providers);
    void setApiAddress(const QString &address);

    QString organismText() const;
    QString statusText() const;
    QString valueText(const QString &field) const; // "uptime", "api", "rate", "tokens", "cost"
    double messagesPerSecond() const;

private:
    void onMessages(const QList<MessageRecord> &batch);
    void onOrganism();
    void tick();
    void updateUsage();
    void updateStatus();

    std::unique_ptr<Ui::StatusHeader> m_ui;
    QPointer<Session> m_session;
    QPointer<ProviderDirectory> m_providers;
    QList<QMetaObject::Connection> m_connections;
    QTimer m_clock;
    std::deque<std::pair<qint64, qint64>> m_arrivals; // (ms since start, messages) per batch
    QElapsedTimer m_rateClock;
};

} // namespace agentdesk
