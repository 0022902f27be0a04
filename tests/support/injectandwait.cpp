#include "injectandwait.h"

#include <QEventLoop>
#include <QMutex>
#include <QThread>
#include <QTimer>
#include <QWaitCondition>

#include <memory>

using namespace Qt::StringLiterals;

namespace agentdesk::test {

namespace {

// The answers, shared with the callbacks: they may come after the waiter gave up.
struct Answers
{
    QMutex mutex;
    QWaitCondition allIn;
    QList<std::optional<InjectResult>> results;
    qsizetype missing = 0;
    std::function<void()> onAllIn; // same thread: quits the waiting event loop
};

void injectAll(Organism &organism, const QList<InjectRequest> &requests, const std::shared_ptr<Answers> &answers)
{
    for (qsizetype i = 0; i < requests.size(); ++i) {
        organism.injectAcknowledged(requests.at(i), nullptr, [answers, i](const InjectResult &result) {
            std::function<void()> done;
            {
                QMutexLocker lock(&answers->mutex);
                if (i >= answers->results.size())
                    return; // the waiter gave up
                answers->results[i] = result;
                if (--answers->missing == 0) {
                    answers->allIn.wakeAll();
                    done = answers->onAllIn;
                }
            }
            if (done)
                done();
        });
    }
}

InjectResult notAcknowledged(std::chrono::milliseconds timeout)
{
    return injectRefused(InjectError::HistoryUnavailable,
                         u"not acknowledged: the history did not commit the message within %1 s"_s.arg(
                             std::chrono::duration_cast<std::chrono::seconds>(timeout).count()));
}

} // namespace

QList<InjectResult> injectBatchAndWait(Organism &organism, const QList<InjectRequest> &requests,
                                       std::chrono::milliseconds timeout)
{
    auto answers = std::make_shared<Answers>();
    answers->results.resize(requests.size());
    answers->missing = requests.size();
    if (organism.QObject::thread() == QThread::currentThread()) {
        QEventLoop loop;
        QTimer deadline;
        deadline.setSingleShot(true);
        QObject::connect(&deadline, &QTimer::timeout, &loop, &QEventLoop::quit);
        answers->onAllIn = [&loop] { QMetaObject::invokeMethod(&loop, &QEventLoop::quit, Qt::QueuedConnection); };
        injectAll(organism, requests, answers);
        if (answers->missing > 0) {
            deadline.start(timeout);
            loop.exec();
        }
        answers->onAllIn = nullptr;
    } else {
        QMetaObject::invokeMethod(&organism,
                                  [&organism, requests, answers] { injectAll(organism, requests, answers); });
        QMutexLocker lock(&answers->mutex);
        if (answers->missing > 0)
            answers->allIn.wait(&answers->mutex, QDeadlineTimer(timeout));
    }
    QMutexLocker lock(&answers->mutex);
    QList<InjectResult> results;
    results.reserve(requests.size());
    for (const std::optional<InjectResult> &result : std::as_const(answers->results))
        results.append(result ? *result : notAcknowledged(timeout));
    answers->results.clear();
    answers->missing = -1; // late answers find no slot
    return results;
}

InjectResult injectAndWait(Organism &organism, const InjectRequest &request, std::chrono::milliseconds timeout)
{
    return injectBatchAndWait(organism, {request}, timeout).first();
}

void injectBatchNoWait(Organism &organism, const QList<InjectRequest> &requests)
{
    for (const InjectRequest &request : requests)
        organism.injectAcknowledged(request, nullptr, [](const InjectResult &) {});
}

} // namespace agentdesk::test
