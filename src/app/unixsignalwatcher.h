#pragma once

#include <QObject>

class QSocketNotifier;

namespace agentdesk {

// Turns SIGINT/SIGTERM into a Qt signal. A signal handler may only call async-signal-safe functions,
// so it writes the signal number into a socket pair and the event loop reads it (the pattern of Qt's
// "Calling Qt Functions From Unix Signal Handlers").
class UnixSignalWatcher : public QObject
{
    Q_OBJECT
public:
    explicit UnixSignalWatcher(QObject *parent = nullptr);
    ~UnixSignalWatcher() override;

    bool watch(int signalNumber);

signals:
    void received(int signalNumber);

private:
    void readSignal();
    QSocketNotifier *m_notifier = nullptr;
};

} // namespace agentdesk
