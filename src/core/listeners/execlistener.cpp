#include "execlistener.h"

#include "config/execcommand.h"
#include "listeners/execprotocol.h"

#include <QDir>
#include <QLoggingCategory>
#include <QPointer>
#include <QProcessEnvironment>
#include <QThread>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

namespace agentdesk {

namespace {

Q_LOGGING_CATEGORY(lcExec, "agentdesk.exec")

constexpr auto HealthyRunTime = 10s;
constexpr qsizetype MaxStderrLine = 64 * 1024;
constexpr qsizetype MaxRememberedCancels = 1024;

QString seconds(std::chrono::milliseconds delay)
{
    return QString::number(double(delay.count()) / 1000.0, 'g', 3);
}

} // namespace

ExecListener::ExecListener(ListenerConfig config, ListenerEnvironment environment, QObject *parent)
    : Listener(std::move(config), std::move(environment), parent)
{
    m_restartTimer.setSingleShot(true);
    connect(&m_restartTimer, &QTimer::timeout, this, &ExecListener::launch);
    m_healthyTimer.setSingleShot(true);
    m_healthyTimer.setInterval(HealthyRunTime);
    connect(&m_healthyTimer, &QTimer::timeout, this, [this] { m_backoff = m_initialBackoff; });
}

ExecListener::~ExecListener()
{
    QProcess *process = std::exchange(m_process, nullptr);
    if (!process)
        return;
    process->disconnect(this);
    if (m_state != State::Stopping)
        beginShutdown(process);
    if (QThread::currentThread()->loopLevel() == 0) {
        // Nobody will run the grace timer: wait here rather than leave an orphan behind.
        if (!process->waitForFinished(int(m_grace.count()))) {
            process->kill();
            process->waitForFinished();
        }
        delete process;
        return;
    }
    process->setParent(nullptr);
    connect(process, &QProcess::finished, process, &QObject::deleteLater);
}

void ExecListener::start()
{
    switch (m_state) {
    case State::Starting:
    case State::Running:
    case State::Restarting:
        return;
    case State::Stopping:
        // The old child finishes its shutdown on its own; the new one need not wait for it.
        if (QProcess *old = std::exchange(m_process, nullptr)) {
            old->disconnect(this);
            old->setParent(nullptr);
            connect(old, &QProcess::finished, old, &QObject::deleteLater);
        }
        break;
    case State::Idle:
    case State::Stopped:
        break;
    }
    m_backoff = m_initialBackoff;
    launch();
}

void ExecListener::stop()
{
    ++m_generation;
    m_restartTimer.stop();
    m_healthyTimer.stop();
    m_startError.clear();
    const QString stopped = u"listener %1 stopped"_s.arg(name());
    for (const HandlerCallPtr &call : std::exchange(m_waiting, {}))
        failLater(call, stopped);
    for (auto it = m_inFlight.cbegin(); it != m_inFlight.cend(); ++it) {
        rememberCancelled(it.key());
        failLater(it.value(), stopped);
    }
    m_inFlight.clear();
    m_redeliveries.clear();
    if (!m_process) {
        m_state = State::Stopped;
        return;
    }
    if (m_state == State::Stopping)
        return;
    m_state = State::Stopping;
    beginShutdown(m_process);
}

void ExecListener::handle(const HandlerCallPtr &call)
{
    if (call->isCancelled())
        return;
    switch (m_state) {
    case State::Running:
        deliver(call);
        return;
    case State::Stopping:
    case State::Stopped:
        failLater(call, u"listener %1 is stopped"_s.arg(name()));
        return;
    case State::Idle:
    case State::Starting:
    case State::Restarting:
        break;
    }
    if (!m_startError.isEmpty()) {
        failLater(call, m_startError);
    } else if (m_waiting.size() >= MaxWaitingCalls) {
        failLater(call,
                  u"handler process of %1 is not running and %2 calls already wait for it"_s.arg(name()).arg(
                      MaxWaitingCalls));
    } else {
        m_waiting.push_back(call);
    }
}

void ExecListener::cancel(quint64 callId)
{
    if (m_inFlight.remove(callId)) {
        rememberCancelled(callId);
        if (m_state == State::Running)
            send(ExecProtocol::cancel(callId));
        return;
    }
    m_redeliveries.remove(callId);
    std::erase_if(m_waiting, [callId](const HandlerCallPtr &call) { return call->id() == callId; });
}

QProcess::ProcessState ExecListener::processState() const
{
    return m_process ? m_process->state() : QProcess::NotRunning;
}

qint64 ExecListener::processId() const
{
    return m_process ? m_process->processId() : 0;
}

void ExecListener::setRestartBackoff(std::chrono::milliseconds initial, std::chrono::milliseconds maximum)
{
    m_initialBackoff = initial;
    m_maxBackoff = std::max(initial, maximum);
    m_backoff = initial;
}

void ExecListener::launch()
{
    const quint64 generation = ++m_generation;
    m_state = State::Starting;
    const QString directory = workingDirectory();
    QString error;
    const QString program = resolveProgram(directory, &error);
    if (program.isEmpty()) {
        // Reported from the event loop, like every other outcome of start().
        QTimer::singleShot(0, this, [this, generation, error] {
            if (m_generation == generation && m_state == State::Starting)
                onStartFailed(error);
        });
        return;
    }

    auto *process = new QProcess(this);
    process->setProgram(program);
    process->setArguments(config().handler.argv.mid(1));
    process->setWorkingDirectory(directory);
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(u"AGENTDESK_LISTENER"_s, name());
    environment.insert(u"AGENTDESK_PROTOCOL"_s, QString::number(ExecProtocol::Version));
    process->setProcessEnvironment(environment);
    connectProcess(process);

    m_process = process;
    m_unanswered.clear();
    m_writeOrder.clear();
    m_started.clear();
    m_announcesStarts = false;
    m_channel.reset();
    m_stderrLine.clear();
    m_lastStderr.clear();
    m_deathReason.clear();
    qCDebug(lcExec).noquote() << name() << u"starting"_s << program << process->arguments().join(u' ') << u"in"_s
                              << directory;
    process->start();
}

QString ExecListener::workingDirectory() const
{
    const QString base = environment().configDirectory.isEmpty() ? QDir::currentPath() : environment().configDirectory;
    const QString configured = config().handler.workingDirectory;
    return configured.isEmpty() ? base : QDir(base).absoluteFilePath(configured);
}

// Resolved here rather than by QProcess so that "not found" names the program and where it was looked for.
QString ExecListener::resolveProgram(const QString &directory, QString *error) const
{
    const QStringList &argv = config().handler.argv;
    const ExecCommand::Program program = ExecCommand::resolveProgram(argv, directory);
    switch (program.problem) {
    case ExecCommand::Program::Problem::None:
        break;
    case ExecCommand::Program::Problem::NoProgram:
        *error = u"exec handler of listener %1 names no program"_s.arg(name());
        break;
    case ExecCommand::Program::Problem::NoDirectory:
        *error = u"working directory \"%1\" of handler %2 does not exist"_s.arg(directory, argv.first());
        break;
    case ExecCommand::Program::Problem::NotOnPath:
        *error = u"handler program \"%1\" not found in PATH"_s.arg(argv.first());
        break;
    case ExecCommand::Program::Problem::NotFound:
        *error = u"handler program \"%1\" not found (looked for %2)"_s.arg(argv.first(), program.lookedFor);
        break;
    case ExecCommand::Program::Problem::NotExecutable:
        *error = u"handler program \"%1\" is not an executable file"_s.arg(program.lookedFor);
        break;
    }
    return program.path;
}

void ExecListener::connectProcess(QProcess *process)
{
    connect(process, &QProcess::started, this, [this, process] { onStarted(process); });
    connect(process, &QProcess::finished, this,
            [this, process](int exitCode, QProcess::ExitStatus status) { onFinished(process, exitCode, status); });
    connect(process, &QProcess::errorOccurred, this,
            [this, process](QProcess::ProcessError error) { onProcessError(process, error); });
    connect(process, &QProcess::readyReadStandardOutput, this, [this, process] { readFrames(process); });
    connect(process, &QProcess::readyReadStandardError, this, [this, process] { readStderr(process); });
}

void ExecListener::beginShutdown(QProcess *process)
{
    if (process->state() != QProcess::Running) {
        process->kill();
        return;
    }
    process->write(FramedChannel::encode(ExecProtocol::shutdown()));
    process->closeWriteChannel();
    QTimer::singleShot(m_grace, process, [process, listener = name()] {
        if (process->state() == QProcess::NotRunning)
            return;
        qCWarning(lcExec).noquote() << listener
                                    << u"handler process %1 ignored the shutdown request; killing it"_s.arg(
                                           process->processId());
        process->kill();
    });
}

void ExecListener::onStarted(QProcess *process)
{
    if (process != m_process || m_state != State::Starting)
        return;
    qCInfo(lcExec).noquote() << name() << u"handler process %1 started"_s.arg(process->processId());
    m_state = State::Running;
    m_startError.clear();
    send(ExecProtocol::hello(name()));
    for (const HandlerCallPtr &call : std::exchange(m_waiting, {})) {
        if (!call->isCancelled())
            deliver(call);
    }
    m_healthyTimer.start();
    if (std::exchange(m_faulted, false))
        emit recovered();
}

void ExecListener::onFinished(QProcess *process, int exitCode, QProcess::ExitStatus status)
{
    if (process != m_process)
        return;
    readFrames(process);
    readStderr(process, true);
    if (process != m_process)
        return; // a reply's completion stopped or restarted us meanwhile
    m_process = nullptr;
    process->deleteLater();
    m_healthyTimer.stop();
    emit processFinished(exitCode, status);

    if (m_state == State::Stopping) {
        qCInfo(lcExec).noquote() << name()
                                 << (status == QProcess::CrashExit
                                         ? u"handler process killed"_s
                                         : u"handler process ended with code %1"_s.arg(exitCode));
        m_state = State::Stopped;
        return;
    }

    QString reason = m_deathReason;
    if (reason.isEmpty()) {
        reason = status == QProcess::CrashExit ? u"handler process crashed"_s
                                               : u"handler process exited with code %1"_s.arg(exitCode);
        if (!m_lastStderr.isEmpty())
            reason += u" (last stderr line: %1)"_s.arg(m_lastStderr);
    }
    m_state = State::Restarting;
    m_faulted = true;
    failOrRedeliver(reason);
    scheduleRestart();
}

// Only what the dead child was working on fails. The rest of what it was sent never began (they
// waited in its stdin) and goes to the next child, first in line and in their order. A child that
// announces its work with <started> is taken at its word; one that does not is taken to work in
// write order, one delivery at a time, as agentdesk_handler.py does by default.
void ExecListener::failOrRedeliver(const QString &reason)
{
    QSet<quint64> victims;
    if (m_announcesStarts)
        victims = m_started;
    else if (!m_unanswered.empty())
        victims.insert(m_unanswered.begin()->second);

    std::map<quint64, HandlerCallPtr> inFlightByOrder;
    for (auto it = m_inFlight.cbegin(); it != m_inFlight.cend(); ++it)
        inFlightByOrder.emplace(m_writeOrder.value(it.key()), it.value());
    m_inFlight.clear();
    m_unanswered.clear();
    m_writeOrder.clear();
    m_started.clear();
    m_announcesStarts = false;

    QStringList threads;
    std::deque<HandlerCallPtr> again;
    for (const auto &[order, call] : inFlightByOrder) {
        const bool victim = victims.contains(call->id());
        if (victim || ++m_redeliveries[call->id()] > MaxRedeliveries) {
            m_redeliveries.remove(call->id());
            threads.append(call->message().threadId);
            call->fail(victim
                           ? reason
                           : u"%1 (delivered to %2 handler processes that died before starting it)"_s.arg(reason).arg(
                               MaxRedeliveries + 1));
        } else {
            again.push_back(call);
        }
    }
    m_waiting.insert(m_waiting.begin(), again.begin(), again.end());

    QString fault = reason;
    if (!threads.isEmpty())
        fault += u" while handling thread %1"_s.arg(threads.join(u", "));
    if (!again.empty())
        fault += u"; %1 waiting deliver%2 will go to the new process"_s.arg(again.size())
                     .arg(again.size() == 1 ? u"y"_s : u"ies"_s);
    fault += u"; restarting in %1 s"_s.arg(seconds(m_backoff));
    qCWarning(lcExec).noquote() << name() << fault;
    emit faulted(fault);
}

void ExecListener::forgetUnanswered(quint64 id)
{
    const auto order = m_writeOrder.constFind(id);
    if (order == m_writeOrder.cend())
        return;
    m_unanswered.erase(*order);
    m_writeOrder.erase(order);
    m_started.remove(id);
}

void ExecListener::onProcessError(QProcess *process, QProcess::ProcessError error)
{
    if (process != m_process)
        return;
    if (error == QProcess::Crashed)
        return; // finished() follows and says so
    if (error != QProcess::FailedToStart) {
        // A read or write error means the child is going away: finished() handles that.
        qCWarning(lcExec).noquote() << name() << u"handler process:"_s << process->errorString();
        return;
    }
    m_process = nullptr;
    process->deleteLater();
    if (m_state == State::Stopping) {
        m_state = State::Stopped;
        return;
    }
    onStartFailed(
        u"cannot start handler program \"%1\": %2"_s.arg(config().handler.argv.value(0), process->errorString()));
}

void ExecListener::onStartFailed(const QString &error)
{
    m_state = State::Restarting;
    m_startError = error;
    for (const HandlerCallPtr &call : std::exchange(m_waiting, {})) {
        m_redeliveries.remove(call->id());
        failLater(call, error);
    }
    m_faulted = true;
    const QString fault = u"%1; retrying in %2 s"_s.arg(error, seconds(m_backoff));
    qCWarning(lcExec).noquote() << name() << fault;
    scheduleRestart();
    emit faulted(fault);
}

void ExecListener::scheduleRestart()
{
    m_restartTimer.start(m_backoff);
    m_backoff = std::min(m_backoff * 2, m_maxBackoff);
}

void ExecListener::readFrames(QProcess *process)
{
    if (process != m_process)
        return;
    m_channel.append(process->readAllStandardOutput());
    const QPointer<ExecListener> guard(this);
    while (std::optional<QByteArray> body = m_channel.takeFrame()) {
        handleFrame(*body);
        // A completion may have stopped, restarted or deleted this listener.
        if (!guard || process != m_process)
            return;
    }
    if (m_channel.hasError())
        protocolFailure(process, m_channel.errorString());
}

void ExecListener::readStderr(QProcess *process, bool flush)
{
    if (process != m_process)
        return;
    m_stderrLine += process->readAllStandardError();
    const auto forward = [this](QByteArrayView line) {
        if (line.endsWith('\r'))
            line.chop(1);
        const QString text = QString::fromUtf8(line);
        if (text.trimmed().isEmpty())
            return;
        m_lastStderr = text;
        forwardLog(u"stderr"_s, text);
    };
    qsizetype start = 0;
    for (qsizetype nl = m_stderrLine.indexOf('\n'); nl >= 0; nl = m_stderrLine.indexOf('\n', start)) {
        forward(QByteArrayView(m_stderrLine).sliced(start, nl - start));
        start = nl + 1;
    }
    m_stderrLine.remove(0, start);
    if (flush || m_stderrLine.size() > MaxStderrLine) {
        forward(m_stderrLine);
        m_stderrLine.clear();
    }
}

void ExecListener::handleFrame(const QByteArray &body)
{
    using Kind = ExecProtocol::ChildMessage::Kind;
    ExecProtocol::ChildMessage message = ExecProtocol::parse(body);
    if (message.kind == Kind::Ready) {
        qCDebug(lcExec).noquote() << name() << u"handler is ready"_s;
        return;
    }
    if (message.kind == Kind::Log) {
        forwardLog(message.level, message.text);
        return;
    }
    if (!message.id) {
        reportFault(u"handler sent an invalid frame: "_s + message.text);
        return;
    }
    const quint64 id = *message.id;
    if (message.kind == Kind::Started) {
        m_announcesStarts = true;
        if (m_writeOrder.contains(id))
            m_started.insert(id);
        return;
    }
    forgetUnanswered(id); // answered, also when the answer is invalid: the child is done with it
    const HandlerCallPtr call = m_inFlight.take(id);
    if (call)
        m_redeliveries.remove(id);
    if (!call) {
        if (m_cancelled.contains(id))
            qCDebug(lcExec).noquote() << name() << u"dropped the late answer to cancelled call"_s << id;
        else if (message.kind == Kind::Invalid)
            reportFault(u"handler sent an invalid frame: "_s + message.text);
        else
            reportFault(u"handler answered call %1, which is not in flight"_s.arg(id));
        return;
    }
    switch (message.kind) {
    case Kind::Reply:
        call->finish(std::move(message.sends));
        break;
    case Kind::Error:
        call->fail(message.text.isEmpty() ? u"handler reported an error without text"_s : message.text);
        break;
    default:
        call->fail(u"handler sent an invalid frame: "_s + message.text);
        break;
    }
}

// The byte stream cannot be trusted past a broken header: end this child, its calls fail with the reason.
void ExecListener::protocolFailure(QProcess *process, const QString &error)
{
    if (!m_deathReason.isEmpty())
        return;
    m_deathReason = u"handler protocol error on stdout: %1 (stdout carries only frames; log to stderr)"_s.arg(error);
    qCWarning(lcExec).noquote() << name() << m_deathReason;
    process->kill();
}

void ExecListener::reportFault(const QString &error)
{
    qCWarning(lcExec).noquote() << name() << error;
    emit faulted(error);
}

void ExecListener::forwardLog(const QString &level, const QString &text)
{
    const QString line = name() + u": "_s + text;
    if (level == u"debug")
        qCDebug(lcExec).noquote() << line;
    else if (level == u"warn" || level == u"warning")
        qCWarning(lcExec).noquote() << line;
    else if (level == u"error")
        qCCritical(lcExec).noquote() << line;
    else
        qCInfo(lcExec).noquote() << line;
    emit handlerLog(level.isEmpty() ? u"info"_s : level, text);
}

void ExecListener::deliver(const HandlerCallPtr &call)
{
    QString error;
    const QByteArray body = ExecProtocol::deliver(call->id(), call->message(), &error);
    if (body.isEmpty()) {
        failLater(call, error);
        return;
    }
    if (body.size() > FramedChannel::MaxFrameBytes) {
        failLater(call, u"message of %1 bytes exceeds the exec protocol's 16 MiB frame limit"_s.arg(body.size()));
        return;
    }
    m_inFlight.insert(call->id(), call);
    m_writeOrder.insert(call->id(), ++m_writes);
    m_unanswered.emplace(m_writes, call->id());
    send(body);
}

void ExecListener::send(const QByteArray &body)
{
    if (m_process)
        m_process->write(FramedChannel::encode(body));
}

// Completions never run inside handle(), stop() or start(): the pump may be in the middle of its own work.
void ExecListener::failLater(const HandlerCallPtr &call, const QString &error)
{
    QTimer::singleShot(0, this, [call, error] { call->fail(error); });
}

void ExecListener::rememberCancelled(quint64 id)
{
    if (m_cancelled.contains(id))
        return;
    m_cancelled.insert(id);
    m_cancelledOrder.push_back(id);
    if (qsizetype(m_cancelledOrder.size()) > MaxRememberedCancels) {
        m_cancelled.remove(m_cancelledOrder.front());
        forgetUnanswered(m_cancelledOrder.front());
        m_cancelledOrder.pop_front();
    }
}

} // namespace agentdesk
