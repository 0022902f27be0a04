#pragma once

#include "listeners/framedchannel.h"
#include "listeners/listener.h"

#include <QHash>
#include <QProcess>
#include <QSet>
#include <QTimer>

#include <chrono>
#include <deque>
#include <map>

namespace agentdesk {

// An `exec:` listener: one long-lived child process (program + arguments, never a shell) that receives
// deliveries and answers them over framed XML on its stdin/stdout (docs/exec-protocol.md). Several
// calls may be in flight; replies are matched by call id in any order. stderr lines go to the log.
//
// When the child dies, the calls it was working on fail and the ones that only waited in its stdin are
// delivered again to the next child (see failOrRedeliver()); faulted() is emitted and the child is
// started again after an exponential back-off (0.5 s doubling to 30 s, reset once it has run healthy for
// 10 s); calls that arrive meanwhile wait for it (bounded). recovered() follows when a child runs again.
// A broken frame header leaves the stream unreadable, so it ends the child the same way; a frame
// that is merely invalid fails the call it names, or raises faulted() and the child keeps running.
class ExecListener : public Listener
{
    Q_OBJECT
public:
    ExecListener(ListenerConfig config, ListenerEnvironment environment, QObject *parent = nullptr);
    // A running child gets the shutdown frame and ends on its own; when no event loop is left to
    // wait for it, the destructor waits for it (at most the grace period) and then kills it.
    ~ExecListener() override;

    void start() override;
    // Sends <shutdown/>, closes the child's stdin and kills it if it has not exited after the grace period.
    void stop() override;
    void handle(const HandlerCallPtr &call) override;
    void cancel(quint64 callId) override;

    QProcess::ProcessState processState() const;
    qint64 processId() const; // 0 when no child runs
    int inFlightCount() const { return int(m_inFlight.size()); }
    int waitingCount() const { return int(m_waiting.size()); }

    void setShutdownGracePeriod(std::chrono::milliseconds grace) { m_grace = grace; }
    void setRestartBackoff(std::chrono::milliseconds initial, std::chrono::milliseconds maximum);

    static constexpr int MaxWaitingCalls = 1000;
    // A delivery handed to this many new children without any of them starting it fails: a handler that
    // dies before announcing its work must not keep one message circling forever.
    static constexpr int MaxRedeliveries = 3;

signals:
    // What the handler logged: level is debug | info | warn | error for <log> frames, "stderr" for stderr lines.
    void handlerLog(const QString &level, const QString &text);
    void processFinished(int exitCode, QProcess::ExitStatus status);

private:
    enum class State { Idle, Starting, Running, Restarting, Stopping, Stopped };

    void launch();
    QString workingDirectory() const;
    QString resolveProgram(const QString &directory, QString *error) const;
    void connectProcess(QProcess *process);
    void beginShutdown(QProcess *process);

    void onStarted(QProcess *process);
    void onFinished(QProcess *process, int exitCode, QProcess::ExitStatus status);
    void onProcessError(QProcess *process, QProcess::ProcessError error);
    void onStartFailed(const QString &error);
    void scheduleRestart();

    void readFrames(QProcess *process);
    void readStderr(QProcess *process, bool flush = false);
    void handleFrame(const QByteArray &body);
    void protocolFailure(QProcess *process, const QString &error);
    void reportFault(const QString &error);
    void forwardLog(const QString &level, const QString &text);

    void failOrRedeliver(const QString &reason);
    void forgetUnanswered(quint64 id);
    void deliver(const HandlerCallPtr &call);
    void send(const QByteArray &body);
    void failLater(const HandlerCallPtr &call, const QString &error);
    void rememberCancelled(quint64 id);

    State m_state = State::Idle;
    QProcess *m_process = nullptr;
    quint64 m_generation = 0; // invalidates a queued start failure once stop() or a new launch() came first
    FramedChannel m_channel;
    QHash<quint64, HandlerCallPtr> m_inFlight;
    // What the current child was sent and has not answered, also cancelled calls it may still work on,
    // by the order they were written: when it dies, the front is what it was working on.
    std::map<quint64, quint64> m_unanswered; // write order -> call id
    QHash<quint64, quint64> m_writeOrder;    // call id -> write order
    quint64 m_writes = 0;
    QSet<quint64> m_started;            // calls the current child announced with <started>
    bool m_announcesStarts = false;     // the current child sends <started>: trust it over the write order
    QHash<quint64, int> m_redeliveries; // how often a call was handed to a new child after a death
    std::deque<HandlerCallPtr> m_waiting;
    QSet<quint64> m_cancelled; // recently cancelled calls whose late replies are dropped quietly
    std::deque<quint64> m_cancelledOrder;
    QString m_startError;  // set while the last start attempt failed: new calls fail at once
    QString m_deathReason; // why agentdesk killed the child, when it did
    QByteArray m_stderrLine;
    QString m_lastStderr;
    bool m_faulted = false;

    QTimer m_restartTimer;
    QTimer m_healthyTimer;
    std::chrono::milliseconds m_initialBackoff{500};
    std::chrono::milliseconds m_maxBackoff{30000};
    std::chrono::milliseconds m_backoff = m_initialBackoff;
    std::chrono::milliseconds m_grace{3000};
};

} // namespace agentdesk
